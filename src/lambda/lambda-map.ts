// The λ map of a model of 2-D inputs: local λ at every point of a grid over the input plane.
// At each grid point, jets of orders from..to (1–4 by default) along R random unit directions
// (4 by default) are taken of one scalar quantity, all grid points × directions as the rows of
// ONE jet evaluation (networkLambda's), and pooled per point by the `paper` estimator: the
// least-squares slope over n of the mean over the point's directions of log max(|Dⁿq|, 1e-12).
//
// The quantity: a grid has no true labels, so the default is the cross-entropy with the model's
// PREDICTED label at the point (`loss-pred`, the paper's "predicted labels" variant); `max-logit`
// (the largest logit) is the other choice. The directions are drawn once for the whole grid
// (point-major, from `seed`) and handed to networkLambda as given directions, so a point's
// directions do not depend on how the grid is split into chunks, and `directions` in the result
// reproduces any single point's λ with networkLambda. Runs in Node and in the browser.
import type { DataSet } from '../data/file.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { featureCount } from '../jet/layout.js';
import type { Model } from '../model/model.js';
import { directionRule } from './directions.js';
import { networkLambda, predictions, type Quantity } from './network.js';
import { DEFAULT_ORDERS, checkOrderRange, type OrderRange } from './raw.js';

/** What a map may differentiate: a grid point has no true label, so not `loss`. */
export type MapQuantity = Exclude<Quantity, 'loss'>;

export interface LambdaMapGrid {
  /** The x range [lo, hi] (first input coordinate), both ends included. */
  readonly xRange: readonly [number, number];
  /** The y range [lo, hi] (second input coordinate), both ends included. */
  readonly yRange: readonly [number, number];
  /** Grid points along x and along y (each 2..MAX_MAP_SIDE). */
  readonly nx: number;
  readonly ny: number;
}

export interface LambdaMapOptions {
  /** Orders of the slope (default 1–4). */
  readonly orders?: OrderRange;
  /** Random unit directions per grid point (default 4). */
  readonly directions?: number;
  /** Seed of the directions (default 0). */
  readonly seed?: number;
  /** `loss-pred` (default): cross-entropy with the predicted label; `max-logit`: the largest logit. */
  readonly quantity?: MapQuantity;
  /** Most (point, direction) rows per jet evaluation; larger grids are split into chunks. Default: what fits MAX_CHUNK_BYTES. */
  readonly maxRows?: number;
}

export interface LambdaMap {
  readonly nx: number;
  readonly ny: number;
  /** Grid coordinates: xs[i] = x0 + i·(x1 − x0)/(nx − 1), ys[j] likewise (ascending). */
  readonly xs: Float64Array;
  readonly ys: Float64Array;
  /** λ at (xs[i], ys[j]) at index j·nx + i (row-major ny × nx); NaN where no direction scale kept the jets inside f32. */
  readonly lambda: Float64Array;
  /** The largest softmax probability at each grid point, same layout. */
  readonly probability: Float64Array;
  /** The predicted class at each grid point, same layout. */
  readonly predicted: Uint32Array;
  /** Per grid point the levels yₙ, n = 0..orders.to: row-major [ny·nx][orders.to + 1] (NaN where λ is). */
  readonly logNorms: Float64Array;
  /** The unit directions used: row-major [ny·nx][directionCount][2]. */
  readonly directions: Float64Array;
  readonly directionCount: number;
  readonly orders: OrderRange;
  readonly quantity: MapQuantity;
  /** Grid points where λ is NaN. */
  readonly skipped: number;
  /** Jet evaluations the grid was split into. */
  readonly chunks: number;
}

/** Grid points per side at most: 1000 × 1000 points is already far more than a picture needs. */
export const MAX_MAP_SIDE = 1000;
/** Bytes of the widest layer's jet in one evaluation: half of WebGPU's default 128 MiB storage binding. */
export const MAX_CHUNK_BYTES = 64 * 2 ** 20;

export async function lambdaMap(engine: Engine, model: Model, grid: LambdaMapGrid, options: LambdaMapOptions = {}): Promise<LambdaMap> {
  if (model.inputShape.length !== 1 || model.inputShape[0] !== 2) {
    throw new JetcurveError(`a λ map is drawn over a 2-D input plane; the model takes inputs of shape ${model.inputShape.join('×')}`,
      'use a model whose input is [2] (e.g. a Two Moons MLP)');
  }
  const { nx, ny } = grid;
  for (const [name, n] of [['nx', nx], ['ny', ny]] as const) {
    if (!Number.isInteger(n) || n < 2 || n > MAX_MAP_SIDE) {
      throw new JetcurveError(`grid ${name} = ${n} is not a whole number in 2..${MAX_MAP_SIDE}`, `give ${name} between 2 and ${MAX_MAP_SIDE}, e.g. 40`);
    }
  }
  for (const [name, r] of [['xRange', grid.xRange], ['yRange', grid.yRange]] as const) {
    if (!(Array.isArray(r) && r.length === 2 && Number.isFinite(r[0]) && Number.isFinite(r[1]) && r[0] < r[1])) {
      throw new JetcurveError(`grid ${name} ${JSON.stringify(r)} is not an interval [lo, hi] of finite numbers with lo < hi`, `give ${name} as [lo, hi], e.g. [-1.5, 2.5]`);
    }
  }
  const orders = checkOrderRange(options.orders ?? DEFAULT_ORDERS);
  const quantity = options.quantity ?? 'loss-pred';
  if ((quantity as Quantity) === 'loss') {
    throw new JetcurveError('a λ map has no true labels at its grid points, so it cannot differentiate the loss with the true label',
      'use quantity loss-pred (the loss with the predicted label, the default) or max-logit');
  }
  const count = options.directions ?? 4;
  const seed = options.seed ?? 0;
  const points = nx * ny;
  const maxRows = options.maxRows ?? Math.max(count, chunkRows(model, orders.to));
  if (!Number.isInteger(maxRows) || maxRows < count) {
    throw new JetcurveError(`maxRows ${maxRows} is below the ${count} directions of one point`, 'give maxRows ≥ the number of directions');
  }

  const xs = Float64Array.from({ length: nx }, (_, i) => grid.xRange[0] + (i * (grid.xRange[1] - grid.xRange[0])) / (nx - 1));
  const ys = Float64Array.from({ length: ny }, (_, j) => grid.yRange[0] + (j * (grid.yRange[1] - grid.yRange[0])) / (ny - 1));
  const inputs = new Float64Array(2 * points);
  for (let j = 0; j < ny; j++) for (let i = 0; i < nx; i++) inputs.set([xs[i]!, ys[j]!], 2 * (j * nx + i));
  // Drawn once for the whole grid (directionRule checks the count), so chunking does not change them.
  const directions = directionRule({ kind: 'random', count, seed }, points, 2, orders.to).directions;

  const lambda = new Float64Array(points).fill(NaN);
  const logNorms = new Float64Array(points * (orders.to + 1)).fill(NaN);
  const probability = new Float64Array(points);
  const predicted = new Uint32Array(points);
  const perChunk = Math.floor(maxRows / count);
  let chunks = 0;
  for (let start = 0; start < points; start += perChunk, chunks++) {
    const end = Math.min(points, start + perChunk);
    const data: DataSet = { inputShape: [2], inputs: inputs.subarray(2 * start, 2 * end), count: end - start, labels: null };
    const given = directions.slice(2 * count * start, 2 * count * end);
    const r = await networkLambda(engine, model, data, { estimator: 'paper', quantity, orders, directions: { kind: 'given', count, directions: given } });
    for (const p of r.pointLambdas) {
      lambda[start + p.index] = p.lambda;
      logNorms.set(p.logNorms.slice(0, orders.to + 1), (start + p.index) * (orders.to + 1));
    }
    const pred = await predictions(model, data.inputs);
    probability.set(pred.maxProbability, start);
    predicted.set(pred.argmax, start);
  }
  const skipped = lambda.reduce((s, v) => s + (Number.isNaN(v) ? 1 : 0), 0);
  return { nx, ny, xs, ys, lambda, probability, predicted, logNorms, directions, directionCount: count, orders, quantity, skipped, chunks };
}

/** Rows per evaluation such that the widest layer's jet, [rows][K+1][features] in f32, stays within MAX_CHUNK_BYTES. */
function chunkRows(model: Model, order: number): number {
  const widest = Math.max(...model.shapes.map(featureCount));
  return Math.max(1, Math.floor(MAX_CHUNK_BYTES / (4 * (order + 1) * widest)));
}
