// Classification metrics from softmax probabilities (row-major Float64Array [n][classes]) and
// integer labels. The prediction is the arg-max (the first one on ties, as torch.argmax) and its
// probability is the confidence.
import { JetcurveError } from '../errors.js';

interface Predictions {
  readonly predicted: Uint32Array;
  readonly confidence: Float64Array;
  readonly n: number;
}

function predictions(probs: Float64Array, labels: ArrayLike<number>, classes: number): Predictions {
  const n = labels.length;
  if (!Number.isInteger(classes) || classes < 1 || probs.length !== n * classes) {
    throw new JetcurveError(`metrics: ${probs.length} probabilities do not make ${n} rows of ${classes} classes`);
  }
  if (n === 0) throw new JetcurveError('metrics: no examples');
  const predicted = new Uint32Array(n);
  const confidence = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (probs[i * classes + c]! > probs[i * classes + best]!) best = c;
    predicted[i] = best;
    confidence[i] = probs[i * classes + best]!;
  }
  return { predicted, confidence, n };
}

export function accuracy(probs: Float64Array, labels: ArrayLike<number>, classes: number): number {
  const p = predictions(probs, labels, classes);
  let right = 0;
  for (let i = 0; i < p.n; i++) if (p.predicted[i] === labels[i]) right++;
  return right / p.n;
}

/** Bin b of `bins` equal-width bins holds confidences in (b/bins, (b+1)/bins]; 0 goes to bin 0. */
export function confidenceBin(confidence: number, bins: number): number {
  let b = Math.min(bins - 1, Math.max(0, Math.ceil(confidence * bins) - 1));
  // The product can round across a boundary; compare with the boundaries themselves.
  while (b > 0 && confidence <= b / bins) b--;
  while (b < bins - 1 && confidence > (b + 1) / bins) b++;
  return b;
}

/**
 * Expected calibration error (Guo et al. 2017): Σ_b |B_b|/n · |acc(B_b) − conf(B_b)| over 15
 * equal-width bins (b/15, (b+1)/15], as their reference code bins. torchmetrics bins [b/15, (b+1)/15)
 * (bucketize, right=True) instead; the two differ only for confidences exactly on a boundary.
 */
export function expectedCalibrationError(probs: Float64Array, labels: ArrayLike<number>, classes: number, bins = 15): number {
  const p = predictions(probs, labels, classes);
  const count = new Float64Array(bins);
  const right = new Float64Array(bins);
  const conf = new Float64Array(bins);
  for (let i = 0; i < p.n; i++) {
    const b = confidenceBin(p.confidence[i]!, bins);
    count[b]!++;
    conf[b]! += p.confidence[i]!;
    if (p.predicted[i] === labels[i]) right[b]!++;
  }
  // |B|/n · |right/|B| − conf/|B|| = |right − conf| / n.
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]! > 0) ece += Math.abs(right[b]! - conf[b]!);
  return ece / p.n;
}

/**
 * Accuracy on the hardest `fraction` of the examples: the ceil(fraction·n) with the lowest
 * confidence (ties broken by index, so the result is deterministic).
 */
export function hardestAccuracy(probs: Float64Array, labels: ArrayLike<number>, classes: number, fraction = 0.2): number {
  if (!(fraction > 0 && fraction <= 1)) throw new JetcurveError(`hardest fraction must lie in (0, 1], got ${fraction}`);
  const p = predictions(probs, labels, classes);
  const order = Array.from({ length: p.n }, (_, i) => i);
  order.sort((a, b) => p.confidence[a]! - p.confidence[b]! || a - b);
  const m = Math.ceil(fraction * p.n);
  let right = 0;
  for (let k = 0; k < m; k++) if (p.predicted[order[k]!] === labels[order[k]!]) right++;
  return right / m;
}

/**
 * Confusion between classes a and b: of the examples labelled a or b, the fraction predicted as
 * the other one of the pair. NaN when neither class occurs.
 */
export function pairConfusion(probs: Float64Array, labels: ArrayLike<number>, classes: number, a: number, b: number): number {
  const p = predictions(probs, labels, classes);
  let total = 0;
  let confused = 0;
  for (let i = 0; i < p.n; i++) {
    const y = labels[i];
    if (y !== a && y !== b) continue;
    total++;
    if (p.predicted[i] === (y === a ? b : a)) confused++;
  }
  return total === 0 ? Number.NaN : confused / total;
}

/** The pairs of MNIST digits that look alike, reported by default. */
export const MNIST_CONFUSABLE_PAIRS: readonly (readonly [number, number])[] = [[4, 9], [3, 8], [6, 7]];

export interface ClassificationMetrics {
  readonly accuracy: number;
  readonly ece: number;
  readonly hardestAccuracy: number;
  /** Keyed "a/b". */
  readonly pairConfusion: Readonly<Record<string, number>>;
}

/** `bins`: the ECE's bins (15, Guo et al.'s; the λ paper's MNIST notebooks take 10). */
export function classificationMetrics(probs: Float64Array, labels: ArrayLike<number>, classes: number,
  pairs: readonly (readonly [number, number])[] = [], bins = 15): ClassificationMetrics {
  const confusion: Record<string, number> = {};
  for (const [a, b] of pairs) confusion[`${a}/${b}`] = pairConfusion(probs, labels, classes, a, b);
  return {
    accuracy: accuracy(probs, labels, classes),
    ece: expectedCalibrationError(probs, labels, classes, bins),
    hardestAccuracy: hardestAccuracy(probs, labels, classes),
    pairConfusion: confusion,
  };
}
