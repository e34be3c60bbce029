// Singular values by one-sided Jacobi (Hestenes): plane rotations orthogonalize the columns of
// the matrix pairwise until every pair is orthogonal to working precision; the singular values
// are then the column norms. Simple, and accurate for small singular values too (Demmel &
// Veselić), which is what a rank decision needs. O(sweeps·min(m,n)²·max(m,n)).
import { JetcurveError } from '../errors.js';
import { norm } from './vector.js';

const EPS = 2 ** -52;
const MAX_SWEEPS = 80;

/** Singular values (descending) of a row-major m×n matrix. */
export function singularValues(matrix: ArrayLike<number>, m: number, n: number): Float64Array {
  if (matrix.length !== m * n) throw new JetcurveError(`a ${m}×${n} matrix needs ${m * n} entries, got ${matrix.length}`, 'pass the matrix row-major');
  // Work on the columns of A (n ≤ m) or of Aᵀ: the same singular values, fewer pairs.
  const transpose = n > m;
  const cols = transpose ? m : n;
  const len = transpose ? n : m;
  const c: Float64Array[] = Array.from({ length: cols }, (_, j) => {
    const col = new Float64Array(len);
    for (let i = 0; i < len; i++) col[i] = transpose ? matrix[j * n + i]! : matrix[i * n + j]!;
    return col;
  });
  for (let sweep = 0; ; sweep++) {
    if (sweep === MAX_SWEEPS) throw new JetcurveError('the Jacobi SVD did not converge', 'check the matrix for NaN or Infinity');
    let rotated = false;
    for (let p = 0; p < cols - 1; p++) {
      for (let q = p + 1; q < cols; q++) {
        const a = c[p]!;
        const b = c[q]!;
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < len; i++) {
          alpha += a[i]! * a[i]!;
          beta += b[i]! * b[i]!;
          gamma += a[i]! * b[i]!;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that zeroes the (p, q) entry of the 2×2 Gram matrix [[α, γ], [γ, β]].
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const cs = 1 / Math.hypot(1, t);
        const sn = cs * t;
        for (let i = 0; i < len; i++) {
          const ai = a[i]!;
          const bi = b[i]!;
          a[i] = cs * ai - sn * bi;
          b[i] = sn * ai + cs * bi;
        }
      }
    }
    if (!rotated) break;
  }
  const sigma = Float64Array.from(c, (col) => norm(col));
  return sigma.sort((x, y) => y - x);
}

export interface RankResult {
  readonly rank: number;
  /** Descending. */
  readonly singularValues: Float64Array;
  /** The threshold used: σ_max·max(m, n)·ε with ε = 2⁻⁵² (NumPy's matrix_rank default). */
  readonly tolerance: number;
}

/** The numerical rank with NumPy's default tolerance; singular values above it count. */
export function matrixRank(matrix: ArrayLike<number>, m: number, n: number): RankResult {
  const s = singularValues(matrix, m, n);
  const tolerance = (s[0] ?? 0) * Math.max(m, n) * EPS;
  return { rank: s.filter((x) => x > tolerance).length, singularValues: s, tolerance };
}
