// λ of a network (the `raw` convention, §5.2–5.3 of the paper): derivatives of a per-point
// scalar — the cross-entropy with the true or the predicted label, or the largest logit —
// along directions in input space, all orders and all directions in ONE jet evaluation
// (rows = kept points × directions), then pooled by a named estimator (estimators.ts):
// - `rms` (the default here): per point, Sₙ = RMS over its directions of |Dⁿ_v q| and
//   λ_p = slope of log Sₙ; the headline λ is the slope of the RMS over points and directions;
// - `paper`: the slope of the mean over all (point, direction) pairs of log max(|Dⁿq|, 1e-12);
// - `flatgrad`, `flatgrad-pair`: the mean over rows of the mean log ratio of consecutive orders.
import { softmaxCrossEntropy, uploadLabels } from '../../kernels/softmax-xent.js';
import type { DataSet } from '../data/file.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { evaluateJets, type JetProgram } from '../jet/evaluate-jets.js';
import { MAX_ORDER, featureCount, sameShape } from '../jet/layout.js';
import type { Model } from '../model/model.js';
import { directionRule, type DirectionRule, type DirectionSpec } from './directions.js';
import { PAPER_BAND_FALLBACK, defaultDirectionCount, paperAggregate, ratioAggregate, type LambdaEstimator } from './estimators.js';
import { DEFAULT_ORDERS, checkOrderRange, logFactorial, rawLambda, type OrderRange, type RawEstimate, type RawMethod } from './raw.js';
import { logRms, logRootWeightedSum, spread, type Spread } from './stats.js';

export type Quantity = 'loss' | 'loss-pred' | 'max-logit';
export const QUANTITIES: readonly Quantity[] = ['loss', 'loss-pred', 'max-logit'];

export interface NetworkLambdaOptions {
  readonly orders?: OrderRange;
  /** Slope of the `rms` estimator (the others fix theirs: `paper` fits, the ratio estimators take log ratios). */
  readonly method?: RawMethod;
  readonly quantity?: Quantity;
  /** How λ pools over points and directions (src/lambda/estimators.ts). Default `rms`. */
  readonly estimator?: LambdaEstimator;
  /** Default: random unit directions, seed 0: 4 per point for `rms`, 2 for `paper`, 1 for the ratio estimators. */
  readonly directions?: DirectionSpec;
  /** Keep only points whose largest softmax probability lies in [lo, hi] (the paper's: PAPER_BAND). */
  readonly band?: readonly [number, number];
  /**
   * When the band keeps no point, take this many points with the smallest |pmax − 0.5| instead
   * (the notebooks' fallback_k). Default PAPER_BAND_FALLBACK (600) for `paper`; none (an error) for the others.
   */
  readonly bandFallback?: number;
  /** Highest order to evaluate (default: the last of the range); higher orders only show in `logNorms` and plots. */
  readonly evaluateTo?: number;
  /**
   * `rms`: points whose first-derivative norm is below this are skipped; `flatgrad`: rows whose
   * |D^from q| is below it (flatgrad's min_first_derivative). Default 1e-8; `paper` skips nothing.
   */
  readonly minFirstDerivative?: number;
}

export interface SkippedPoint {
  readonly index: number;
  readonly reason: string;
}

export interface PointLambda {
  /** Index of the point in the data. */
  readonly index: number;
  readonly lambda: number;
  readonly r2: number;
  /** This point's level of order n = 0..K, pooled over its directions as the estimator pools (see NetworkLambda.logNorms). */
  readonly logNorms: readonly number[];
}

/** How the points were chosen: all of them, those in the band, or (band empty) the fallback's points nearest pmax = 0.5. */
export type PointSelection = 'all' | 'band' | 'band-fallback';

export interface NetworkLambda extends RawEstimate {
  readonly estimator: LambdaEstimator;
  readonly quantity: Quantity;
  readonly directions: string;
  /**
   * The level of order n = 0..K (orders.to, or evaluateTo); index 0 is q itself.
   * `rms`: log of the RMS of |Dⁿq| over kept points and directions (the fitted values);
   * `paper`: yₙ = mean over (point, direction) pairs of log max(|Dⁿq|, 1e-12) (the fitted values);
   * ratio estimators: the same mean over the kept rows (shown, not fitted: see meanLogRatios).
   */
  readonly logNorms: readonly number[];
  /** Ratio estimators: mean over kept rows of the clamped log(|Dⁿ⁺¹q| / |Dⁿq|), n = from..to−1; λ is their mean. */
  readonly meanLogRatios?: readonly number[];
  /** λ of each kept point, and their spread. */
  readonly pointLambdas: readonly PointLambda[];
  readonly perPoint: Spread;
  readonly selection: PointSelection;
  /** inBand: points in the band (all points without one; 0 when the fallback chose them); selected: the points measured. */
  readonly points: { readonly total: number; readonly inBand: number; readonly selected: number; readonly kept: number; readonly skipped: readonly SkippedPoint[] };
  /** (point, direction) rows: evaluated for the selected points, and those the estimator used. */
  readonly rows: { readonly total: number; readonly kept: number };
  /** GPU passes the jet evaluation took (scale search), excluding the order-0 pass for the band and labels. */
  readonly passes: number;
}

export async function networkLambda(engine: Engine, model: Model, data: DataSet, options: NetworkLambdaOptions = {}): Promise<NetworkLambda> {
  const orders = checkOrderRange(options.orders ?? DEFAULT_ORDERS);
  const estimator = options.estimator ?? 'rms';
  const method = checkMethod(estimator, options.method);
  const quantity = options.quantity ?? 'loss';
  const spec = options.directions ?? { kind: 'random', count: defaultDirectionCount(estimator), seed: 0 };
  if (spec.kind === 'sphere' && estimator !== 'rms') {
    throw new JetcurveError(`the exact sphere norm weights directions for an RMS; the ${estimator} estimator averages logs over directions`,
      'use random or given directions with this estimator, or --estimator rms with --norm sphere');
  }
  const minFirst = options.minFirstDerivative ?? 1e-8;
  const size = checkData(model, data, quantity);
  const classes = featureCount(model.outputShape);

  // Order 0: the logits, for the band, the predicted labels and the argmax class.
  const { argmax, maxProbability: maxProb } = await predictions(model, data.inputs);
  const { selected, selection, inBand } = selectPoints(maxProb, options.band, options.bandFallback ?? (estimator === 'paper' ? PAPER_BAND_FALLBACK : undefined));

  // One evaluation: rows = selected points × directions, up to the last order of the range.
  const K = Math.max(orders.to, Math.min(options.evaluateTo ?? 0, MAX_ORDER));
  const rule = directionRule(spec, selected.length, size, K, selected);
  const points = new Float64Array(selected.length * rule.count * size);
  selected.forEach((p, s) => {
    for (let i = 0; i < rule.count; i++) points.set(data.inputs.subarray(p * size, (p + 1) * size), (s * rule.count + i) * size);
  });
  const rowLabel = (s: number) => (quantity === 'loss' ? data.labels![selected[s]!]! : argmax[selected[s]!]!);
  const labels = quantity === 'max-logit' ? null
    : uploadLabels(engine, Uint32Array.from({ length: selected.length * rule.count }, (_, r) => rowLabel(Math.floor(r / rule.count))), classes);
  const program: JetProgram = labels
    ? (input) => { const z = model.forward(input); const loss = softmaxCrossEntropy(z, labels); z.release(); return loss; }
    : model.forward;
  let result;
  try {
    result = await evaluateJets(engine, program, { points, directions: rule.directions, inputShape: model.inputShape, order: K });
  } finally {
    if (labels) engine.pool.release(labels);
  }
  const outputs = quantity === 'max-logit' ? classes : 1;
  const bad = new Set(result.badRows);
  /** log|Dⁿq| = log|cₙ| + log n! of one row, n = 0..K. */
  const rowLogs = (s: number, i: number): Float64Array => {
    const row = s * rule.count + i;
    const column = quantity === 'max-logit' ? argmax[selected[s]!]! : 0;
    return Float64Array.from({ length: K + 1 }, (_, n) => Math.log(Math.abs(result.coefficients[(row * (K + 1) + n) * outputs + column]!)) + logFactorial(n));
  };
  const hasBadRow = (s: number) => Array.from({ length: rule.count }, (_, i) => s * rule.count + i).some((row) => bad.has(row));
  const pooled = estimator === 'rms'
    ? rmsPooling(selected, rule, rowLogs, hasBadRow, orders, method, minFirst, quantity)
    : logPooling(estimator, selected, rule.count, rowLogs, hasBadRow, orders, minFirst, quantity);
  const description = estimator === 'rms' && spec.kind !== 'sphere' ? `${rule.description}, RMS` : rule.description;
  return {
    ...pooled.estimate, estimator, quantity, directions: description, logNorms: pooled.logNorms,
    ...(pooled.meanLogRatios ? { meanLogRatios: pooled.meanLogRatios } : {}),
    pointLambdas: pooled.pointLambdas, perPoint: spread(pooled.pointLambdas.map((p) => p.lambda)), selection,
    points: { total: data.count, inBand, selected: selected.length, kept: pooled.pointLambdas.length, skipped: pooled.skipped },
    rows: { total: selected.length * rule.count, kept: pooled.keptRows },
    passes: result.passes,
  };
}

export interface Predictions {
  /** The class with the largest logit at each input (the first on a tie). */
  readonly argmax: Uint32Array;
  /** The largest softmax probability at each input. */
  readonly maxProbability: Float64Array;
}

/** The predicted class and its softmax probability at each input (row-major [points][inputSize]): one order-0 pass. */
export async function predictions(model: Model, inputs: Float64Array): Promise<Predictions> {
  const classes = featureCount(model.outputShape);
  const count = inputs.length / featureCount(model.inputShape);
  const logits = (await model.jets({ points: inputs, directions: new Float64Array(inputs.length), order: 0 })).coefficients;
  const argmax = new Uint32Array(count);
  const maxProbability = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    const z = logits.subarray(p * classes, (p + 1) * classes);
    const top = z.reduce((best, v, k) => (v > z[best]! ? k : best), 0);
    argmax[p] = top;
    maxProbability[p] = 1 / z.reduce((s, v) => s + Math.exp(v - z[top]!), 0);
  }
  return { argmax, maxProbability };
}

/** `method` belongs to `rms`; the other estimators have one slope each, and a conflicting request is an error. */
function checkMethod(estimator: LambdaEstimator, method: RawMethod | undefined): RawMethod {
  if (estimator === 'rms') return method ?? 'fit';
  const own: RawMethod = estimator === 'paper' ? 'fit' : 'endpoint';
  if (method !== undefined && method !== own) {
    throw new JetcurveError(`--method ${method} does not apply to the ${estimator} estimator, whose slope is ${own === 'fit' ? 'a least-squares fit' : 'a mean of log ratios'}`,
      'drop --method, or use --estimator rms to choose the slope');
  }
  return own;
}

/** The points measured: all, those in the band, or when the band is empty the `fallback` nearest pmax = 0.5 (ties by index). */
function selectPoints(maxProb: Float64Array, band: readonly [number, number] | undefined, fallback: number | undefined):
  { selected: number[]; selection: PointSelection; inBand: number } {
  if (band && !(band[0] <= band[1] && band[0] >= 0 && band[1] <= 1)) {
    throw new JetcurveError(`band ${band[0]}-${band[1]} is not an interval inside [0, 1]`, 'give probabilities lo-hi, e.g. --band 0.45-0.65');
  }
  if (fallback !== undefined && !(Number.isInteger(fallback) && fallback >= 1)) {
    throw new JetcurveError(`band fallback ${fallback} is not a positive integer`, 'give the number of points to take nearest the boundary, e.g. --band-fallback 600');
  }
  const all = Array.from({ length: maxProb.length }, (_, p) => p);
  if (!band) return { selected: all, selection: 'all', inBand: all.length };
  const selected = all.filter((p) => maxProb[p]! >= band[0] && maxProb[p]! <= band[1]);
  if (selected.length > 0) return { selected, selection: 'band', inBand: selected.length };
  if (fallback !== undefined) {
    const nearest = [...all].sort((a, b) => Math.abs(maxProb[a]! - 0.5) - Math.abs(maxProb[b]! - 0.5) || a - b).slice(0, fallback);
    return { selected: nearest.sort((a, b) => a - b), selection: 'band-fallback', inBand: 0 };
  }
  const lo = Math.min(...maxProb);
  const hi = Math.max(...maxProb);
  throw new JetcurveError(`the band ${band[0]}-${band[1]} keeps none of the ${maxProb.length} points (their largest softmax probabilities span ${lo.toFixed(3)}..${hi.toFixed(3)})`,
    'widen the band, or give points nearer the decision boundary');
}

interface Pooling {
  readonly estimate: RawEstimate;
  readonly logNorms: number[];
  readonly meanLogRatios?: number[];
  readonly pointLambdas: PointLambda[];
  readonly skipped: SkippedPoint[];
  readonly keptRows: number;
}

type RowLogs = (s: number, direction: number) => Float64Array;
const BAD_ROW = 'coefficients outside f32 range at every direction scale';

/** `rms`: per point Sₙ over its directions (log space), λ_p its slope; the headline λ is the slope of the RMS over points. */
function rmsPooling(selected: readonly number[], rule: DirectionRule, rowLogs: RowLogs, hasBadRow: (s: number) => boolean,
  orders: OrderRange, method: RawMethod, minFirst: number, quantity: Quantity): Pooling {
  const K = rowLogs(0, 0).length - 1;
  const skipped: SkippedPoint[] = [];
  const kept: { index: number; logS: Float64Array }[] = [];
  selected.forEach((p, s) => {
    const logs = Array.from({ length: rule.count }, (_, i) => rowLogs(s, i));
    const logS = Float64Array.from({ length: K + 1 }, (_, n) => logRootWeightedSum(logs.map((l) => l[n]!),
      logs.map((_, i) => (n === 0 ? 1 / rule.count : rule.weight(i, n)))));
    if (hasBadRow(s)) skipped.push({ index: p, reason: BAD_ROW });
    else if (!(Math.exp(logS[1]!) >= minFirst)) skipped.push({ index: p, reason: `first derivative ${Math.exp(logS[1]!).toExponential(2)} < ${minFirst}` });
    else if (logS.slice(orders.from, orders.to + 1).some((v) => v === -Infinity)) skipped.push({ index: p, reason: 'a derivative in the order range vanishes' });
    else kept.push({ index: p, logS });
  });
  if (kept.length === 0) noneKept(selected.length, skipped, quantity);
  const logNorms = Array.from({ length: K + 1 }, (_, n) => logRms(kept.map((k) => k.logS[n]!)));
  const pointLambdas = kept.map(({ index, logS }) => {
    const e = rawLambda(logS, orders, method);
    return { index, lambda: e.lambda, r2: e.r2, logNorms: Array.from(logS) };
  });
  return { estimate: rawLambda(logNorms, orders, method), logNorms, pointLambdas, skipped, keptRows: kept.length * rule.count };
}

/** `paper` and the ratio estimators: every (point, direction) row is a sample; the pooling is estimators.ts's. */
function logPooling(estimator: Exclude<LambdaEstimator, 'rms'>, selected: readonly number[], count: number, rowLogs: RowLogs,
  hasBadRow: (s: number) => boolean, orders: OrderRange, minFirst: number, quantity: Quantity): Pooling {
  const skipped: SkippedPoint[] = [];
  const perPoint: { index: number; rows: Float64Array[] }[] = [];
  selected.forEach((p, s) => {
    if (hasBadRow(s)) skipped.push({ index: p, reason: BAD_ROW });
    else perPoint.push({ index: p, rows: Array.from({ length: count }, (_, i) => rowLogs(s, i)) });
  });
  if (perPoint.length === 0) noneKept(selected.length, skipped, quantity);
  if (estimator === 'paper') {
    const all = paperAggregate(perPoint.flatMap((p) => p.rows), orders);
    const pointLambdas = perPoint.map(({ index, rows }) => {
      const e = paperAggregate(rows, orders);
      return { index, lambda: e.lambda, r2: e.r2, logNorms: e.levels };
    });
    return { estimate: { convention: 'raw', method: 'fit', orders, lambda: all.lambda, intercept: all.intercept, r2: all.r2 },
      logNorms: all.levels, pointLambdas, skipped, keptRows: perPoint.length * count };
  }
  const pointLambdas: PointLambda[] = [];
  const keptRows: Float64Array[] = [];
  for (const { index, rows } of perPoint) {
    const e = ratioAggregate(rows, orders, estimator, minFirst);
    if (!e) {
      skipped.push({ index, reason: `first derivative below ${minFirst} along every direction` });
      continue;
    }
    const mine = rows.filter((_, i) => e.rowLambdas[i] !== null);
    keptRows.push(...mine);
    const levels = paperAggregate(mine, orders);
    pointLambdas.push({ index, lambda: e.lambda, r2: levels.r2, logNorms: levels.levels });
  }
  const all = ratioAggregate(keptRows, orders, estimator, minFirst);
  if (!all) noneKept(selected.length, skipped, quantity);
  const levels = paperAggregate(keptRows, orders);
  return {
    estimate: { convention: 'raw', method: 'endpoint', orders, lambda: all.lambda, intercept: levels.levels[orders.from]! - all.lambda * orders.from, r2: levels.r2 },
    logNorms: levels.levels, meanLogRatios: all.meanLogRatios, pointLambdas, skipped, keptRows: keptRows.length,
  };
}

function noneKept(selected: number, skipped: readonly SkippedPoint[], quantity: Quantity): never {
  throw new JetcurveError(`the derivatives vanish at all ${selected} points (${skipped[0]!.reason}${selected > 1 ? ', …' : ''})`,
    quantity === 'max-logit' ? 'logits of a ReLU network are piecewise linear: differentiate the loss (--quantity loss)' : 'check the model and the points; λ needs non-zero derivatives');
}

/** The model and the data must agree: input size, a flat class vector, labels in range. Returns the input size. */
function checkData(model: Model, data: DataSet, quantity: Quantity): number {
  const size = featureCount(model.inputShape);
  if (featureCount(data.inputShape) !== size) {
    throw new JetcurveError(`the data's inputs have shape ${data.inputShape.join('×')} (${featureCount(data.inputShape)} numbers), the model takes ${model.inputShape.join('×')} (${size})`,
      'use data made for this model');
  }
  if (!sameShape(data.inputShape, model.inputShape) && data.inputShape.length > 1) {
    throw new JetcurveError(`the data's input shape ${data.inputShape.join('×')} differs from the model's ${model.inputShape.join('×')}`, 'use data made for this model');
  }
  const classes = featureCount(model.outputShape);
  if (model.outputShape.length !== 1 || classes < 2) {
    throw new JetcurveError(`the model's output has shape ${model.outputShape.join('×')}; λ of a classifier needs a vector of at least 2 logits`,
      'end the model with a dense layer to the class count');
  }
  if (quantity === 'loss') {
    if (!data.labels) throw new JetcurveError('the data file has no labels, which the loss with true labels needs', 'add "labels" to the data file, or use --quantity loss-pred or max-logit');
    const badLabel = data.labels.findIndex((l) => l >= classes);
    if (badLabel >= 0) {
      throw new JetcurveError(`label ${data.labels[badLabel]} of input ${badLabel} is not below the model's ${classes} classes`, 'use data made for this model');
    }
  }
  return size;
}
