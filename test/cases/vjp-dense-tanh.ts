// Reverse mode of dense and tanh, checked by test/cases/vjp-harness.ts.
import { dense, denseVjp } from '../../kernels/dense.js';
import { tanh, tanhVjp } from '../../kernels/tanh.js';
import type { Engine } from '../../src/gpu/engine.js';
import { Jet } from '../../src/jet/jet.js';
import { dense64, jet64, tanh64 } from '../../src/reference/jet64.js';
import { Random } from '../../src/util/random.js';
import { randomF32, randomJet64, type KernelCase } from './harness.js';
import { U32, vjpCase, type VjpProblem } from './vjp-harness.js';

const VJP_ORDERS = [0, 1, 2, 4, 8, 60] as const;

async function readAndRelease(jet: Jet): Promise<Float32Array> {
  const data = await jet.read();
  jet.release();
  return data;
}

function tanhProblem(K: number, seed: number, features = 3): VjpProblem {
  const random = new Random(seed);
  const rows = 2;
  const x = randomJet64(random, rows, K, [features], 0.5, 1.2);
  const ybar = randomF32(random, x.data.length);
  const asJet = (engine: Engine, v: Float64Array) => Jet.fromArray(engine, Float32Array.from(v), rows, K, [features]);
  return {
    inputs: [x.data],
    differentiable: [true],
    ybar,
    forward64: ([v]) => tanh64(jet64(rows, K, [features], v!)).data,
    async forwardGpu(engine, [v]) {
      const xj = asJet(engine, v!);
      const out = await readAndRelease(tanh(xj));
      xj.release();
      return out;
    },
    async vjpGpu(engine, [v], yb) {
      const xj = asJet(engine, v!);
      const ybj = asJet(engine, yb);
      const out = await readAndRelease(tanhVjp(xj, ybj));
      xj.release();
      ybj.release();
      return [out];
    },
  };
}

function denseProblem(K: number, weightOrder: number, seed: number, inputs = 5, outputs = 6): VjpProblem {
  const random = new Random(seed);
  const rows = 3;
  const x = randomJet64(random, rows, K, [inputs]);
  const w = randomF32(random, (weightOrder + 1) * outputs * inputs, 1 / Math.sqrt(inputs));
  const b = randomF32(random, (weightOrder + 1) * outputs);
  const ybar = randomF32(random, rows * (K + 1) * outputs);
  const weights = (engine: Engine, wv: Float64Array, bv: Float64Array) => ({
    weight: engine.upload(Float32Array.from(wv)), bias: engine.upload(Float32Array.from(bv)), inputs, outputs, order: weightOrder,
  });
  return {
    inputs: [x.data, w, b],
    differentiable: [true, true, true],
    ybar,
    forward64: ([xv, wv, bv]) => dense64(jet64(rows, K, [inputs], xv!), wv!, bv!, inputs, outputs, weightOrder).data,
    async forwardGpu(engine, [xv, wv, bv]) {
      const xj = Jet.fromArray(engine, Float32Array.from(xv!), rows, K, [inputs]);
      const p = weights(engine, wv!, bv!);
      const out = await readAndRelease(dense(xj, p));
      xj.release();
      engine.pool.release(p.weight);
      engine.pool.release(p.bias);
      return out;
    },
    async vjpGpu(engine, [xv, wv, bv], yb) {
      const xj = Jet.fromArray(engine, Float32Array.from(xv!), rows, K, [inputs]);
      const ybj = Jet.fromArray(engine, Float32Array.from(yb), rows, K, [outputs]);
      const p = weights(engine, wv!, bv!);
      // Gradients accumulate: start them from a known nonzero value and subtract it, which also checks accumulation.
      const wbar = engine.upload(new Float32Array(wv!.length).fill(1));
      const bbar = engine.upload(new Float32Array(bv!.length).fill(1));
      const xbar = denseVjp(xj, ybj, p, { weight: wbar, bias: bbar })!;
      const gx = await readAndRelease(xbar);
      const gw = (await engine.read(wbar, wv!.length * 4)).map((v) => v - 1);
      const gb = (await engine.read(bbar, bv!.length * 4)).map((v) => v - 1);
      for (const buffer of [p.weight, p.bias, wbar, bbar]) engine.pool.release(buffer);
      xj.release();
      ybj.release();
      return [gx, gw, gb];
    },
  };
}

// Tolerances. Reference: the float64 gradient is exact to ~1e-10, so the error is the f32
// arithmetic of the kernels: tanh's reverse recurrence has depth ~2K, like the forward one
// (64·u·(K+1), see tanh.ts); dense sums rows·(K+1) ≤ 183 products per weight gradient
// (16·u·183 ≈ 2e-4 covers random-sign sums). Gradient check: the f32 difference quotient with
// h = 1e-2 carries roundoff ~u·|s|/h ≈ 1e-5·|s| relative, and |s| can exceed |⟨x̄,d⟩| tenfold.
export const vjpDenseTanhCases: KernelCase[] = [
  ...VJP_ORDERS.map((K) => vjpCase(`tanh vjp K=${K}`, () => tanhProblem(K, 500 + K),
    { reference: 64 * U32 * (2 * K + 2), gradientCheck: 2e-3 })),
  // Four features per thread: 6 features are one whole group and one partial. Orders 3, 5, 6, 7
  // complete the unrolled kernels (K ≤ 8, kernels/unary.ts); 12 and 16 reach the looped
  // kernel's 16- and 32-coefficient pipelines (60 the full one).
  ...[0, 3, 4, 5, 6, 7, 12, 16].map((K) => vjpCase(`tanh vjp 6 features K=${K}`, () => tanhProblem(K, 550 + K, 6),
    { reference: 64 * U32 * (2 * K + 2), gradientCheck: 2e-3 })),
  ...VJP_ORDERS.map((K) => vjpCase(`dense vjp K=${K}`, () => denseProblem(K, 0, 600 + K),
    { reference: 16 * U32 * 3 * (K + 1) + 16 * U32 * 6, gradientCheck: 2e-3 })),
  vjpCase('dense vjp jet weights J=2 K=4', () => denseProblem(4, 2, 700), { reference: 16 * U32 * 3 * 5 * 3, gradientCheck: 2e-3 }),
  // Inputs and outputs multiples of 4 take the vec4 kernels (3 rows × (K+1) is not a multiple
  // of their 8-row tile: the tail rows are exercised too).
  ...[0, 1, 4, 8].map((K) => vjpCase(`dense vjp 4-wide K=${K}`, () => denseProblem(K, 0, 650 + K, 8, 12),
    { reference: 16 * U32 * 3 * (K + 1) + 16 * U32 * 12, gradientCheck: 2e-3 })),
  vjpCase('dense vjp 4-wide jet weights J=2 K=4', () => denseProblem(4, 2, 710, 8, 4), { reference: 16 * U32 * 3 * 5 * 3, gradientCheck: 2e-3 }),
];
