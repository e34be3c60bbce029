// Reverse mode through a whole tiny CNN on the tape: conv2d → relu → maxpool2d → flatten → dense
// → softmaxCrossEntropy → meanRows. Parameter gradients against float64 central differences of
// the model's reference forward (src/reference/model64.ts), at K = 0 (training) and at K = 2 with
// the seed on the order-2 coefficient of the mean loss (what CRR differentiates).
import { describe, expect, it } from 'vitest';
import { uploadLabels } from '../kernels/softmax-xent.js';
import { differentiable, flatten } from '../src/autodiff/ops.js';
import { Parameter } from '../src/autodiff/parameter.js';
import { Tape } from '../src/autodiff/tape.js';
import { Jet } from '../src/jet/jet.js';
import { forward64 } from '../src/reference/model64.js';
import type { ModelSpec } from '../src/model/spec.js';
import { tensor } from '../src/model/tensor.js';
import { conv2d64, maxpool2d64 } from '../src/reference/conv64.js';
import { relu64 } from '../src/reference/elementwise64.js';
import { dense64, jet64, type Jet64 } from '../src/reference/jet64.js';
import { softmaxCrossEntropy64 } from '../src/reference/loss64.js';
import { sumRows64 } from '../src/reference/reduce64.js';
import { Random } from '../src/util/random.js';
import { relativeError, U32 } from './cases/harness.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const ROWS = 3;
const CLASSES = 3;
const random = new Random(77);
const f32 = (n: number, std: number) => Float32Array.from(random.normals(n, std));
// [1, 6, 6] → conv 1→2 3×3 → [2, 4, 4] → pool 2×2 → [2, 2, 2] → 8 → dense → 3 classes.
const spec: ModelSpec = {
  input: [1, 6, 6],
  layers: [
    { type: 'conv2d', weight: tensor([2, 1, 3, 3], f32(18, 0.5)), bias: tensor([2], f32(2, 0.1)), stride: 1, padding: 0 },
    { type: 'relu' },
    { type: 'maxpool2d', size: 2, stride: 2 },
    { type: 'flatten' },
    { type: 'dense', weight: tensor([3, 8], f32(24, 0.6)), bias: tensor([3], f32(3, 0.1)) },
  ],
};
const points = f32(ROWS * 36, 1);
const directions = f32(ROWS * 36, 1);
const labels = Uint32Array.from({ length: ROWS }, () => random.int(CLASSES));
/** The tensors trained, in order: conv weight, conv bias, dense weight, dense bias. */
const tensors = [0, 4].flatMap((i) => {
  const layer = spec.layers[i] as { weight: { data: Float32Array }; bias: { data: Float32Array } };
  return [layer.weight.data, layer.bias.data];
});

/** Input jets: c_0 = point, c_1 = direction, higher orders 0. */
function inputData(K: number): Float64Array {
  const x = new Float64Array(ROWS * (K + 1) * 36);
  for (let r = 0; r < ROWS; r++) {
    x.set(points.subarray(r * 36, (r + 1) * 36), r * (K + 1) * 36);
    if (K >= 1) x.set(directions.subarray(r * 36, (r + 1) * 36), (r * (K + 1) + 1) * 36);
  }
  return x;
}

/**
 * The model's float64 forward with float64 parameters `values`: forward64 takes the spec's f32
 * tensors, which would round a difference step away, so this composes the same reference ops
 * (checked against forward64 itself at the unperturbed parameters in the test).
 */
function logits64(values: readonly Float64Array[], K: number): Jet64 {
  const [cw, cb, dw, db] = values as [Float64Array, Float64Array, Float64Array, Float64Array];
  const x = jet64(ROWS, K, [1, 6, 6], inputData(K));
  const conv = conv2d64(x, cw, cb, { inChannels: 1, outChannels: 2, kernelH: 3, kernelW: 3, stride: 1, padding: 0 });
  const pooled = maxpool2d64(relu64(conv), 2, 2);
  return dense64({ ...pooled, shape: [8] }, dw, db, 8, CLASSES);
}

/** Coefficient `order` of the mean loss. */
const meanLoss64 = (logits: Jet64, order: number): number => sumRows64(softmaxCrossEntropy64(logits, labels), true).data[order]!;

/** Richardson central differences, h = 1e-5: O(h⁴) truncation and ~1e-11 rounding, far below f32; no maxpool or relu kink within reach here. */
function referenceGradients(K: number, order: number): Float64Array[] {
  const base = tensors.map((t) => Float64Array.from(t));
  return base.map((t, which) => Float64Array.from(t, (v, i) => {
    const at = (step: number) => meanLoss64(logits64(base.map((u, j) => (j === which ? u.map((w, k) => (k === i ? v + step : w)) : u)), K), order);
    const d = (h: number) => (at(h) - at(-h)) / (2 * h);
    return (4 * d(5e-6) - d(1e-5)) / 3;
  }));
}

async function gpuGradients(K: number, order: number): Promise<{ value: number; grads: Float32Array[] }> {
  const e = engine();
  const params = tensors.map((t, i) => new Parameter(e, `p${i}`, [t.length], t));
  const [cw, cb, dw, db] = params as [Parameter, Parameter, Parameter, Parameter];
  const x = Jet.fromArray(e, Float32Array.from(inputData(K)), ROWS, K, [1, 6, 6]);
  const labelBuffer = uploadLabels(e, labels, CLASSES);
  const tape = new Tape();
  let h = differentiable.conv2d(tape, x, { weight: cw, bias: cb, inChannels: 1, outChannels: 2, kernelH: 3, kernelW: 3, stride: 1, padding: 0 });
  h = differentiable.relu(tape, h);
  h = differentiable.maxpool2d(tape, h, { size: 2, stride: 2 });
  h = flatten(tape, h);
  h = differentiable.dense(tape, h, { weight: dw, bias: db, inputs: 8, outputs: CLASSES });
  const loss = differentiable.meanRows(tape, differentiable.softmaxCrossEntropy(tape, h, labelBuffer));
  const value = (await loss.read())[order]!;
  const seedData = new Float32Array(K + 1);
  seedData[order] = 1;
  const seed = Jet.fromArray(e, seedData, 1, K, [1]);
  tape.backward(loss, seed);
  const grads: Float32Array[] = [];
  for (const p of params) grads.push(await p.readGrad());
  tape.release();
  for (const j of [x, seed]) j.release();
  e.pool.release(labelBuffer);
  for (const p of params) p.release();
  return { value, grads };
}

// Tolerance: the f32 error of each op's forward and reverse pass, composed. The VJP cases bound
// the single ops at ≤ ~8·u·(their longest sum, or 2K + 2 recurrence levels) and measure ~1–8·u;
// the chain has six ops and sums of at most 18 (conv W̄ per split) and 24 (dense) terms, so
// 64·u·(K + 1) per tensor covers the composition with margin while a wrong rule misses by O(1).
describe('tape: tiny CNN (conv2d, relu, maxpool2d, flatten, dense, softmax cross-entropy, mean)', () => {
  for (const [K, order] of [[0, 0], [2, 2]] as const) {
    it(`parameter gradients of c_${order} of the mean loss at K=${K}`, async () => {
      const { value, grads } = await gpuGradients(K, order);
      const want = referenceGradients(K, order);
      const reference = forward64(spec, jet64(ROWS, K, [1, 6, 6], inputData(K)));
      expect(logits64(tensors.map((t) => Float64Array.from(t)), K).data).toEqual(reference.data);
      const loss = meanLoss64(reference, order);
      expect(Math.abs(value - loss)).toBeLessThan(64 * U32 * (K + 1) * Math.abs(loss));
      const errors = grads.map((g, i) => relativeError(g, want[i]!));
      console.log(`K=${K} c_${order}: value ${value.toExponential(4)}; gradient errors in u: ${errors.map((v) => (v / U32).toFixed(2)).join(', ')}`);
      for (const err of errors) expect(err).toBeLessThan(64 * U32 * (K + 1));
    });
  }
});
