// The `raw` convention, the paper's estimator for networks: λ is the slope of log‖Dⁿf‖ against n
// over a small order range (1..4 by default, 2..4 in the paper's MNIST runs), with raw
// derivatives Dⁿf = n!·cₙ. Two ways to take the slope:
// - `fit` (default): the least-squares line the paper's text describes; R² says how straight;
// - `endpoint`: the mean of log(d_{n+1}/d_n) over consecutive orders, which is what the paper's
//   code (flatgrad) computes; it telescopes to (log d_to − log d_from)/(to − from).
// They agree exactly when the growth is exactly exponential.
import { JetcurveError } from '../errors.js';
import { MAX_ORDER } from '../jet/layout.js';
import { fitLine } from './fit.js';

export type RawMethod = 'fit' | 'endpoint';
export const RAW_METHODS: readonly RawMethod[] = ['fit', 'endpoint'];

export interface OrderRange {
  readonly from: number;
  readonly to: number;
}

export const DEFAULT_ORDERS: OrderRange = { from: 1, to: 4 };

export interface RawEstimate {
  readonly convention: 'raw';
  readonly method: RawMethod;
  readonly orders: OrderRange;
  readonly lambda: number;
  /** The line log‖Dⁿf‖ ≈ intercept + lambda·n drawn in plots (for `endpoint`, through the two end points). */
  readonly intercept: number;
  /** R² of the least-squares line (also reported for `endpoint`: the straightness of the same points). */
  readonly r2: number;
}

/** "1-4" or "2..4" -> {from, to}, inside 1..60 and at least two orders. */
export function parseOrderRange(text: string): OrderRange {
  const m = /^\s*(\d+)\s*(?:-|\.\.)\s*(\d+)\s*$/.exec(text);
  if (!m) throw new JetcurveError(`order range '${text}' is not of the form FROM-TO`, 'write e.g. --orders 1-4 or --orders 2-4');
  return checkOrderRange({ from: Number(m[1]), to: Number(m[2]) });
}

export function checkOrderRange(range: OrderRange): OrderRange {
  const { from, to } = range;
  if (!Number.isInteger(from) || !Number.isInteger(to) || from < 1 || to > MAX_ORDER) {
    throw new JetcurveError(`order range ${from}-${to} is outside 1..${MAX_ORDER}`,
      `λ needs derivative orders between 1 and ${MAX_ORDER}, e.g. --orders 1-4`);
  }
  if (to <= from) throw new JetcurveError(`order range ${from}-${to} holds fewer than two orders`, 'a slope needs at least two orders, e.g. --orders 1-4');
  return { from, to };
}

/**
 * λ from log-norms: `logNorms[n]` = log‖Dⁿf‖ for n = 0..K (entries outside the range are
 * ignored). A norm that vanishes (−∞) inside the range is an error: there is no slope to take.
 */
export function rawLambda(logNorms: ArrayLike<number>, orders: OrderRange = DEFAULT_ORDERS, method: RawMethod = 'fit'): RawEstimate {
  checkOrderRange(orders);
  if (orders.to >= logNorms.length) {
    throw new JetcurveError(`order range ${orders.from}-${orders.to} needs derivatives up to order ${orders.to}, only ${logNorms.length - 1} were computed`,
      'compute jets up to the last order of the range');
  }
  const ns: number[] = [];
  const ys: number[] = [];
  for (let n = orders.from; n <= orders.to; n++) {
    const y = logNorms[n]!;
    if (!Number.isFinite(y)) {
      throw new JetcurveError(`‖D^${n} f‖ ${y === -Infinity ? 'vanishes' : `is ${Math.exp(y)}`}: no growth rate can be taken over orders ${orders.from}-${orders.to}`,
        'the function is locally a polynomial of lower degree (e.g. a ReLU network: differentiate the loss) or the point is degenerate; try other points or orders');
    }
    ns.push(n);
    ys.push(y);
  }
  const line = fitLine(ns, ys);
  if (method === 'fit') return { convention: 'raw', method, orders, lambda: line.slope, intercept: line.intercept, r2: line.r2 };
  const lambda = (ys[ys.length - 1]! - ys[0]!) / (orders.to - orders.from);
  return { convention: 'raw', method, orders, lambda, intercept: ys[0]! - lambda * orders.from, r2: line.r2 };
}

/** log n! (exact sum: n ≤ 60). */
export function logFactorial(n: number): number {
  let s = 0;
  for (let i = 2; i <= n; i++) s += Math.log(i);
  return s;
}

/** log|Dⁿf| = log|cₙ| + log n! for every order of one series (−∞ where cₙ = 0). */
export function logRawDerivatives(coefficients: ArrayLike<number>): Float64Array {
  const out = new Float64Array(coefficients.length);
  for (let n = 0; n < coefficients.length; n++) out[n] = Math.log(Math.abs(coefficients[n]!)) + logFactorial(n);
  return out;
}
