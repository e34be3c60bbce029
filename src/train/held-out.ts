// What a run measures after each epoch on the held-out split: softmax probabilities (f64 on
// the host from the GPU's logits), accuracy, ECE, hard-20% accuracy, pair confusion, and λ.
import type { DataSet } from '../data/file.js';
import { JetcurveError } from '../errors.js';
import { Jet } from '../jet/jet.js';
import { featureCount } from '../jet/layout.js';
import { PAPER_BAND, defaultDirectionCount, type LambdaEstimator } from '../lambda/estimators.js';
import { networkLambda, type PointSelection } from '../lambda/network.js';
import type { RawMethod } from '../lambda/raw.js';
import type { Model } from '../model/model.js';
import { classificationMetrics, type ClassificationMetrics } from './metrics.js';
import type { DatasetName, Split } from './data-split.js';

/** Rows per forward pass: bounded memory for the paper-width CNN, few passes for the rest. */
const CHUNK = 500;

/** Softmax probabilities [n][classes] of the network at the split's inputs. */
export async function probabilities(network: Model, split: Split): Promise<Float64Array> {
  const size = featureCount(network.inputShape);
  const classes = featureCount(network.outputShape);
  const probs = new Float64Array(split.n * classes);
  for (let start = 0; start < split.n; start += CHUNK) {
    const rows = Math.min(CHUNK, split.n - start);
    const x = Jet.fromArray(network.engine, split.inputs.subarray(start * size, (start + rows) * size), rows, 0, network.inputShape);
    const z = network.predict(x);
    const logits = await z.read();
    x.release();
    z.release();
    for (let r = 0; r < rows; r++) {
      const row = logits.subarray(r * classes, (r + 1) * classes);
      const m = row.reduce((a, b) => Math.max(a, b), -Infinity);
      let s = 0;
      for (let c = 0; c < classes; c++) s += Math.exp(row[c]! - m);
      for (let c = 0; c < classes; c++) probs[(start + r) * classes + c] = Math.exp(row[c]! - m) / s;
    }
  }
  return probs;
}

export async function evaluate(network: Model, split: Split, pairs: readonly (readonly [number, number])[]): Promise<ClassificationMetrics> {
  return classificationMetrics(await probabilities(network, split), split.labels, featureCount(network.outputShape), pairs);
}

export interface EpochLambda {
  readonly value: number | null;
  /** 'raw': slope of log|Dⁿ L| over n (L the cross-entropy with the true label), pooled by `estimator` (src/lambda/estimators.ts). */
  readonly convention: 'raw';
  readonly estimator: LambdaEstimator;
  readonly method: RawMethod;
  readonly orders: '1-4';
  readonly quantity: 'loss';
  /** The held-out points λ chose from: the first `points` of the split. */
  readonly points: number;
  readonly directions: number;
  readonly r2: number | null;
  /** Two Moons under `paper`: the notebook's boundary band on the largest softmax probability (epochLambdaBand). */
  readonly band?: readonly [number, number];
  /** With a band: whether its points were measured, or (band empty) the fallback's nearest pmax = 0.5; and how many were measured. */
  readonly selection?: PointSelection;
  readonly measured?: number;
  /** Why there is no value (e.g. every derivative vanished). */
  readonly note?: string;
}

/**
 * Where the per-epoch λ measures. Two Moons under the `paper` estimator: near the decision
 * boundary, as the paper's Two Moons notebook does (PAPER_BAND, the band the moons reproductions
 * use), so `jetcurve train`, the playground and the reports measure one quantity. Elsewhere
 * (MNIST's notebooks take the first test images; the other estimators) every point.
 */
export function epochLambdaBand(dataset: DatasetName, estimator: LambdaEstimator): readonly [number, number] | undefined {
  return dataset === 'moons' && estimator === 'paper' ? PAPER_BAND : undefined;
}

/**
 * λ (raw, orders 1..4, random directions of seed 0) on the first `points` held-out examples, or
 * with a `band` on those of them near the boundary (networkLambda's selection, with its fallback).
 * `rms` (the default, what runs recorded before estimators were named) uses 4 directions per
 * point; `paper` 2 (the notebooks' K_dirs); the ratio estimators 1.
 */
export async function epochLambda(network: Model, split: Split, points: number, estimator: LambdaEstimator = 'rms', band?: readonly [number, number]): Promise<EpochLambda> {
  const n = Math.min(points, split.n);
  const directions = defaultDirectionCount(estimator);
  const method: RawMethod = estimator === 'rms' || estimator === 'paper' ? 'fit' : 'endpoint';
  const base = { convention: 'raw', estimator, method, orders: '1-4', quantity: 'loss', points: n, directions, ...(band ? { band } : {}) } as const;
  const size = featureCount(network.inputShape);
  const data: DataSet = {
    inputShape: network.inputShape, count: n, inputs: Float64Array.from(split.inputs.subarray(0, n * size)), labels: Uint32Array.from(split.labels.subarray(0, n)),
  };
  try {
    // λ runs on the training network itself: its weights are already on the GPU.
    const r = await networkLambda(network.engine, network, data, {
      orders: { from: 1, to: 4 }, estimator, method, quantity: 'loss', directions: { kind: 'random', count: directions, seed: 0 }, ...(band ? { band } : {}),
    });
    return { ...base, value: r.lambda, r2: r.r2, ...(band ? { selection: r.selection, measured: r.points.selected } : {}) };
  } catch (e) {
    if (e instanceof JetcurveError) return { ...base, value: null, r2: null, note: e.message.split('\n')[0]! };
    throw e;
  }
}
