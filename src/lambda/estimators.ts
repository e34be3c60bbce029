// The named λ estimators over per-(point, direction) derivatives. Each row r is one (point,
// direction) pair with its raw directional derivatives dₙ = Dⁿ_u q(x) = n!·cₙ, given as
// logAbs[n] = log|dₙ| (−∞ where dₙ = 0) for n = 0..K. The estimators differ in how they pool:
//
// - `paper` (the λ paper's notebooks, estimate_lambda_loss / estimate_lambda_mnist):
//     yₙ = mean over ALL rows of log max(|dₙ|, 1e-12), λ = least-squares slope of yₙ over the
//     order range. No row is skipped: the clamp handles zeros.
// - `flatgrad` (the flatgrad library's estimate_lambda_from_derivatives):
//     per row, skip it if |d_from| < 1e-8 (the first order of the range; d₁ by default);
//     λ_r = mean over n = from..to−1 of log max(|dₙ₊₁| / (|dₙ| + 1e-12), 1e-10);
//     λ = mean of λ_r over the rows kept. It telescopes to about (log|d_to| − log|d_from|)/(to − from).
// - `flatgrad-pair` (Table 2's pair λ, measure_lambda_for_pair in the SAM notebook):
//     as `flatgrad`, but a row is kept only if |d_from| > 1e-8 and the log is log(ratio + 1e-12).
//   The two agree unless some ratio is below ~1e-10 or |d_from| is exactly 1e-8.
// - `rms` (src/lambda/network.ts): per point the RMS over its directions of |dₙ|, λ = slope of the
//   RMS over points and directions. Not computed here.
// Everything is in log space, so raw derivatives of high order (n! grows fast) never overflow.
import { JetcurveError } from '../errors.js';
import { rawLambda, type OrderRange } from './raw.js';

export type LambdaEstimator = 'paper' | 'flatgrad' | 'flatgrad-pair' | 'rms';
export const LAMBDA_ESTIMATORS: readonly LambdaEstimator[] = ['paper', 'flatgrad', 'flatgrad-pair', 'rms'];

/** The notebooks' log clamp: log max(|d|, 1e-12). */
export const PAPER_CLAMP = 1e-12;
/** flatgrad's ratio epsilon (denominator), its ratio clamp, and its first-derivative threshold. */
export const RATIO_EPSILON = 1e-12;
export const RATIO_CLAMP = 1e-10;
export const MIN_FIRST_DERIVATIVE = 1e-8;

/**
 * The Two Moons notebook's boundary band (§5.2, estimate_lambda_loss): only points whose largest
 * softmax probability lies in [0.45, 0.65] are measured; with two classes that is 0.5–0.65.
 */
export const PAPER_BAND: readonly [number, number] = [0.45, 0.65];
/** The notebook's fallback_k: when the band keeps no point, the points nearest pmax = 0.5, this many. */
export const PAPER_BAND_FALLBACK = 600;

/** Directions per point when none are given: 2 for `paper` (the notebooks' K_dirs), 1 for the ratio estimators (Table 2's pair λ), 4 for `rms`. */
export function defaultDirectionCount(estimator: LambdaEstimator): number {
  return estimator === 'paper' ? 2 : estimator === 'rms' ? 4 : 1;
}

/** log(e^a + e^b), exact for −∞ arguments. */
function logAddExp(a: number, b: number): number {
  const m = Math.max(a, b);
  return m === -Infinity ? -Infinity : m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

export interface PaperAggregate {
  /** yₙ for n = 0..K: mean over the rows of log max(|dₙ|, 1e-12). */
  readonly levels: number[];
  readonly lambda: number;
  readonly intercept: number;
  readonly r2: number;
}

/** The notebook estimator over rows (each a Float64Array of log|dₙ|, n = 0..K). */
export function paperAggregate(rows: readonly ArrayLike<number>[], orders: OrderRange): PaperAggregate {
  if (rows.length === 0) throw new JetcurveError('no (point, direction) pairs to estimate λ from', 'give at least one point');
  const K = rows[0]!.length - 1;
  const floor = Math.log(PAPER_CLAMP);
  const levels = Array.from({ length: K + 1 }, (_, n) => rows.reduce((s, r) => s + Math.max(r[n]!, floor), 0) / rows.length);
  const fit = rawLambda(levels, orders, 'fit');
  return { levels, lambda: fit.lambda, intercept: fit.intercept, r2: fit.r2 };
}

export type RatioVariant = 'flatgrad' | 'flatgrad-pair';

/**
 * λ_r of one row by the ratio estimators, or null when the row is skipped (its first derivative
 * is too small, or its value is not finite: flatgrad drops those). `logRatios` receives the
 * clamped log ratio of each consecutive pair of orders.
 */
export function rowRatioLambda(logAbs: ArrayLike<number>, orders: OrderRange, variant: RatioVariant,
  minFirst = MIN_FIRST_DERIVATIVE, logRatios?: number[]): number | null {
  // Compared as logs, so a derivative of exactly the threshold is kept (flatgrad) or not (Table 2) as in linear space.
  const first = logAbs[orders.from]!;
  const threshold = Math.log(minFirst);
  if (variant === 'flatgrad' ? first < threshold : !(first > threshold)) return null;
  const logEps = Math.log(RATIO_EPSILON);
  const logClamp = Math.log(RATIO_CLAMP);
  const logs: number[] = [];
  for (let n = orders.from; n < orders.to; n++) {
    const logRatio = logAbs[n + 1]! - logAddExp(logAbs[n]!, logEps);
    logs.push(variant === 'flatgrad' ? Math.max(logRatio, logClamp) : logAddExp(logRatio, logEps));
  }
  const lambda = logs.reduce((a, b) => a + b, 0) / logs.length;
  if (!Number.isFinite(lambda)) return null;
  logRatios?.push(...logs);
  return lambda;
}

export interface RatioAggregate {
  readonly lambda: number;
  /** Per row: λ_r, or null where the row was skipped. */
  readonly rowLambdas: (number | null)[];
  /** Mean over the kept rows of the clamped log ratio dₙ₊₁/dₙ, for n = from..to−1; λ is their mean. */
  readonly meanLogRatios: number[];
  readonly keptRows: number;
}

/** flatgrad's estimator (or Table 2's variant) over rows; null when every row is skipped. */
export function ratioAggregate(rows: readonly ArrayLike<number>[], orders: OrderRange, variant: RatioVariant,
  minFirst = MIN_FIRST_DERIVATIVE): RatioAggregate | null {
  const pairs = orders.to - orders.from;
  const sums = new Float64Array(pairs);
  let total = 0;
  let kept = 0;
  const rowLambdas = rows.map((r) => {
    const logs: number[] = [];
    const l = rowRatioLambda(r, orders, variant, minFirst, logs);
    if (l === null) return null;
    logs.forEach((v, j) => { sums[j]! += v; });
    total += l;
    kept++;
    return l;
  });
  if (kept === 0) return null;
  return { lambda: total / kept, rowLambdas, meanLogRatios: Array.from(sums, (s) => s / kept), keptRows: kept };
}
