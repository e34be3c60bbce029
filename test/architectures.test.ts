// The CNNs without a GPU: the λ paper's CNN (--width paper) layer by layer with PyTorch's default
// initialisation, the small CNN as before, and flatgrad's BatchNorm CNN (--model cnn-bn).
import { describe, expect, it } from 'vitest';
import type { Engine } from '../src/gpu/engine.js';
import { inferShapes, parseModel, stringifyModel, type ModelSpec } from '../src/node.js';
import type { BatchNormLayer, Layer } from '../src/model/spec.js';
import { CNN_WIDTHS, cnn, cnnBatchNorm } from '../src/train/architectures.js';
import { train } from '../src/train/loop.js';

const MNIST = [1, 28, 28];

/** Trainable values: weight and bias of every dense, conv2d and batchnorm layer (not the running statistics). */
function parameterCount(spec: ModelSpec): number {
  return spec.layers.reduce((n, l) => n + ('weight' in l ? l.weight.data.length + l.bias.data.length : 0), 0);
}

function fanIn(layer: Layer): number {
  if (layer.type !== 'dense' && layer.type !== 'conv2d') throw new Error(`${layer.type} has no fan-in`);
  return layer.weight.shape.slice(1).reduce((a, b) => a * b, 1);
}

/** The same layers with bit-identical tensors (a byte comparison: toEqual is slow on a million floats). */
function sameSpec(a: ModelSpec, b: ModelSpec): boolean {
  const bytes = (t: Float32Array) => Buffer.from(t.buffer, t.byteOffset, t.byteLength);
  const tensors = (l: Layer) => Object.values(l).filter((v): v is { shape: number[]; data: Float32Array } => typeof v === 'object' && v !== null && 'data' in v);
  return a.layers.length === b.layers.length && a.layers.every((l, i) => {
    const m = b.layers[i]!;
    const [ta, tb] = [tensors(l), tensors(m)];
    return l.type === m.type && ta.length === tb.length && ta.every((t, j) => t.shape.join() === tb[j]!.shape.join() && bytes(t.data).equals(bytes(tb[j]!.data)));
  });
}

function variance(v: Float32Array): number {
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  return v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length;
}

/** PyTorch's default for Linear and Conv2d: weight and bias U(±1/√fan_in). */
function expectPytorchInit(layer: Layer): void {
  const bound = 1 / Math.sqrt(fanIn(layer));
  if (layer.type !== 'dense' && layer.type !== 'conv2d') return;
  for (const t of [layer.weight.data, layer.bias.data]) {
    const largest = t.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    expect(largest).toBeLessThanOrEqual(bound);
    // n uniform draws all stay below (1 − q)·bound with probability (1 − q)^n: for q = 0.2 and
    // the smallest tensor here (10 biases) 0.8^10 ≈ 0.1, for 32 biases 8e-4; seeded, so fixed.
    expect(largest).toBeGreaterThan((t.length >= 32 ? 0.8 : 0.5) * bound);
  }
  // U(±b) has variance b²/3; the weights hold ≥ 288 draws, relative standard error ≤ √(0.8/288) ≈ 5%.
  expect(variance(layer.weight.data) / (bound ** 2 / 3)).toBeGreaterThan(0.8);
  expect(variance(layer.weight.data) / (bound ** 2 / 3)).toBeLessThan(1.2);
}

describe('the λ paper\'s CNN (--width paper)', () => {
  const arch = cnn(MNIST, 10, 3, CNN_WIDTHS.paper);
  const spec = arch.spec;

  it('is the notebooks\' CNN layer by layer, with dropout 0.5 after the pool and after fc 128', () => {
    expect(spec.layers.map((l) => l.type)).toEqual(['conv2d', 'relu', 'conv2d', 'relu', 'maxpool2d', 'flatten', 'dense', 'relu', 'dense']);
    expect(inferShapes(spec)).toEqual([[1, 28, 28], [32, 26, 26], [32, 26, 26], [64, 24, 24], [64, 24, 24], [64, 12, 12], [9216], [128], [128], [10]]);
    expect(arch.dropout).toEqual([{ after: 4, rate: 0.5 }, { after: 7, rate: 0.5 }]);
    // conv1 32·1·9 + 32 = 320, conv2 64·32·9 + 64 = 18 496, fc1 128·9216 + 128 = 1 179 776,
    // fc2 10·128 + 10 = 1 290: 1 199 882, the PyTorch model's count.
    expect(parameterCount(spec)).toBe(1_199_882);
  });

  it('has PyTorch\'s default initialisation: weights and biases U(±1/√fan_in)', () => {
    const weighted = spec.layers.filter((l) => l.type === 'dense' || l.type === 'conv2d');
    expect(weighted.map(fanIn)).toEqual([9, 288, 9216, 128]);
    weighted.forEach(expectPytorchInit);
  });

  it('is seeded', () => {
    expect(sameSpec(cnn(MNIST, 10, 3, CNN_WIDTHS.paper).spec, spec)).toBe(true);
    expect(sameSpec(cnn(MNIST, 10, 4, CNN_WIDTHS.paper).spec, spec)).toBe(false);
  });
});

describe('the small CNN (--width small, the default)', () => {
  it('keeps its layers, size and fitted initialisation (He normal before relu, zero biases)', () => {
    const spec = cnn(MNIST, 10, 0, CNN_WIDTHS.small).spec;
    expect(spec.layers.map((l) => l.type)).toEqual(['conv2d', 'relu', 'conv2d', 'maxpool2d', 'relu', 'flatten', 'dense', 'relu', 'dense']);
    // The README's count: conv 8·9 + 8 = 80, conv 16·72 + 16 = 1 168, fc 128·400 + 128 = 51 328, fc 1 290.
    expect(parameterCount(spec)).toBe(53_866);
    for (const l of spec.layers) if (l.type === 'dense' || l.type === 'conv2d') expect(l.bias.data.every((b) => b === 0)).toBe(true);
  });
});

describe('flatgrad\'s BatchNorm CNN (--model cnn-bn)', () => {
  const arch = cnnBatchNorm(MNIST, 10, 5);
  const spec = arch.spec;

  it('is MNISTConvNet layer by layer: padded convolutions, BatchNorm before each relu, dropout before the logits', () => {
    expect(spec.layers.map((l) => l.type)).toEqual([
      'conv2d', 'batchnorm', 'relu', 'maxpool2d', 'conv2d', 'batchnorm', 'relu', 'maxpool2d', 'flatten', 'dense', 'batchnorm', 'relu', 'dense',
    ]);
    expect(inferShapes(spec)).toEqual([
      [1, 28, 28], [32, 28, 28], [32, 28, 28], [32, 28, 28], [32, 14, 14], [64, 14, 14], [64, 14, 14], [64, 14, 14], [64, 7, 7],
      [3136], [128], [128], [128], [10],
    ]);
    expect(arch.dropout).toEqual([{ after: 11, rate: 0.5 }]);
    // conv1 32·9 + 32 = 320, bn 2·32 = 64, conv2 64·288 + 64 = 18 496, bn 2·64 = 128,
    // fc1 128·3136 + 128 = 401 536, bn 2·128 = 256, fc2 1 290: 422 090 (running statistics are not parameters).
    expect(parameterCount(spec)).toBe(422_090);
  });

  it('starts its BatchNorm layers as PyTorch does (weight 1, bias 0, running mean 0, variance 1, eps 1e-5, momentum 0.1) and its other layers with PyTorch\'s default', () => {
    const norms = spec.layers.filter((l): l is BatchNormLayer => l.type === 'batchnorm');
    expect(norms.map((l) => l.weight.data.length)).toEqual([32, 64, 128]);
    for (const l of norms) {
      expect(l.weight.data.every((v) => v === 1) && l.bias.data.every((v) => v === 0)).toBe(true);
      expect(l.runningMean.data.every((v) => v === 0) && l.runningVar.data.every((v) => v === 1)).toBe(true);
      expect([l.eps, l.momentum]).toEqual([1e-5, 0.1]);
    }
    const weighted = spec.layers.filter((l) => l.type === 'dense' || l.type === 'conv2d');
    expect(weighted.map(fanIn)).toEqual([9, 288, 3136, 128]);
    weighted.forEach(expectPytorchInit);
  });

  it('is a valid model file that reads back the same', () => {
    const again = parseModel(stringifyModel(spec, { weights: 'base64' }));
    expect(sameSpec(again, spec)).toBe(true);
    expect(again.layers.filter((l) => l.type === 'batchnorm')).toEqual(spec.layers.filter((l) => l.type === 'batchnorm'));
  });
});
