// An estimate with its uncertainty, and the two ways the estimators get one: the standard error
// of a mean over independent probes, and the jackknife for smooth functions of several means
// (the unbiased tr(H)², the scalar curvature).

export interface Estimate {
  readonly value: number;
  /** One standard error; 0 for a value computed exactly, Infinity when it cannot be told. */
  readonly stdErr: number;
}

export const exact = (value: number): Estimate => ({ value, stdErr: 0 });

/**
 * The jackknife standard error of a statistic of m independent probes, given its leave-one-out
 * values θ₍ᵢ₎: √((m−1)/m · Σ(θ₍ᵢ₎ − θ̄)²). For a plain mean it equals the usual s/√m.
 */
export function jackknifeStdErr(leaveOneOut: ArrayLike<number>): number {
  const m = leaveOneOut.length;
  if (m < 2) return Infinity;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += leaveOneOut[i]!;
  mean /= m;
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (leaveOneOut[i]! - mean) ** 2;
  return Math.sqrt(((m - 1) / m) * ss);
}

/**
 * The unbiased estimate of (E a)² from independent samples a_i: the U-statistic
 * Σ_{i≠j} a_i·a_j / (m(m−1)) = ((Σa)² − Σa²)/(m(m−1)). The square of the mean is biased upward
 * by Var(a)/m, which for a Hutchinson trace is of the order of the scalar curvature itself.
 */
export function squaredMeanU(a: ArrayLike<number>): Estimate {
  const m = a.length;
  if (m < 3) return { value: m === 2 ? a[0]! * a[1]! : NaN, stdErr: Infinity };
  let s = 0;
  let q = 0;
  for (let i = 0; i < m; i++) { s += a[i]!; q += a[i]! ** 2; }
  const loo = Float64Array.from({ length: m }, (_, i) => ((s - a[i]!) ** 2 - (q - a[i]! ** 2)) / ((m - 1) * (m - 2)));
  return { value: (s * s - q) / (m * (m - 1)), stdErr: jackknifeStdErr(loo) };
}
