// Small float64 vector helpers shared by the estimators.
import type { Random } from '../util/random.js';

export function dot(a: ArrayLike<number>, b: ArrayLike<number>, from = 0, to = a.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += a[i]! * b[i]!;
  return s;
}

export function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** ‖got − want‖₂ / ‖want‖₂ over all entries. */
export function relativeError(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < want.length; i++) {
    num += (got[i]! - want[i]!) ** 2;
    den += want[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

/** y ← y + alpha·x, in place. */
export function axpy(alpha: number, x: ArrayLike<number>, y: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += alpha * x[i]!;
}

/** A Rademacher vector: each entry ±1 with probability ½. */
export function rademacher(random: Random, n: number): Float64Array {
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = random.uniform() < 0.5 ? -1 : 1;
  return v;
}

/** Mean and standard error of the mean (sample standard deviation / √m). */
export function meanAndStdErr(values: ArrayLike<number>): { mean: number; stdErr: number } {
  const m = values.length;
  let mean = 0;
  for (let i = 0; i < m; i++) mean += values[i]!;
  mean /= m;
  if (m < 2) return { mean, stdErr: Infinity };
  let ss = 0;
  for (let i = 0; i < m; i++) ss += (values[i]! - mean) ** 2;
  return { mean, stdErr: Math.sqrt(ss / (m - 1) / m) };
}

/**
 * Orthonormalizes v against the columns of `basis` (assumed orthonormal) twice over — classical
 * Gram–Schmidt repeated once is enough to reach orthogonality at working precision ("twice is
 * enough", Giraud et al.) — and returns the norm left. v is changed in place.
 */
export function orthogonalizeTwice(v: Float64Array, basis: readonly Float64Array[]): number {
  for (let pass = 0; pass < 2; pass++) {
    for (const q of basis) axpy(-dot(q, v), q, v);
  }
  return norm(v);
}
