// The `taylor` convention: the radius of convergence R of t ↦ f(x0 + t) from its normalized
// Taylor coefficients cₙ = f⁽ⁿ⁾(x0)/n!, with 1/R = limsup |cₙ|^{1/n} and λ = −log R.
//
// The plain root test |c_K|^{-1/K} is biased by the prefactor of cₙ (a pole of order p gives
// cₙ ~ A·n^{p−1}·R⁻ⁿ: A^{1/60} alone is a 1% error at K = 60) and is lost on zeros and on
// oscillating coefficients. So we fit the model
//     log|cₙ| ≈ a − n·log R + κ·log n      (κ = p − 1 for a pole of order p, −1 for log, −3/2 for √)
// over the upper half of the orders, in one of two ways:
// - `envelope`: when the signs of cₙ settle into a fixed or alternating pattern (a real dominant
//   singularity), the upper envelope of log|cₙ| (src/lambda/fit.ts): zeros and sparse series
//   (1/(1−x³)) only lie below it;
// - `hankel`: when they do not, the dominant singularity is a complex-conjugate pair and
//   cₙ ≈ A·n^κ·R⁻ⁿ·cos(nθ+φ) dips towards zero. The Hankel determinant
//   Dₙ = c_{n+1}c_{n−1} − cₙ² ≈ −A²·n^{2κ}·R^{−2n}·sin²θ does not oscillate (the cos² terms
//   cancel), so least squares on log|Dₙ| gives −2·log R and 2κ. When that fit is poor (two pairs
//   of nearly equal modulus beating), we fall back to the κ = 0 envelope of log|cₙ|.
// Series with a stride (only every s-th coefficient non-zero: even, odd, x³-periodic) are read
// as series in x^s first. Entire functions (R = ∞) are told apart by coefficients that fall
// faster than any exponential: an n·log n term in the fit, and a local rate that keeps dropping.
import { JetcurveError } from '../errors.js';
import { fitLeastSquares, upperEnvelope } from './fit.js';

export interface RadiusEstimate {
  readonly convention: 'taylor';
  /** Radius of convergence; Infinity for an entire function. */
  readonly radius: number;
  /** −log R (−Infinity for an entire function). */
  readonly lambda: number;
  /** Algebraic exponent of the dominant singularity: |cₙ| ~ n^κ·R⁻ⁿ (κ = p − 1 for a pole of order p). NaN when not fitted. */
  readonly kappa: number;
  readonly method: 'envelope' | 'hankel' | 'envelope-beating' | 'entire';
  /** Orders used [from, to], and the non-zero coefficients among them. */
  readonly window: readonly [number, number];
  readonly points: number;
  /** Only every `stride`-th coefficient is non-zero (1 for most series). */
  readonly stride: number;
  /**
   * Fit quality: the relative change of R when only the upper half of the window is used. Near
   * zero when the asymptotic regime has been reached; a few percent flags a series that is not
   * yet converged at this order (or singularities too close in modulus to be told apart).
   */
  readonly tailChange: number;
  /** RMS residual of the hankel fit (log units); 0 for envelopes, which touch the data at their vertices. */
  readonly residual: number;
  /** The fitted line for plots: log|cₙ| ≈ intercept + slope·n + kappa·log n (on the envelope). */
  readonly line: { readonly intercept: number; readonly slope: number; readonly kappa: number };
}

export interface RadiusOptions {
  /** First order of the fit window (default ⌈K/2⌉). */
  readonly from?: number;
}

/** A coefficient counts as zero when it sits this far (natural log) below the envelope of its neighbours: f32 round-off of an exact zero. */
const ZERO_GAP = Math.log(1e5);
/** Hankel fits with larger RMS residuals (log units) are taken as beating of several singularities. */
const HANKEL_MAX_RESIDUAL = 0.05;
/** n·log n coefficient below which coefficients fall super-exponentially (−1/ρ for an entire function of order ρ). */
const ENTIRE_GAMMA = -0.15;
/** Drop of the local rate between the two halves of the window (per order) that confirms an entire function. */
const ENTIRE_DROP = -0.05;

const LOG_BASIS = [() => 1, (n: number) => n, (n: number) => Math.log(n)];
const LINE_BASIS = [() => 1, (n: number) => n];
const ENTIRE_BASIS = [...LOG_BASIS, (n: number) => n * Math.log(n)];

export function estimateRadius(coefficients: ArrayLike<number>, options: RadiusOptions = {}): RadiusEstimate {
  const K = coefficients.length - 1;
  if (K < 4) throw new JetcurveError(`a radius needs coefficients up to order ≥ 4 (got ${K})`, 'ask for a higher order, e.g. --order 60');
  for (let n = 0; n <= K; n++) {
    if (!Number.isFinite(coefficients[n]!)) {
      throw new JetcurveError(`coefficient c${n} is ${coefficients[n]}`, 'the series overflowed; evaluate at a point inside the domain');
    }
  }
  const from = Math.max(1, options.from ?? Math.ceil(K / 2));
  if (from > K - 3) throw new JetcurveError(`the fit window ${from}..${K} holds fewer than 4 orders`, 'start the window lower');
  const est = estimateOn(coefficients, from, K, null);
  const tailFrom = Math.ceil((from + K) / 2);
  let tailChange = NaN;
  if (est.method !== 'entire' && K - tailFrom >= 6) {
    try {
      // The same reading of the series (stride, method) on fewer orders: how far R still moves.
      const tail = estimateOn(coefficients, tailFrom, K, est);
      tailChange = tail.radius / est.radius - 1;
    } catch {
      tailChange = NaN; // too few non-zero coefficients in the tail
    }
  }
  return { ...est, tailChange };
}

type Core = Omit<RadiusEstimate, 'tailChange'>;

/** `fixed`: keep the stride and method of an earlier estimate (for the tail check) instead of deciding them here. */
function estimateOn(c: ArrayLike<number>, from: number, to: number, fixed: Pick<Core, 'stride' | 'method'> | null): Core {
  const all: number[] = [];
  for (let n = from; n <= to; n++) if (c[n] !== 0) all.push(n);
  if (all.length < 2) {
    throw new JetcurveError(`the coefficients c${from}..c${to} vanish (${all.length} non-zero)`,
      'the function is a polynomial (R = ∞) or its jets underflowed; check the expression and the point');
  }
  const logAbs = (n: number) => Math.log(Math.abs(c[n]!));
  // Drop round-off "zeros" far below the κ = 0 envelope, then find the stride of what is left.
  const env = upperEnvelope(all, all.map(logAbs), LINE_BASIS)!;
  const significant = all.filter((n) => logAbs(n) >= env.params[0]! + env.params[1]! * n - ZERO_GAP);
  const stride = fixed?.stride ?? (significant.slice(1).reduce((g, n, i) => gcd(g, n - significant[i]!), 0) || 1);
  // Keep the residue class of the stride (round-off "zeros" in between may pass the gap test).
  const orders = significant.filter((n) => (n - significant[0]!) % stride === 0);
  const window = [from, to] as const;
  const base = { convention: 'taylor' as const, window, stride, points: orders.length };

  const oscillating = fixed ? fixed.method === 'hankel' || fixed.method === 'envelope-beating' : !signsSettle(c, orders, stride);
  const values = oscillating ? hankel(c, orders, stride) : orders.map((n) => [n, logAbs(n)] as const);
  const xs = values.map(([n]) => n);
  const ys = values.map(([, y]) => y);
  // Hankel values carry twice the exponent of the coefficients.
  const per = oscillating ? 2 : 1;

  if (!fixed && isEntire(xs, ys, per, oscillating)) {
    return { ...base, method: 'entire', radius: Infinity, lambda: -Infinity, kappa: NaN, residual: 0,
      line: lineOf(env.params[0]!, env.params[1]!, 0) };
  }
  if (oscillating && xs.length >= 4) {
    const fit = fitLeastSquares(xs, ys, LOG_BASIS);
    if (fit && (fixed ? fixed.method === 'hankel' : fit.rms <= HANKEL_MAX_RESIDUAL)) {
      const slope = fit.params[1]! / 2;
      const kappa = fit.params[2]! / 2;
      return { ...base, method: 'hankel', ...radiusOf(slope), kappa, residual: fit.rms,
        line: lineOf(envelopeIntercept(c, orders, slope, kappa), slope, kappa) };
    }
    // Beating: the κ = 0 envelope is robust (the sum of the pairs never exceeds the sum of their amplitudes).
    const e2 = upperEnvelope(orders, orders.map(logAbs), LINE_BASIS)!;
    return { ...base, method: 'envelope-beating', ...radiusOf(e2.params[1]!), kappa: 0, residual: fit?.rms ?? NaN,
      line: lineOf(e2.params[0]!, e2.params[1]!, 0) };
  }
  const e3 = orders.length >= 3 ? upperEnvelope(orders, orders.map(logAbs), LOG_BASIS) : null;
  if (e3) {
    return { ...base, method: 'envelope', ...radiusOf(e3.params[1]!), kappa: e3.params[2]!, residual: 0,
      line: lineOf(e3.params[0]!, e3.params[1]!, e3.params[2]!) };
  }
  const e2 = upperEnvelope(orders, orders.map(logAbs), LINE_BASIS)!;
  return { ...base, method: 'envelope', ...radiusOf(e2.params[1]!), kappa: 0, residual: 0, line: lineOf(e2.params[0]!, e2.params[1]!, 0) };
}

function radiusOf(slope: number): { radius: number; lambda: number } {
  return { radius: Math.exp(-slope), lambda: slope };
}

function lineOf(intercept: number, slope: number, kappa: number) {
  return { intercept, slope, kappa };
}

/** The intercept that puts the line n·slope + κ·log n on top of log|cₙ| (for plots of the hankel fit). */
function envelopeIntercept(c: ArrayLike<number>, orders: readonly number[], slope: number, kappa: number): number {
  return Math.max(...orders.map((n) => Math.log(Math.abs(c[n]!)) - slope * n - kappa * Math.log(n)));
}

/**
 * True when the signs of the non-zero c_{r+ks} follow σ·ρᵏ for one σ and ρ = ±1: a real dominant
 * singularity of the series in x^s (positive or negative side). Anything else oscillates.
 */
function signsSettle(c: ArrayLike<number>, orders: readonly number[], s: number): boolean {
  const follows = (rho: number) => orders.every((n, i) => i === 0
    || Math.sign(c[n]!) * Math.sign(c[orders[i - 1]!]!) * rho ** ((n - orders[i - 1]!) / s) > 0);
  return follows(1) || follows(-1);
}

/** [n, log|D|] for the Hankel determinants of the stride-s subsequence, where they are non-zero. */
function hankel(c: ArrayLike<number>, orders: readonly number[], s: number): (readonly [number, number])[] {
  const out: (readonly [number, number])[] = [];
  const at = (n: number) => (orders.includes(n) ? c[n]! : 0);
  for (const n of orders) {
    const d = at(n + s) * at(n - s) - at(n) ** 2;
    // D needs both neighbours inside the window (a missing one would fake a zero coefficient).
    if (!orders.includes(n - s) || !orders.includes(n + s)) continue;
    if (d !== 0 && Number.isFinite(d)) out.push([n, Math.log(Math.abs(d))]);
  }
  return out;
}

/**
 * Entire: log|cₙ| bends down like −(n log n)/ρ. Both signs must agree: the n·log n coefficient
 * of a four-term fit (−1/ρ, 0 for any singularity at finite distance) and the drop of the
 * κ = 0 slope from the lower to the upper half of the window.
 */
function isEntire(xs: readonly number[], ys: readonly number[], per: number, oscillating: boolean): boolean {
  if (xs.length < 8) return false;
  const fit = oscillating ? fitLeastSquares(xs, ys, ENTIRE_BASIS) : upperEnvelope(xs, ys, ENTIRE_BASIS);
  if (!fit || !(fit.params[3]! / per < ENTIRE_GAMMA)) return false;
  const mid = (xs[0]! + xs[xs.length - 1]!) / 2;
  const slopeOf = (lo: boolean) => {
    const i = xs.map((x, j) => [x, j] as const).filter(([x]) => (lo ? x <= mid : x >= mid)).map(([, j]) => j);
    const fx = i.map((j) => xs[j]!);
    const fy = i.map((j) => ys[j]!);
    const f = oscillating ? fitLeastSquares(fx, fy, LINE_BASIS) : upperEnvelope(fx, fy, LINE_BASIS);
    return f ? f.params[1]! / per : NaN;
  };
  return slopeOf(false) - slopeOf(true) < ENTIRE_DROP;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
