// BatchNorm as a layer of model files, without a GPU: defaults, validation messages, writing and
// reading back, the eval-mode float64 forward, and the train-mode float64 gradient against
// finite differences.
import { describe, expect, it } from 'vitest';
import { JetcurveError, parseModel, stringifyModel } from '../src/node.js';
import { forward64 } from '../src/reference/model64.js';
import type { BatchNormLayer } from '../src/model/spec.js';
import { batchnormTrain64, batchnormTrainVjp64, batchStatistics64, runningUpdate64 } from '../src/reference/batchnorm64.js';
import { jet64 } from '../src/reference/jet64.js';
import { Random } from '../src/util/random.js';

const f32bytes = (...v: number[]) => btoa(String.fromCharCode(...new Uint8Array(Float32Array.from(v).buffer)));
const bn = (c: number, extra: Record<string, unknown> = {}) => ({
  type: 'batchnorm', weight: new Array(c).fill(2), bias: new Array(c).fill(0.5), runningMean: new Array(c).fill(1), runningVar: new Array(c).fill(3), ...extra,
});
const conv = { type: 'conv2d', weight: [[[[1]]], [[[-1]]]] }; // 1 → 2 channels, 1×1
const images = { format: 'jetcurve-model/1', input: [1, 3, 3] };
const vectors = { format: 'jetcurve-model/1', input: [2] };

function messageOf(json: unknown): string {
  try {
    parseModel(json);
  } catch (e) {
    expect(e).toBeInstanceOf(JetcurveError);
    return (e as Error).message;
  }
  return 'no error';
}

describe('batchnorm in model files', () => {
  it('reads BatchNorm2d after a convolution and BatchNorm1d on vectors, with PyTorch\'s defaults', () => {
    const spec = parseModel({ ...images, layers: [conv, bn(2)] });
    const layer = spec.layers[1] as BatchNormLayer;
    expect(layer.eps).toBe(1e-5);
    expect(layer.momentum).toBe(0.1);
    expect(Array.from(layer.weight.data)).toEqual([2, 2]);
    const plain = parseModel({ ...vectors, layers: [{ type: 'batchnorm', runningMean: [0, 1], runningVar: { base64: f32bytes(1, 4), shape: [2] }, eps: 0.001, momentum: 0.01 }] });
    const l1 = plain.layers[0] as BatchNormLayer;
    // Without weight and bias: γ = 1, β = 0 (affine=False, or PyTorch's initial values).
    expect(Array.from(l1.weight.data)).toEqual([1, 1]);
    expect(Array.from(l1.bias.data)).toEqual([0, 0]);
    expect(Array.from(l1.runningVar.data)).toEqual([1, 4]);
    expect([l1.eps, l1.momentum]).toEqual([0.001, 0.01]);
  });

  it('writes it back, inline and base64, to the same layer', () => {
    const spec = parseModel({ ...images, layers: [conv, bn(2, { eps: 1e-3, momentum: 0.2, runningVar: [0.25, 7] })] });
    for (const weights of ['inline', 'base64'] as const) {
      const again = parseModel(stringifyModel(spec, { weights }));
      expect(again).toEqual(spec);
    }
  });

  it('names the layer and the field of every problem', () => {
    expect(messageOf({ ...images, layers: [conv, bn(3)] })).toMatch(/^layer 1 \(batchnorm\): weight has 3 numbers but the previous layer gives 2×3×3 images \(2 channels\)/);
    expect(messageOf({ ...vectors, layers: [bn(2, { runningMean: [[0, 1]] })] })).toMatch(/layer 0 \(batchnorm\): runningMean is 1×2 but the previous layer gives vectors of 2 features/);
    expect(messageOf({ ...vectors, layers: [bn(2, { runningVar: [1, -0.5] })] })).toMatch(/layer 0 \(batchnorm\): runningVar holds -0.5 at channel 1/);
    expect(messageOf({ ...vectors, layers: [bn(2, { eps: 0 })] })).toMatch(/layer 0 \(batchnorm\): eps: expected a positive number, found 0/);
    expect(messageOf({ ...vectors, layers: [bn(2, { momentum: 2 })] })).toMatch(/layer 0 \(batchnorm\): momentum: expected a number in \[0, 1\], found 2/);
    expect(messageOf({ ...vectors, layers: [bn(2, { running_var: [1, 1] })] })).toMatch(/layer 0 \(batchnorm\): unknown field "running_var"/);
    expect(messageOf({ ...vectors, layers: [{ type: 'batchnorm', runningMean: [0, 0] }] })).toMatch(/layer 0 \(batchnorm\): runningVar: .* \(missing\)/);
    expect(messageOf({ ...vectors, layers: [bn(2, { bias: [0, NaN] })] })).toMatch(/layer 0 \(batchnorm\): bias holds NaN at \[1\]/);
  });

  it('the float64 forward is the eval-mode affine map on c_0 and the scaling on higher orders', () => {
    // y_0 = (x − 1)/√(3 + eps)·2 + 0.5 on both channels; conv makes channel 1 the negation.
    const spec = parseModel({ ...images, layers: [conv, bn(2)] });
    const x = jet64(1, 2, [1, 3, 3]);
    x.data.set(Array.from({ length: 27 }, (_, i) => i / 7));
    const y = forward64(spec, x);
    const s = 2 / Math.sqrt(3 + Math.fround(1e-5));
    for (let k = 0; k <= 2; k++) {
      for (let p = 0; p < 9; p++) {
        const v = x.data[k * 9 + p]!;
        expect(y.data[k * 18 + p]).toBeCloseTo(k === 0 ? (v - 1) * s + 0.5 : v * s, 12);
        expect(y.data[k * 18 + 9 + p]).toBeCloseTo(k === 0 ? (-v - 1) * s + 0.5 : -v * s, 12);
      }
    }
  });
});

describe('train-mode float64 reference', () => {
  const random = new Random(5);
  const [rows, C, H, W] = [3, 2, 2, 3];
  const x = jet64(rows, 0, [C, H, W], random.normals(rows * C * H * W, 2).map((v, i) => v + (i % 5)));
  const weight = Float64Array.from([1.5, -0.7]);
  const bias = Float64Array.from([0.2, 0.1]);
  const eps = 1e-5;

  it('normalizes each channel to mean 0 and (biased) variance 1/(1 + eps/σ²), then scales and shifts', () => {
    const y = batchnormTrain64(x, Float64Array.from([1, 1]), Float64Array.from([0, 0]), eps);
    const { mean, variance } = batchStatistics64(y);
    const raw = batchStatistics64(x);
    for (let c = 0; c < C; c++) {
      expect(Math.abs(mean[c]!)).toBeLessThan(1e-14);
      expect(variance[c]).toBeCloseTo(raw.variance[c]! / (raw.variance[c]! + eps), 13);
    }
    // Running statistics move by momentum toward the batch's, with the unbiased variance (÷ 17, 18 values).
    const r = runningUpdate64(Float64Array.from([0, 0]), Float64Array.from([1, 1]), raw, 0.1);
    expect(r.mean[1]).toBeCloseTo(0.1 * raw.mean[1]!, 14);
    expect(r.variance[1]).toBeCloseTo(0.9 + 0.1 * raw.variance[1]! * 18 / 17, 14);
  });

  it('its exact gradient matches central differences of the forward', () => {
    const ybar = random.normals(x.data.length);
    const value = (xv: Float64Array, wv: Float64Array, bv: Float64Array) =>
      batchnormTrain64(jet64(rows, 0, [C, H, W], xv), wv, bv, eps).data.reduce((s, v, i) => s + v * ybar[i]!, 0);
    const g = batchnormTrainVjp64(x, jet64(rows, 0, [C, H, W], ybar), weight, eps);
    const h = 1e-6;
    const bump = (v: Float64Array, i: number, d: number) => v.map((e, j) => (j === i ? e + d : e));
    x.data.forEach((_, i) => {
      const fd = (value(bump(x.data, i, h), weight, bias) - value(bump(x.data, i, -h), weight, bias)) / (2 * h);
      expect(g.xbar[i]).toBeCloseTo(fd, 7);
    });
    for (let c = 0; c < C; c++) {
      expect(g.weight[c]).toBeCloseTo((value(x.data, bump(weight, c, h), bias) - value(x.data, bump(weight, c, -h), bias)) / (2 * h), 7);
      expect(g.bias[c]).toBeCloseTo((value(x.data, weight, bump(bias, c, h)) - value(x.data, weight, bump(bias, c, -h))) / (2 * h), 7);
    }
  });
});
