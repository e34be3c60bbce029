// λ of a network (the `raw` convention, §5.2–5.3 of the paper): derivatives of a per-point
// scalar — the cross-entropy with the true or the predicted label, or the largest logit —
// along directions in input space, all orders and all directions in ONE jet evaluation
// (rows = kept points × directions). Per point, Sₙ = RMS over its directions of |Dⁿ_v q| and
// λ_p = slope of log Sₙ; the headline λ is the slope of the RMS over points and directions.
import { softmaxCrossEntropy, uploadLabels } from '../../kernels/softmax-xent.js';
import type { DataSet } from '../data/file.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { evaluateJets, type JetProgram } from '../jet/evaluate-jets.js';
import { MAX_ORDER, featureCount, sameShape } from '../jet/layout.js';
import type { Model } from '../model/model.js';
import { directionRule, type DirectionSpec } from './directions.js';
import { DEFAULT_ORDERS, checkOrderRange, logFactorial, rawLambda, type OrderRange, type RawEstimate, type RawMethod } from './raw.js';
import { logRms, logRootWeightedSum, spread, type Spread } from './stats.js';

export type Quantity = 'loss' | 'loss-pred' | 'max-logit';
export const QUANTITIES: readonly Quantity[] = ['loss', 'loss-pred', 'max-logit'];

export interface NetworkLambdaOptions {
  readonly orders?: OrderRange;
  readonly method?: RawMethod;
  readonly quantity?: Quantity;
  /** Default: 4 random directions, seed 0. */
  readonly directions?: DirectionSpec;
  /** Keep only points whose largest softmax probability lies in [lo, hi] (the paper's 0.45–0.65). */
  readonly band?: readonly [number, number];
  /** Highest order to evaluate (default: the last of the range); higher orders only show in `logNorms` and plots. */
  readonly evaluateTo?: number;
  /** Points whose first-derivative norm is below this are skipped (flatgrad's rule): λ is meaningless at a flat point. */
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
  /** log Sₙ for n = 0..K (RMS over this point's directions). */
  readonly logNorms: readonly number[];
}

export interface NetworkLambda extends RawEstimate {
  readonly quantity: Quantity;
  readonly directions: string;
  /** Pooled log‖Dⁿq‖ (RMS over kept points and directions) for n = 0..K (orders.to, or evaluateTo); index 0 is log|q| itself. */
  readonly logNorms: readonly number[];
  /** λ of each kept point, and their spread. */
  readonly pointLambdas: readonly PointLambda[];
  readonly perPoint: Spread;
  readonly points: { readonly total: number; readonly inBand: number; readonly kept: number; readonly skipped: readonly SkippedPoint[] };
  /** GPU passes the jet evaluation took (scale search), excluding the order-0 pass for the band and labels. */
  readonly passes: number;
}

export async function networkLambda(engine: Engine, model: Model, data: DataSet, options: NetworkLambdaOptions = {}): Promise<NetworkLambda> {
  const orders = checkOrderRange(options.orders ?? DEFAULT_ORDERS);
  const method = options.method ?? 'fit';
  const quantity = options.quantity ?? 'loss';
  const spec = options.directions ?? { kind: 'random', count: 4, seed: 0 };
  const minFirst = options.minFirstDerivative ?? 1e-8;
  const size = checkData(model, data, quantity);
  const classes = featureCount(model.outputShape);

  // Order 0: the logits, for the band, the predicted labels and the argmax class.
  const zero = await model.jets({ points: data.inputs, directions: new Float64Array(data.inputs.length), order: 0 });
  const logits = zero.coefficients;
  const argmax = new Uint32Array(data.count);
  const maxProb = new Float64Array(data.count);
  for (let p = 0; p < data.count; p++) {
    const z = logits.subarray(p * classes, (p + 1) * classes);
    const top = z.reduce((best, v, k) => (v > z[best]! ? k : best), 0);
    argmax[p] = top;
    maxProb[p] = 1 / z.reduce((s, v) => s + Math.exp(v - z[top]!), 0);
  }
  const band = options.band;
  if (band && !(band[0] <= band[1] && band[0] >= 0 && band[1] <= 1)) {
    throw new JetcurveError(`band ${band[0]}-${band[1]} is not an interval inside [0, 1]`, 'give probabilities lo-hi, e.g. --band 0.45-0.65');
  }
  const selected = Array.from({ length: data.count }, (_, p) => p).filter((p) => !band || (maxProb[p]! >= band[0] && maxProb[p]! <= band[1]));
  if (selected.length === 0) {
    const lo = Math.min(...maxProb);
    const hi = Math.max(...maxProb);
    throw new JetcurveError(`the band ${band![0]}-${band![1]} keeps none of the ${data.count} points (their largest softmax probabilities span ${lo.toFixed(3)}..${hi.toFixed(3)})`,
      'widen the band, or give points nearer the decision boundary');
  }

  // One evaluation: rows = selected points × directions, up to the last order of the range.
  const K = Math.max(orders.to, Math.min(options.evaluateTo ?? 0, MAX_ORDER));
  const rule = directionRule(spec, selected.length, size, K);
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

  // Per point: Sₙ over its directions, for n = 0..K (log space).
  const skipped: SkippedPoint[] = [];
  const kept: { index: number; logS: Float64Array }[] = [];
  selected.forEach((p, s) => {
    const column = quantity === 'max-logit' ? argmax[p]! : 0;
    const logS = new Float64Array(K + 1);
    let badRow = false;
    for (let n = 0; n <= K; n++) {
      const logs = new Float64Array(rule.count);
      const weights = new Float64Array(rule.count);
      for (let i = 0; i < rule.count; i++) {
        const row = s * rule.count + i;
        if (bad.has(row)) badRow = true;
        const c = result.coefficients[(row * (K + 1) + n) * outputs + column]!;
        logs[i] = Math.log(Math.abs(c)) + logFactorial(n);
        weights[i] = n === 0 ? 1 / rule.count : rule.weight(i, n);
      }
      logS[n] = logRootWeightedSum(logs, weights);
    }
    if (badRow) skipped.push({ index: p, reason: 'coefficients outside f32 range at every direction scale' });
    else if (!(Math.exp(logS[1]!) >= minFirst)) skipped.push({ index: p, reason: `first derivative ${Math.exp(logS[1]!).toExponential(2)} < ${minFirst}` });
    else if (logS.slice(orders.from, orders.to + 1).some((v) => v === -Infinity)) skipped.push({ index: p, reason: 'a derivative in the order range vanishes' });
    else kept.push({ index: p, logS });
  });
  if (kept.length === 0) {
    throw new JetcurveError(`the derivatives vanish at all ${selected.length} points (${skipped[0]!.reason}${selected.length > 1 ? ', …' : ''})`,
      quantity === 'max-logit' ? 'logits of a ReLU network are piecewise linear: differentiate the loss (--quantity loss)' : 'check the model and the points; λ needs non-zero derivatives');
  }

  const logNorms = Array.from({ length: K + 1 }, (_, n) => logRms(kept.map((k) => k.logS[n]!)));
  const pooled = rawLambda(logNorms, orders, method);
  const pointLambdas = kept.map(({ index, logS }) => {
    const e = rawLambda(logS, orders, method);
    return { index, lambda: e.lambda, r2: e.r2, logNorms: Array.from(logS) };
  });
  return {
    ...pooled, quantity, directions: rule.description, logNorms, pointLambdas,
    perPoint: spread(pointLambdas.map((p) => p.lambda)),
    points: { total: data.count, inBand: selected.length, kept: kept.length, skipped },
    passes: result.passes,
  };
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
