// BatchNorm: eval-mode jets at every test order and train-mode values against the float64
// reference (src/reference/batchnorm64.ts); reverse mode of both through vjp-harness.ts, and
// train mode's reverse pass against its exact float64 gradient at the MNIST CNN's size.
import {
  batchnormEval, batchnormEvalVjp, batchnormTrain, batchnormTrainVjp, reduceChunks, type BatchNormWeights,
} from '../../kernels/batchnorm.js';
import { JetcurveError } from '../../src/errors.js';
import type { Engine } from '../../src/gpu/engine.js';
import { Jet } from '../../src/jet/jet.js';
import {
  batchnormEval64, batchnormTrain64, batchnormTrainVjp64, batchStatistics64, channelGeometry, runningUpdate64, type BatchNorm64,
} from '../../src/reference/batchnorm64.js';
import { jet64, type Jet64 } from '../../src/reference/jet64.js';
import { Random } from '../../src/util/random.js';
import { scaledTolerance } from './error-scale.js';
import { outcome, randomF32, randomJet64, TEST_ORDERS, toGpu, U32, type CaseOutcome, type KernelCase } from './harness.js';
import { vjpCase, type VjpProblem } from './vjp-harness.js';

const EPS = Math.fround(1e-5);
const MOMENTUM = 0.1;

/** Random per-channel parameters, f32-representable; variances log-normal around 1 (0.2 to 5). */
function randomParameters(random: Random, channels: number): BatchNorm64 {
  return {
    weight: randomF32(random, channels),
    bias: randomF32(random, channels),
    runningMean: randomF32(random, channels),
    runningVar: randomF32(random, channels, 0.6).map((v) => Math.fround(Math.exp(v))),
    eps: EPS,
  };
}

function upload(engine: Engine, p: BatchNorm64): BatchNormWeights {
  const put = (v: Float64Array) => engine.upload(Float32Array.from(v));
  return {
    weight: put(p.weight), bias: put(p.bias), runningMean: put(p.runningMean), runningVar: put(p.runningVar),
    channels: p.weight.length, eps: p.eps, momentum: MOMENTUM,
  };
}

function releaseWeights(engine: Engine, w: BatchNormWeights): void {
  for (const b of [w.weight, w.bias, w.runningMean, w.runningVar]) engine.pool.release(b);
}

async function readAndRelease(jet: Jet): Promise<Float32Array> {
  const data = await jet.read();
  jet.release();
  return data;
}

/**
 * Eval mode is y_k = x_k·s + [k = 0]·(bias − mean·s) with s = weight·r, r = 1/√(var + eps).
 * r takes a sqrt and a division (WGSL: 1/inverseSqrt and 2.5 ulp each, ≤ ~7 ulp together),
 * then var + eps, x − mean and two products and a sum add one rounding each: ≤ 12·u relative to
 * the terms, (|x_k| + [k = 0]·|mean|)·|s| + [k = 0]·|bias| per element (scaledTolerance: c_0 can
 * cancel toward zero). 16·u leaves margin; it does not grow with k (no recurrence).
 */
function evalCase(name: string, rows: number, K: number, shape: readonly number[], seed: number): KernelCase {
  return {
    name: `batchnorm eval ${name} K=${K}`,
    async run(engine) {
      const random = new Random(seed);
      const x = randomJet64(random, rows, K, shape);
      const p = randomParameters(random, shape[0]!);
      const w = upload(engine, p);
      const got = await readAndRelease(batchnormEval(toGpu(engine, x), w));
      releaseWeights(engine, w);
      const want = batchnormEval64(x, p);
      const scale = batchnormEval64(
        { ...x, data: x.data.map(Math.abs) },
        { ...p, weight: p.weight.map(Math.abs), bias: p.bias.map(Math.abs), runningMean: p.runningMean.map((m) => -Math.abs(m)) },
      );
      return outcome(this.name, got, want, scaledTolerance(scale, want, () => 16 * U32));
    },
  };
}

/**
 * A sum of n terms in f32 carries an error of at most (n − 1)·u relative to Σ|terms|; for
 * rounding errors of random sign it is λ·√n·u except with probability ≤ 2·exp(−λ²/2·(1 − o(1)))
 * (Higham and Mary's probabilistic bound), and λ = 4 makes that ~1e-3 for a sum, where the
 * worst case would be thousands of times wider than anything observed. The per-channel sums run
 * in `chunks` chunks of `chunk` terms (kernels/batchnorm.ts), then over the chunks: 4·(√chunk + √chunks).
 */
function sumBound(count: number, channels: number): number {
  const { chunk, chunks } = reduceChunks(count, channels);
  return 4 * (Math.sqrt(chunk) + Math.sqrt(chunks));
}

/**
 * Train mode in f32: an error δ in a channel's mean moves y by δ·r, relative to y's size (the
 * weight times ~1) that is sumBound·u·mean|x|/σ; the variance's (a sum of squares about the mean)
 * moves r relatively by half its own, sumBound·u·(1 + …): 2·sumBound·u·mean|x|/σ covers both.
 * With the affine map's 16·u (evalCase) that is the tolerance; inputs have channel offsets up to
 * a few σ (trainInput), so mean|x|/σ matters.
 */
function trainTolerance(x: Jet64): number {
  const { channels, spatial } = channelGeometry(x.shape);
  const stats = batchStatistics64(x);
  const absMean = batchStatistics64({ ...x, data: x.data.map(Math.abs) }).mean;
  const spread = Math.max(...Array.from(absMean, (a, c) => a / Math.sqrt(stats.variance[c]! + EPS)));
  return (2 * sumBound(x.rows * spatial, channels) * spread + 16) * U32;
}

/** Values with a per-channel offset (mean ≠ 0) and spread (σ ≠ 1), as a conv layer's outputs. */
function trainInput(random: Random, rows: number, shape: readonly number[]): Jet64 {
  const { channels, spatial } = channelGeometry(shape);
  const offset = random.normals(channels, 2);
  const spread = random.normals(channels).map((v) => Math.exp(0.5 * v));
  const x = jet64(rows, 0, shape);
  for (let i = 0; i < x.data.length; i++) {
    const c = Math.floor(i / spatial) % channels;
    x.data[i] = Math.fround(offset[c]! + spread[c]! * random.normal());
  }
  return x;
}

/** y, and the running statistics moved by momentum 0.1 (unbiased variance), against the float64 reference. */
function trainCase(name: string, rows: number, shape: readonly number[], seed: number): KernelCase {
  return {
    name: `batchnorm train ${name} K=0`,
    async run(engine): Promise<CaseOutcome> {
      const random = new Random(seed);
      const x = trainInput(random, rows, shape);
      const p = randomParameters(random, shape[0]!);
      const w = upload(engine, p);
      const xj = toGpu(engine, x);
      const { y, stats } = batchnormTrain(xj, w);
      const got = await readAndRelease(y);
      const mean = await engine.read(w.runningMean, p.weight.length * 4);
      const variance = await engine.read(w.runningVar, p.weight.length * 4);
      stats.release();
      xj.release();
      releaseWeights(engine, w);
      const tolerance = trainTolerance(x);
      const result = outcome(this.name, got, batchnormTrain64(x, p.weight, p.bias, EPS), () => tolerance);
      const moved = runningUpdate64(p.runningMean, p.runningVar, batchStatistics64(x), MOMENTUM);
      const relative = (got32: Float32Array, want: Float64Array) => Math.hypot(...want.map((v, i) => got32[i]! - v)) / Math.hypot(...want);
      const errors = [...result.errors, relative(mean, moved.mean), relative(variance, moved.variance)];
      const tolerances = [...result.tolerances, tolerance, tolerance];
      const ok = errors.every((e, i) => e <= tolerances[i]!);
      return { name: this.name, errors, tolerances, ok, detail: `y ${result.errors[0]!.toExponential(2)}, running mean ${errors[1]!.toExponential(2)}, running var ${errors[2]!.toExponential(2)}` };
    },
  };
}

function expectError(name: string, run: (engine: Engine, w: BatchNormWeights) => void, message: RegExp): KernelCase {
  return {
    name: `batchnorm rejects ${name}`,
    async run(engine): Promise<CaseOutcome> {
      const w = upload(engine, randomParameters(new Random(1), 3));
      let detail = 'no error thrown';
      try {
        run(engine, w);
      } catch (e) {
        detail = e instanceof JetcurveError && message.test(e.message) ? '' : `wrong error: ${String(e)}`;
      }
      releaseWeights(engine, w);
      return { name: this.name, errors: [], tolerances: [], ok: detail === '', detail: detail || 'threw JetcurveError' };
    },
  };
}

function withJet(engine: Engine, rows: number, order: number, shape: number[], f: (x: Jet) => void): void {
  const x = Jet.empty(engine, rows, order, shape);
  try {
    f(x);
  } finally {
    x.release();
  }
}

export const batchnormCases: KernelCase[] = [
  ...TEST_ORDERS.map((K) => evalCase('BatchNorm2d 5×3×4', 3, K, [5, 3, 4], 2000 + K)),
  ...TEST_ORDERS.map((K) => evalCase('BatchNorm1d 7', 4, K, [7], 2100 + K)),
  // The CNN's sizes: 32 channels of 28×28 maps, and the 128 features of its hidden layer.
  evalCase('MNIST 32×28×28', 2, 2, [32, 28, 28], 2200),
  evalCase('MNIST 128', 16, 60, [128], 2201),
  expectError('a wrong channel count', (engine) => withJet(engine, 2, 1, [4, 2, 2], (x) => batchnormEval(x, upload(engine, randomParameters(new Random(2), 3)))),
    /normalizes 3 channels .* \[rows 2, order 1, features 4×2×2\]/),
];

export const batchnormTrainCases: KernelCase[] = [
  trainCase('BatchNorm2d 4×5×6, 3 rows', 3, [4, 5, 6], 2300),
  trainCase('BatchNorm1d 10, 16 rows', 16, [10], 2301),
  trainCase('BatchNorm1d 3, 2 rows', 2, [3], 2302),
  // The MNIST CNN's: 128 images of 32×26×26 (86 528 values a channel) and 64×14×14, the hidden layer's 128.
  trainCase('MNIST 32×26×26, 128 rows', 128, [32, 26, 26], 2303),
  trainCase('MNIST 64×14×14, 128 rows', 128, [64, 14, 14], 2304),
  trainCase('MNIST 128, 128 rows', 128, [128], 2305),
  expectError('train mode at order 1', (engine, w) => withJet(engine, 4, 1, [3], (x) => batchnormTrain(x, w)), /train mode takes values \(order 0\)/),
  expectError('train mode on one value per channel', (engine, w) => withJet(engine, 1, 0, [3], (x) => batchnormTrain(x, w)), /more than one value per channel/),
];

// ---- reverse mode ----

/**
 * Eval mode: x̄ = weight·r·ȳ (≤ 12·u as the forward); w̄ and b̄ are sums over rows, orders and
 * positions of n products, in chunks (sumBound), relative to Σ|ȳ·(x − m)| and Σ|ȳ|, which for
 * random signs are ~√n times the sums themselves: sumBound·u·(1 + …) with room for that factor at
 * these sizes by using 8·u per unit of the bound (2× sumBound's λ) plus the 12·u of r.
 */
function evalVjpProblem(rows: number, K: number, shape: readonly number[], seed: number): VjpProblem {
  const random = new Random(seed);
  const C = shape[0]!;
  const x = randomJet64(random, rows, K, shape);
  const p = randomParameters(random, C);
  const ybar = randomF32(random, x.data.length);
  const weights = (engine: Engine, [w, b, m, v]: Float64Array[]) => upload(engine, { weight: w!, bias: b!, runningMean: m!, runningVar: v!, eps: EPS });
  const asJet = (engine: Engine, v: Float64Array) => Jet.fromArray(engine, Float32Array.from(v), rows, K, shape);
  return {
    inputs: [x.data, p.weight, p.bias, p.runningMean, p.runningVar],
    differentiable: [true, true, true, false, false],
    ybar,
    forward64: ([xv, w, b, m, v]) => batchnormEval64(jet64(rows, K, shape, xv!), { weight: w!, bias: b!, runningMean: m!, runningVar: v!, eps: EPS }).data,
    async forwardGpu(engine, [xv, ...params]) {
      const w = weights(engine, params);
      const xj = asJet(engine, xv!);
      const out = await readAndRelease(batchnormEval(xj, w));
      xj.release();
      releaseWeights(engine, w);
      return out;
    },
    async vjpGpu(engine, [xv, ...params], yb) {
      const w = weights(engine, params);
      const xj = asJet(engine, xv!);
      const ybj = asJet(engine, yb);
      // Start the gradients at 1 and subtract it: checks that they are added, not stored.
      const grads = { weight: engine.upload(new Float32Array(C).fill(1)), bias: engine.upload(new Float32Array(C).fill(1)) };
      const gx = await readAndRelease(batchnormEvalVjp(xj, ybj, w, grads)!);
      const gw = (await engine.read(grads.weight, C * 4)).map((v) => v - 1);
      const gb = (await engine.read(grads.bias, C * 4)).map((v) => v - 1);
      for (const b of [grads.weight, grads.bias]) engine.pool.release(b);
      xj.release();
      ybj.release();
      releaseWeights(engine, w);
      return [gx, gw, gb];
    },
  };
}

function sumTolerance(rows: number, K: number, shape: readonly number[]): number {
  const { channels, spatial } = channelGeometry(shape);
  return (2 * sumBound(rows * (K + 1) * spatial, channels) + 12) * U32;
}

function evalVjpCase(name: string, rows: number, K: number, shape: readonly number[], seed: number): KernelCase {
  return vjpCase(`batchnorm vjp eval ${name} K=${K}`, () => evalVjpProblem(rows, K, shape, seed), { reference: sumTolerance(rows, K, shape), gradientCheck: 2e-3 });
}

function trainVjpProblem(rows: number, shape: readonly number[], seed: number): VjpProblem {
  const random = new Random(seed);
  const C = shape[0]!;
  const x = trainInput(random, rows, shape);
  const p = randomParameters(random, C);
  const ybar = randomF32(random, x.data.length);
  const weights = (engine: Engine, w: Float64Array, b: Float64Array) => upload(engine, { ...p, weight: w, bias: b });
  const asJet = (engine: Engine, v: Float64Array) => Jet.fromArray(engine, Float32Array.from(v), rows, 0, shape);
  return {
    inputs: [x.data, p.weight, p.bias],
    differentiable: [true, true, true],
    ybar,
    forward64: ([xv, w, b]) => batchnormTrain64(jet64(rows, 0, shape, xv!), w!, b!, EPS).data,
    async forwardGpu(engine, [xv, w, b]) {
      const bw = weights(engine, w!, b!);
      const xj = asJet(engine, xv!);
      const { y, stats } = batchnormTrain(xj, bw);
      const out = await readAndRelease(y);
      stats.release();
      xj.release();
      releaseWeights(engine, bw);
      return out;
    },
    async vjpGpu(engine, [xv, w, b], yb) {
      return trainVjpGpu(engine, asJet(engine, xv!), asJet(engine, yb), weights(engine, w!, b!));
    },
  };
}

/** Runs batchnormTrain and its reverse pass; returns x̄, w̄, b̄ (gradients started at 1, as above). */
async function trainVjpGpu(engine: Engine, xj: Jet, ybj: Jet, bw: BatchNormWeights): Promise<Float32Array[]> {
  const C = bw.channels;
  const { y, stats } = batchnormTrain(xj, bw, false);
  y.release();
  const grads = { weight: engine.upload(new Float32Array(C).fill(1)), bias: engine.upload(new Float32Array(C).fill(1)) };
  const gx = await readAndRelease(batchnormTrainVjp(xj, ybj, bw, stats, grads)!);
  const gw = (await engine.read(grads.weight, C * 4)).map((v) => v - 1);
  const gb = (await engine.read(grads.bias, C * 4)).map((v) => v - 1);
  for (const b of [grads.weight, grads.bias]) engine.pool.release(b);
  stats.release();
  xj.release();
  ybj.release();
  releaseWeights(engine, bw);
  return [gx, gw, gb];
}

/**
 * Train mode's x̄ = weight·r·(ȳ − b̄/n − x̂·w̄/n) takes the sums b̄, w̄ (as eval mode's, 8·u per
 * term of the chain) and the batch statistics (trainTolerance); their errors enter x̄ relative
 * to weight·r·|ȳ|, which is the size of x̄ itself for random ȳ. The sum of both bounds.
 */
function trainVjpTolerance(x: Jet64): number {
  return sumTolerance(x.rows, 0, x.shape) + trainTolerance(x);
}

function trainVjpCase(name: string, rows: number, shape: readonly number[], seed: number): KernelCase {
  const make = () => trainVjpProblem(rows, shape, seed);
  return vjpCase(`batchnorm vjp train ${name} K=0`, make, { reference: trainVjpTolerance(trainInput(new Random(seed), rows, shape)), gradientCheck: 2e-3 });
}

/** Train mode's reverse pass at sizes too large for difference quotients, against the exact float64 gradient. */
function trainAlgebraCase(name: string, rows: number, shape: readonly number[], seed: number): KernelCase {
  return {
    name: `batchnorm vjp train ${name} K=0 (float64 gradient)`,
    async run(engine) {
      const p = trainVjpProblem(rows, shape, seed);
      const [x, w, b] = p.inputs as [Float64Array, Float64Array, Float64Array];
      const xj = jet64(rows, 0, shape, x);
      const want = batchnormTrainVjp64(xj, jet64(rows, 0, shape, p.ybar), w, EPS);
      const asJet = (v: Float64Array) => Jet.fromArray(engine, Float32Array.from(v), rows, 0, shape);
      const got = await trainVjpGpu(engine, asJet(x), asJet(p.ybar), upload(engine, { weight: w, bias: b, runningMean: new Float64Array(w.length), runningVar: new Float64Array(w.length).fill(1), eps: EPS }));
      const errors = [want.xbar, want.weight, want.bias].map((v, i) => Math.sqrt(v.reduce((s, e, j) => s + (got[i]![j]! - e) ** 2, 0) / v.reduce((s, e) => s + e * e, 0)));
      const tolerance = trainVjpTolerance(xj);
      const ok = errors.every((e) => e <= tolerance);
      return { name: this.name, errors, tolerances: errors.map(() => tolerance), ok, detail: `x̄, w̄, b̄: ${errors.map((e) => e.toExponential(2)).join(', ')}` };
    },
  };
}

export const batchnormVjpCases: KernelCase[] = [
  ...[0, 1, 2, 4, 8, 60].map((K) => evalVjpCase('BatchNorm2d 3×2×2', 2, K, [3, 2, 2], 2400 + K)),
  evalVjpCase('BatchNorm1d 5', 3, 2, [5], 2470),
];

export const batchnormTrainVjpCases: KernelCase[] = [
  trainVjpCase('BatchNorm2d 3×2×3, 4 rows', 4, [3, 2, 3], 2500),
  trainVjpCase('BatchNorm1d 5, 6 rows', 6, [5], 2501),
  // Three values a channel, the fewest with a well-conditioned x̄: with two, x̂ = ±σ/√(σ² + eps)
  // whatever x is, and x̄ is the O(eps/σ²) remainder of a cancellation.
  trainVjpCase('BatchNorm1d 2, 3 rows', 3, [2], 2502),
  trainAlgebraCase('MNIST 32×26×26, 128 rows', 128, [32, 26, 26], 2510),
  trainAlgebraCase('MNIST 128, 128 rows', 128, [128], 2511),
];
