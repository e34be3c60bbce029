// ONNX models against ONNX Runtime (onnxruntime-node, CPU, float32): an imported model's order-0
// outputs on the GPU and in the float64 reference agree with the runtime's to float32 rounding,
// and its higher-order jets agree with the float64 reference; a model exported from jetcurve runs
// in the runtime and gives jetcurve's outputs.
// The tolerance, 4·L·U32·max|y|, is explained in test/onnx/tolerance.ts.
import { describe, expect, it } from 'vitest';
import { MODEL_FORMAT, Model, parseModel, referenceJets, type ModelSpec } from '../src/node.js';
import { randomMlp } from '../src/model/random-mlp.js';
import { exportOnnx, importOnnx, onnxToModelFile } from '../src/onnx/index.js';
import { decodeTensor } from '../src/model/tensor.js';
import { Random } from '../src/util/random.js';
import { orderErrors } from './cases/harness.js';
import { useEngine } from './gpu.js';
import { GraphBuilder, torchCnn, torchMlp } from './onnx/graphs.js';
import { runtimeOutputs } from './onnx/runtime.js';
import { smallCnn } from './onnx/specs.js';
import { expectWithinRounding, gap, gapText, longestDot, roundingBound } from './onnx/tolerance.js';

const engine = useEngine();
const ROWS = 8;

function inputs(spec: ModelSpec, seed: number): { points: Float32Array; directions: Float64Array } {
  const size = spec.input.reduce((a, b) => a * b, 1);
  const random = new Random(seed);
  const points = Float32Array.from(random.normals(ROWS * size));
  const directions = new Float64Array(ROWS * size);
  for (let r = 0; r < ROWS; r++) directions.set(random.unitVector(size), r * size);
  return { points, directions };
}

/** Our GPU jets of order K at the points, coefficients [point][k][output]. */
async function gpuJets(model: Model, points: Float32Array, directions: Float64Array, order: number): Promise<Float64Array> {
  const size = model.inputShape.reduce((a, b) => a * b, 1);
  const rows = (a: ArrayLike<number>) => Array.from({ length: ROWS }, (_, r) => Array.from(a).slice(r * size, (r + 1) * size));
  return (await engine().checked(() => model.jets({ points: rows(points), directions: rows(directions), order }))).coefficients;
}

/** Order-0 outputs of the GPU, of the float64 reference and of ONNX Runtime for one .onnx file and its spec. */
async function againstRuntime(label: string, bytes: Uint8Array, spec: ModelSpec, model: Model, seed: number) {
  const { points, directions } = inputs(spec, seed);
  const runtime = await runtimeOutputs(bytes, points, spec.input);
  const gpu = await gpuJets(model, points, directions, 0);
  const ref = referenceJets(spec, points, directions, 0).data;
  const gpuGap = expectWithinRounding(gpu, runtime, spec);
  const refGap = expectWithinRounding(ref, runtime, spec);
  console.log(`${label} (L = ${longestDot(spec)}, bound ${roundingBound(spec)} units): GPU vs ONNX Runtime ${gapText(gpuGap)}; float64 reference vs ONNX Runtime ${gapText(refGap)}`);
  return { points, directions, gpu };
}

/** Jets of order 8 against the float64 reference: the criterion of model-jets.test.ts, 1e-4 per order through order 8. */
async function jetsAgainstReference(label: string, spec: ModelSpec, model: Model, seed: number) {
  const { points, directions } = inputs(spec, seed);
  const errors = orderErrors(await gpuJets(model, points, directions, 8), referenceJets(spec, points, directions, 8));
  console.log(`${label}: jets vs float64 reference, err_2 ${errors[2]!.toExponential(1)}, err_4 ${errors[4]!.toExponential(1)}, err_8 ${errors[8]!.toExponential(1)}`);
  const bad = errors.map((e, n) => [n, e] as const).filter(([, e]) => !(e <= 1e-4));
  expect(bad, `orders over 1e-4: ${bad.map(([n, e]) => `${n}: ${e.toExponential(2)}`).join(', ')}`).toEqual([]);
}

async function imported(label: string, bytes: Uint8Array, seed: number): Promise<void> {
  const spec = importOnnx(bytes, `${label}.onnx`);
  const model = Model.fromOnnx(engine(), bytes, `${label}.onnx`);
  try {
    await againstRuntime(`imported ${label}`, bytes, spec, model, seed);
    await jetsAgainstReference(`imported ${label}`, spec, model, seed + 1);
  } finally {
    model.destroy();
  }
}

describe('imported from torch-shaped ONNX graphs: outputs against ONNX Runtime, jets against float64', () => {
  it('MLP: Gemm, Relu, Dropout, Tanh (opset 17)', () => imported('mlp', torchMlp(), 1));
  it('MLP: MatMul + Add (opset 11)', () => imported('mlp-matmul', torchMlp({ form: 'matmul', opset: 11, seed: 7 }), 3));
  it('MLP: MatMul(x, Transpose(W)) + Add', () => imported('mlp-transposed', torchMlp({ form: 'transposed', seed: 12 }), 15));
  it('CNN: Conv (padding; stride and groups), MaxPool, Sigmoid, Dropout, Flatten, Gemm', () => imported('cnn', torchCnn(), 5));
  it('CNN: flattened by Shape-Gather-Unsqueeze-Concat-Reshape (opset 11)', () => imported('cnn-view', torchCnn({ flatten: 'view', opset: 11, seed: 8 }), 7));
  it('MLP with BatchNorm1d and dropout', () => imported('mlp-bn', torchMlp({ batchnorm: true, seed: 9 }), 9));
  it('CNN with BatchNorm2d and dropout', () => imported('cnn-bn', torchCnn({ batchnorm: true, seed: 10 }), 11));
  it('MLP with Softplus', () => imported('mlp-softplus', torchMlp({ activation: 'Softplus', seed: 11 }), 13));
});

describe('exported from jetcurve: ONNX Runtime gives our outputs', () => {
  async function exported(label: string, spec: ModelSpec, seed: number): Promise<void> {
    const bytes = exportOnnx(spec);
    const model = new Model(engine(), spec);
    const again = Model.fromOnnx(engine(), bytes);
    try {
      const { points, directions, gpu } = await againstRuntime(`exported ${label}`, bytes, spec, model, seed);
      // Round trip: the reimported model has the same weights, so the same kernels give the same bits.
      expect(await gpuJets(again, points, directions, 0)).toEqual(gpu);
    } finally {
      model.destroy();
      again.destroy();
    }
  }

  it('an MLP (dense, tanh)', () => exported('mlp', randomMlp([3, 32, 32, 4], { seed: 41 }), 21));
  it('an MLP (dense, relu, sigmoid)', () => exported('mlp-relu', { ...randomMlp([5, 16, 2], { seed: 42, activation: 'relu' }),
    layers: [...randomMlp([5, 16, 2], { seed: 42, activation: 'relu' }).layers, { type: 'sigmoid' }] }, 22));
  it('a CNN (conv2d with padding and stride, overlapping maxpool2d, flatten, dense)', () => exported('cnn', smallCnn, 23));
  it('a CNN with batchnorm on images (imported from a torch-shaped graph, exported again)', () =>
    exported('cnn-bn', importOnnx(torchCnn({ batchnorm: true, seed: 14 })), 25));
  it('a model with batchnorm and softplus', () => {
    const random = new Random(43);
    const v = (n: number, std: number, mean = 0) => Array.from(random.normals(n, std), (x) => Math.fround(x + mean));
    const spec = parseModel({ format: MODEL_FORMAT, input: [6], layers: [
      { type: 'dense', weight: [v(6, 0.4), v(6, 0.4), v(6, 0.4), v(6, 0.4)], bias: v(4, 0.1) },
      { type: 'batchnorm', weight: v(4, 0.2, 1), bias: v(4, 0.2), runningMean: v(4, 0.3), runningVar: v(4, 0.1, 1).map(Math.abs), eps: 1e-5 },
      { type: 'softplus' },
      { type: 'dense', weight: [v(4, 0.5), v(4, 0.5)], bias: v(2, 0.1) },
    ] });
    return exported('bn-softplus', spec, 24);
  });
});

// The JSON the importer writes for Softplus and BatchNormalization, checked against the runtime
// through the formulas those layers are specified by, independently of their kernels:
// softplus(x) = log(1 + eˣ), batchnorm y = (x − runningMean)/√(runningVar + eps)·weight + bias per
// channel (axis 0 of the feature shape).
describe('Softplus and BatchNormalization mappings, by the layer formulas in float64, against ONNX Runtime', () => {
  type Tensor = ReturnType<typeof decodeTensor>;
  const field = (layer: Record<string, unknown>, name: string): Tensor => decodeTensor(layer[name] as { base64: string; shape: number[] }, name);

  function batchnorm64(layer: Record<string, unknown>, x: Float32Array, shape: readonly number[]): Float64Array {
    const [weight, bias, mean, variance] = ['weight', 'bias', 'runningMean', 'runningVar'].map((n) => field(layer, n).data);
    const eps = layer.eps as number;
    const perChannel = shape.slice(1).reduce((a, b) => a * b, 1);
    const channels = shape[0]!;
    return Float64Array.from(x, (v, i) => {
      const c = Math.floor(i / perChannel) % channels;
      return ((v - mean![c]!) / Math.sqrt(variance![c]! + eps)) * weight![c]! + bias![c]!;
    });
  }

  async function single(op: 'Softplus' | 'BatchNormalization', shape: number[]): Promise<void> {
    const g = new GraphBuilder({ name: 'x', dims: ['batch', ...shape] }, 51);
    if (op === 'Softplus') g.node('Softplus', ['x']);
    else g.batchnorm('x', shape[0]!);
    const bytes = g.bytes('y', ['batch', ...shape]);
    const file = onnxToModelFile(bytes);
    const layers = file.layers as Record<string, unknown>[];
    expect(layers.map((l) => l.type)).toEqual([op === 'Softplus' ? 'softplus' : 'batchnorm']);
    const size = shape.reduce((a, b) => a * b, 1);
    const x = Float32Array.from(new Random(52).normals(ROWS * size, 2));
    const runtime = await runtimeOutputs(bytes, x, shape);
    const ours = op === 'Softplus'
      ? Float64Array.from(x, (v) => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v))))
      : batchnorm64(layers[0]!, x, shape);
    const g64 = gap(ours, runtime);
    console.log(`${op} on ${shape.join('×')}: layer formula in float64 vs ONNX Runtime ${gapText(g64)}`);
    // One f32 rounding per operation of the formula, a handful of them: 8 U32·max|y|.
    expect(g64.inUnits).toBeLessThanOrEqual(8);
  }

  it('Softplus as {"type": "softplus"}', () => single('Softplus', [7]));
  it('BatchNormalization on vectors (BatchNorm1d) as the batchnorm layer\'s fields', () => single('BatchNormalization', [6]));
  it('BatchNormalization on images (BatchNorm2d) as the batchnorm layer\'s fields', () => single('BatchNormalization', [3, 4, 5]));
});
