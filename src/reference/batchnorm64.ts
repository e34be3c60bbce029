// Float64 references of batch normalization over the channel axis (the first feature axis: [C]
// or [C, H, W]; feature f of a jet with F features belongs to channel ⌊f/S⌋, S = F/C).
//  - eval mode, on jets of any order: y_0 = (x_0 − mean)·s + bias, y_k = s·x_k for k ≥ 1,
//    s = weight/√(var + eps) per channel (an affine map per channel);
//  - train mode, on values (order 0): the batch's statistics over rows × spatial positions,
//    their running update, and the exact gradient (PyTorch's formulas).
import { featureCount } from '../jet/layout.js';
import { jet64, type Jet64 } from './jet64.js';

export interface BatchNorm64 {
  readonly weight: Float64Array;
  readonly bias: Float64Array;
  readonly runningMean: Float64Array;
  readonly runningVar: Float64Array;
  readonly eps: number;
}

/** Channels C and positions per channel S of a feature shape [C] or [C, H, W]. */
export function channelGeometry(shape: readonly number[]): { channels: number; spatial: number } {
  const channels = shape[0]!;
  return { channels, spatial: featureCount(shape) / channels };
}

export function batchnormEval64(x: Jet64, p: BatchNorm64): Jet64 {
  const { spatial } = channelGeometry(x.shape);
  const F = featureCount(x.shape);
  const y = jet64(x.rows, x.order, x.shape);
  for (let row = 0; row < x.rows; row++) {
    for (let k = 0; k <= x.order; k++) {
      for (let f = 0; f < F; f++) {
        const c = Math.floor(f / spatial);
        const s = p.weight[c]! / Math.sqrt(p.runningVar[c]! + p.eps);
        const i = (row * (x.order + 1) + k) * F + f;
        y.data[i] = k === 0 ? (x.data[i]! - p.runningMean[c]!) * s + p.bias[c]! : s * x.data[i]!;
      }
    }
  }
  return y;
}

export interface BatchStatistics64 {
  readonly mean: Float64Array;
  /** Biased (÷ count): what the batch is normalized with. */
  readonly variance: Float64Array;
  /** Values per channel: rows × spatial positions. */
  readonly count: number;
}

function requireValues(x: Jet64): void {
  if (x.order !== 0) throw new Error(`train-mode batch norm takes values (order 0), got order ${x.order}`);
}

export function batchStatistics64(x: Jet64): BatchStatistics64 {
  requireValues(x);
  const { channels, spatial } = channelGeometry(x.shape);
  const count = x.rows * spatial;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  const at = (row: number, c: number, s: number) => x.data[(row * channels + c) * spatial + s]!;
  for (let c = 0; c < channels; c++) {
    let sum = 0;
    for (let row = 0; row < x.rows; row++) for (let s = 0; s < spatial; s++) sum += at(row, c, s);
    mean[c] = sum / count;
    let squares = 0;
    for (let row = 0; row < x.rows; row++) for (let s = 0; s < spatial; s++) squares += (at(row, c, s) - mean[c]!) ** 2;
    variance[c] = squares / count;
  }
  return { mean, variance, count };
}

/** Train mode: x normalized with the batch's mean and biased variance, then weight·x̂ + bias. */
export function batchnormTrain64(x: Jet64, weight: Float64Array, bias: Float64Array, eps: number): Jet64 {
  const stats = batchStatistics64(x);
  return batchnormEval64(x, { weight, bias, runningMean: stats.mean, runningVar: stats.variance, eps });
}

/** running = (1 − momentum)·running + momentum·batch, with the unbiased batch variance (÷ (count − 1)), as PyTorch. */
export function runningUpdate64(runningMean: Float64Array, runningVar: Float64Array, stats: BatchStatistics64, momentum: number): { mean: Float64Array; variance: Float64Array } {
  const unbiased = stats.count / (stats.count - 1);
  return {
    mean: runningMean.map((r, c) => (1 - momentum) * r + momentum * stats.mean[c]!),
    variance: runningVar.map((r, c) => (1 - momentum) * r + momentum * stats.variance[c]! * unbiased),
  };
}

/**
 * The exact gradient of ⟨ȳ, batchnormTrain64(x)⟩: with x̂ = (x − μ)/√(σ² + eps) and n values per
 * channel, b̄ = Σȳ, w̄ = Σȳ·x̂, x̄ = weight/√(σ² + eps)·(ȳ − b̄/n − x̂·w̄/n).
 */
export function batchnormTrainVjp64(x: Jet64, ybar: Jet64, weight: Float64Array, eps: number): { xbar: Float64Array; weight: Float64Array; bias: Float64Array } {
  const { mean, variance, count } = batchStatistics64(x);
  const { channels, spatial } = channelGeometry(x.shape);
  const wbar = new Float64Array(channels);
  const bbar = new Float64Array(channels);
  const xbar = new Float64Array(x.data.length);
  const index = (row: number, c: number, s: number) => (row * channels + c) * spatial + s;
  for (let c = 0; c < channels; c++) {
    const inv = 1 / Math.sqrt(variance[c]! + eps);
    for (let row = 0; row < x.rows; row++) {
      for (let s = 0; s < spatial; s++) {
        const i = index(row, c, s);
        bbar[c]! += ybar.data[i]!;
        wbar[c]! += ybar.data[i]! * (x.data[i]! - mean[c]!) * inv;
      }
    }
    for (let row = 0; row < x.rows; row++) {
      for (let s = 0; s < spatial; s++) {
        const i = index(row, c, s);
        const xhat = (x.data[i]! - mean[c]!) * inv;
        xbar[i] = weight[c]! * inv * (ybar.data[i]! - bbar[c]! / count - xhat * wbar[c]! / count);
      }
    }
  }
  return { xbar, weight: wbar, bias: bbar };
}
