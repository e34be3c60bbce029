// Eigenvalues (and optionally eigenvectors) of a dense symmetric matrix: Householder reduction
// to tridiagonal form, A = Q·T·Qᵀ, then the implicit QL iteration on T. O(P³); the `--exact`
// path for networks with up to a few thousand parameters.
import { JetcurveError } from '../errors.js';
import { qlImplicit } from './tridiagonal.js';

export interface SymmetricEigen {
  /** Ascending. */
  readonly values: Float64Array;
  /** Row-major n×n, column j the unit eigenvector of values[j]; only when asked for. */
  readonly vectors?: Float64Array;
}

/** `matrix` is row-major n×n and symmetric (only its lower triangle is read); it is not changed. */
export function symmetricEigen(matrix: Float64Array, n: number, withVectors = false): SymmetricEigen {
  if (matrix.length !== n * n) throw new JetcurveError(`a ${n}×${n} matrix needs ${n * n} entries, got ${matrix.length}`, 'pass the matrix row-major');
  const a = Float64Array.from(matrix);
  // Mirror the lower triangle so that the reduction sees an exactly symmetric matrix.
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[j * n + i] = a[i * n + j]!;
  const reflectors = householderTridiagonalize(a, n);
  const d = Float64Array.from({ length: n }, (_, i) => a[i * n + i]!);
  const e = Float64Array.from({ length: n }, (_, i) => (i < n - 1 ? a[(i + 1) * n + i]! : 0));
  if (!withVectors) return { values: qlImplicit(d, e, []).values };
  const q = accumulateQ(reflectors, n);
  const rows = Array.from({ length: n }, (_, i) => q.subarray(i * n, (i + 1) * n));
  const result = qlImplicit(d, e, rows);
  const vectors = new Float64Array(n * n);
  result.rows.forEach((row, i) => vectors.set(row, i * n));
  return { values: result.values, vectors };
}

/**
 * Overwrites a with T (tridiagonal part valid) and returns the Householder vectors: step k
 * zeroes column k below the subdiagonal with the reflector I − 2·v·vᵀ acting on rows and
 * columns k+1..n−1 (v = null when the column is already zero there).
 */
function householderTridiagonalize(a: Float64Array, n: number): (Float64Array | null)[] {
  const reflectors: (Float64Array | null)[] = [];
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const len = n - k - 1;
    const v = new Float64Array(len);
    let scale = 0;
    for (let i = 0; i < len; i++) scale = Math.max(scale, Math.abs(a[(k + 1 + i) * n + k]!));
    if (scale === 0) { reflectors.push(null); continue; }
    let sigma = 0;
    for (let i = 0; i < len; i++) {
      v[i] = a[(k + 1 + i) * n + k]! / scale;
      sigma += v[i]! ** 2;
    }
    const alpha = -(v[0]! >= 0 ? 1 : -1) * Math.sqrt(sigma);
    v[0]! -= alpha;
    let vv = 0;
    for (let i = 0; i < len; i++) vv += v[i]! ** 2;
    const inv = 1 / Math.sqrt(vv);
    for (let i = 0; i < len; i++) v[i]! *= inv;
    // Column k and row k: only the subdiagonal entry survives.
    a[(k + 1) * n + k] = alpha * scale;
    a[k * n + k + 1] = alpha * scale;
    for (let i = 1; i < len; i++) { a[(k + 1 + i) * n + k] = 0; a[k * n + k + 1 + i] = 0; }
    // Trailing block B ← (I − 2vvᵀ) B (I − 2vvᵀ) = B − v·wᵀ − w·vᵀ with w = 2(Bv − (vᵀBv)·v).
    let vbv = 0;
    for (let i = 0; i < len; i++) {
      let s = 0;
      const row = (k + 1 + i) * n + k + 1;
      for (let j = 0; j < len; j++) s += a[row + j]! * v[j]!;
      p[i] = s;
      vbv += v[i]! * s;
    }
    for (let i = 0; i < len; i++) p[i] = 2 * (p[i]! - vbv * v[i]!);
    for (let i = 0; i < len; i++) {
      const row = (k + 1 + i) * n + k + 1;
      const vi = v[i]!;
      const wi = p[i]!;
      for (let j = 0; j < len; j++) a[row + j]! -= vi * p[j]! + wi * v[j]!;
    }
    reflectors.push(v);
  }
  return reflectors;
}

/** Q = H_0·H_1·…·H_{n−3}, applied right to left to the identity. */
function accumulateQ(reflectors: readonly (Float64Array | null)[], n: number): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const t = new Float64Array(n);
  for (let k = reflectors.length - 1; k >= 0; k--) {
    const v = reflectors[k];
    if (!v) continue;
    const off = k + 1;
    const len = v.length;
    // Rows/columns off..n−1 of Q: Q_sub ← Q_sub − 2·v·(vᵀ·Q_sub).
    t.fill(0);
    for (let i = 0; i < len; i++) {
      const row = (off + i) * n;
      const vi = v[i]!;
      for (let j = off; j < n; j++) t[j]! += vi * q[row + j]!;
    }
    for (let i = 0; i < len; i++) {
      const row = (off + i) * n;
      const vi = 2 * v[i]!;
      for (let j = off; j < n; j++) q[row + j]! -= vi * t[j]!;
    }
  }
  return q;
}
