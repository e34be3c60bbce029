import wgsl from '../shaders/batchnorm.wgsl';
import { Jet } from '../src/jet/jet.js';
import { describeShape } from '../src/jet/layout.js';
import { JetcurveError } from '../src/errors.js';
import type { Engine } from '../src/gpu/engine.js';
import type { Parameter } from '../src/autodiff/parameter.js';
import type { Recorder } from '../src/autodiff/recorder.js';
import { defineOp } from './op.js';

const entry = (entryPoint: string) => ({ name: 'batchnorm', wgsl, entryPoint } as const);
export const batchnormEvalStats = entry('batchnorm_eval_stats');
export const batchnormStatsPartial = entry('batchnorm_stats_partial');
export const batchnormStatsFinish = entry('batchnorm_stats_finish');
export const batchnormForward = entry('batchnorm_forward');
/** Four values per thread when the features are a whole number of vec4s (both MNIST CNNs' layers). */
export const batchnormForward4 = entry('batchnorm_forward4');
export const batchnormVjpPartial = entry('batchnorm_vjp_partial');
export const batchnormVjpFinish = entry('batchnorm_vjp_finish');
export const batchnormVjpInput = entry('batchnorm_vjp_input');
export const batchnormVjpInput4 = entry('batchnorm_vjp_input4');

/**
 * A BatchNorm layer on the GPU, one f32 per channel in each buffer. The channel axis is the
 * jet's first feature axis ([C] or [C, H, W]). runningMean and runningVar are state, not
 * parameters: train mode moves them (batchnormTrain), eval mode normalizes with them.
 */
export interface BatchNormWeights {
  readonly weight: GPUBuffer;
  readonly bias: GPUBuffer;
  readonly runningMean: GPUBuffer;
  readonly runningVar: GPUBuffer;
  readonly channels: number;
  readonly eps: number;
  readonly momentum: number;
}

/** Where the weight and bias cotangents are ADDED ([C] each); the owner zeroes them. */
export interface BatchNormGrads {
  readonly weight: GPUBuffer;
  readonly bias: GPUBuffer;
}

/**
 * The statistics a train-mode forward normalized with, [C][2]: (batch mean, 1/√(biased variance
 * + eps)); its reverse pass needs them. The caller releases them after the reverse pass.
 */
export class BatchNormStats {
  constructor(readonly engine: Engine, readonly buffer: GPUBuffer, readonly channels: number) {}

  /** (mean, 1/√(var + eps)) per channel, as f32. */
  async read(): Promise<Float32Array> {
    return this.engine.read(this.buffer, this.channels * 8);
  }

  release(): void {
    this.engine.pool.release(this.buffer);
  }
}

/** Threads the per-channel sums aim for (chunks × channels): enough for every core and SIMD lane. */
export const REDUCE_THREADS = 1024;

/** How a channel's `count` values are split: `chunks` chunks of `chunk` values (the last may be short). */
export function reduceChunks(count: number, channels: number): { chunks: number; chunk: number } {
  const chunk = Math.ceil(count / Math.min(count, Math.ceil(REDUCE_THREADS / channels)));
  return { chunks: Math.ceil(count / chunk), chunk };
}

function check(op: string, x: Jet, p: BatchNormWeights): void {
  if (!Number.isInteger(p.channels) || p.channels < 1 || !(p.eps > 0) || !(p.momentum >= 0 && p.momentum <= 1)) {
    throw new JetcurveError(`${op}: channels ${p.channels}, eps ${p.eps}, momentum ${p.momentum}: expected a positive integer, a positive number and a number in [0, 1]`,
      'fix the batchnorm layer in the model');
  }
  if (x.shape.length === 0 || x.shape[0] !== p.channels) {
    throw new JetcurveError(`${op} normalizes ${p.channels} channels (the first feature axis), the jet is ${describeShape(x)}`,
      'put the batchnorm layer after a layer with that many outputs or channels');
  }
}

function uniforms(x: Jet, p: BatchNormWeights, train: boolean, update: boolean) {
  const images = x.rows * (x.order + 1);
  const spatial = x.features / p.channels;
  return {
    images, coeffs: x.order + 1, channels: p.channels, spatial, ...reduceChunks(images * spatial, p.channels),
    train: train ? 1 : 0, update: update ? 1 : 0, eps: p.eps, momentum: p.momentum,
  };
}

type Uniforms = ReturnType<typeof uniforms>;

/** (running mean, 1/√(running var + eps)) per channel: eval mode's statistics. */
function evalStats(x: Jet, p: BatchNormWeights, u: Uniforms): GPUBuffer {
  const stats = x.engine.pool.acquire(p.channels * 8);
  x.engine.dispatch(batchnormEvalStats, { running_mean: p.runningMean, running_var: p.runningVar, stats_out: stats }, u, p.channels);
  return stats;
}

function affine(x: Jet, p: BatchNormWeights, stats: GPUBuffer, u: Uniforms): Jet {
  const y = Jet.empty(x.engine, x.rows, x.order, x.shape);
  if (x.features % 4 === 0) {
    x.engine.dispatch(batchnormForward4, { x4: x.buffer, weight: p.weight, bias: p.bias, stats, y4: y.buffer }, u, x.length / 4);
  } else {
    x.engine.dispatch(batchnormForward, { x: x.buffer, weight: p.weight, bias: p.bias, stats, y: y.buffer }, u, x.length);
  }
  return y;
}

/**
 * Eval mode at any order: y_0 = (x_0 − runningMean)/√(runningVar + eps)·weight + bias and
 * y_k = x_k·weight/√(runningVar + eps) for k ≥ 1, per channel.
 */
export function batchnormEval(x: Jet, p: BatchNormWeights): Jet {
  check('batchnorm', x, p);
  const u = uniforms(x, p, false, false);
  const stats = evalStats(x, p, u);
  const y = affine(x, p, stats, u);
  x.engine.pool.release(stats);
  return y;
}

/**
 * Train mode (values, order 0): normalizes each channel with the mean and biased variance of
 * its rows × positions, then weight·x̂ + bias; returns y and the statistics for the reverse pass.
 * With `updateRunning` (default) the running statistics move by momentum toward the batch's, the
 * variance unbiased (÷ (n − 1)), as PyTorch does in train mode.
 */
export function batchnormTrain(x: Jet, p: BatchNormWeights, updateRunning = true): { y: Jet; stats: BatchNormStats } {
  check('batchnorm (train mode)', x, p);
  if (x.order !== 0) {
    throw new JetcurveError(`batchnorm in train mode takes values (order 0), the jet has order ${x.order}`,
      'take jets of a BatchNorm network in eval mode (batchnormEval), as the λ paper\'s library does');
  }
  const u = uniforms(x, p, true, updateRunning);
  if (u.images * u.spatial < 2) {
    throw new JetcurveError(`batchnorm in train mode needs more than one value per channel, the batch has ${x.rows} row${x.rows === 1 ? '' : 's'} of ${describeShape(x)}`,
      'train with batches of at least 2 examples');
  }
  const engine = x.engine;
  const partial = engine.pool.acquire(p.channels * u.chunks * 8);
  const stats = engine.pool.acquire(p.channels * 8);
  engine.dispatch(batchnormStatsPartial, { x: x.buffer, partial }, u, p.channels * u.chunks);
  engine.dispatch(batchnormStatsFinish, { partial_in: partial, stats_out: stats, running_mean: p.runningMean, running_var: p.runningVar }, u, p.channels);
  engine.pool.release(partial);
  return { y: affine(x, p, stats, u), stats: new BatchNormStats(engine, stats, p.channels) };
}

function checkCotangent(op: string, x: Jet, ybar: Jet): void {
  if (ybar.rows !== x.rows || ybar.order !== x.order || ybar.shape.join() !== x.shape.join()) {
    throw new JetcurveError(`${op} vjp: the cotangent is ${describeShape(ybar)}, the output is ${describeShape(x)}`, `pass the cotangent of this ${op}'s output`);
  }
}

/** Σȳ and Σȳ·(x − m) per channel into `grads` (b̄, and w̄ after the factor r); returns the sums for x̄. */
function parameterSums(x: Jet, ybar: Jet, p: BatchNormWeights, stats: GPUBuffer, grads: BatchNormGrads | null, u: Uniforms): GPUBuffer {
  const engine = x.engine;
  const partial = engine.pool.acquire(p.channels * u.chunks * 8);
  const sums = engine.pool.acquire(p.channels * 8);
  // Without grads the sums still go somewhere: scratch buffers nobody reads.
  const wbar = grads?.weight ?? engine.pool.acquire(p.channels * 4);
  const bbar = grads?.bias ?? engine.pool.acquire(p.channels * 4);
  engine.dispatch(batchnormVjpPartial, { x: x.buffer, ybar: ybar.buffer, stats, partial }, u, p.channels * u.chunks);
  engine.dispatch(batchnormVjpFinish, { partial_in: partial, stats, wbar, bbar, sums_out: sums }, u, p.channels);
  engine.pool.release(partial);
  if (!grads) {
    engine.pool.release(wbar);
    engine.pool.release(bbar);
  }
  return sums;
}

function inputCotangent(x: Jet, ybar: Jet, p: BatchNormWeights, stats: GPUBuffer, sums: GPUBuffer, u: Uniforms): Jet {
  const xbar = Jet.empty(x.engine, x.rows, x.order, x.shape);
  if (x.features % 4 === 0) {
    x.engine.dispatch(batchnormVjpInput4, { x4: x.buffer, ybar4: ybar.buffer, weight: p.weight, bias: p.bias, stats, sums, xbar4: xbar.buffer }, u, x.length / 4);
  } else {
    x.engine.dispatch(batchnormVjpInput, { x: x.buffer, ybar: ybar.buffer, weight: p.weight, stats, sums, xbar: xbar.buffer }, u, x.length);
  }
  return xbar;
}

/**
 * Reverse mode of batchnormEval(x, p) for the output cotangent ȳ (every order): returns
 * x̄ = weight/√(runningVar + eps)·ȳ (null when `wantInput` is false) and adds into `grads`
 * w̄ = Σ_k ȳ_k·(x_k − [k = 0]·runningMean)/√(runningVar + eps) and b̄ = Σ ȳ_0 (over rows and positions).
 */
export function batchnormEvalVjp(x: Jet, ybar: Jet, p: BatchNormWeights, grads: BatchNormGrads | null, wantInput = true): Jet | null {
  check('batchnorm', x, p);
  checkCotangent('batchnorm', x, ybar);
  const u = uniforms(x, p, false, false);
  const stats = evalStats(x, p, u);
  let xbar: Jet | null = null;
  if (grads) x.engine.pool.release(parameterSums(x, ybar, p, stats, grads, u));
  // Eval mode's x̄ reads no sums; the binding still needs a buffer.
  if (wantInput) xbar = inputCotangent(x, ybar, p, stats, stats, u);
  x.engine.pool.release(stats);
  return xbar;
}

/**
 * Reverse mode of batchnormTrain(x, p) for ȳ, with the statistics it returned: adds
 * b̄ = Σȳ and w̄ = Σȳ·x̂ into `grads` and returns x̄ = weight/√(σ² + eps)·(ȳ − b̄/n − x̂·w̄/n)
 * (null when `wantInput` is false), n = values per channel.
 */
export function batchnormTrainVjp(x: Jet, ybar: Jet, p: BatchNormWeights, stats: BatchNormStats, grads: BatchNormGrads | null, wantInput = true): Jet | null {
  check('batchnorm (train mode)', x, p);
  checkCotangent('batchnorm', x, ybar);
  if (x.order !== 0) throw new JetcurveError(`batchnorm in train mode takes values (order 0), the jet has order ${x.order}`, 'pass the input of batchnormTrain');
  if (!grads && !wantInput) return null;
  const u = uniforms(x, p, true, false);
  const sums = parameterSums(x, ybar, p, stats.buffer, grads, u);
  const xbar = wantInput ? inputCotangent(x, ybar, p, stats.buffer, sums, u) : null;
  x.engine.pool.release(sums);
  return xbar;
}

/**
 * A BatchNorm layer's weight and bias [C] as Parameters; its running statistics [C] are state
 * (train mode moves them, eval mode reads them), not parameters.
 */
export interface BatchNormParameters extends Omit<BatchNormWeights, 'weight' | 'bias'> {
  readonly weight: Parameter;
  readonly bias: Parameter;
}

/** Eval mode (the running statistics), at any order. */
export const batchnormOp = defineOp({
  name: 'batchnorm',
  arity: 1,
  record(tape: Recorder, x: Jet, p: BatchNormParameters): Jet {
    const weights = { ...p, weight: p.weight.value, bias: p.bias.value };
    return tape.record([x], batchnormEval(x, weights), (ybar, [needX]) =>
      [batchnormEvalVjp(x, ybar, weights, { weight: p.weight.grad, bias: p.bias.grad }, needX)]);
  },
});

/**
 * Train mode (order 0): normalizes with the batch's statistics and moves the running ones
 * (`updateRunning`). The statistics the reverse pass needs are recorded as a jet of their own
 * and as a second input of y (which gets no cotangent): a Tape releases them with everything
 * else it made, and a Streaming recorder (which releases each input once read) as soon as y exists.
 */
export const batchnormTrainOp = defineOp({
  name: 'batchnormTrain',
  arity: 1,
  record(tape: Recorder, x: Jet, p: BatchNormParameters, updateRunning: boolean = true): Jet {
    const weights = { ...p, weight: p.weight.value, bias: p.bias.value };
    const { y, stats } = batchnormTrain(x, weights, updateRunning);
    const statsJet = tape.record([], new Jet(x.engine, stats.buffer, 1, 0, [p.channels, 2]), () => []);
    return tape.record([x, statsJet], y, (ybar, [needX]) =>
      [batchnormTrainVjp(x, ybar, weights, stats, { weight: p.weight.grad, bias: p.bias.grad }, needX), null]);
  },
});
