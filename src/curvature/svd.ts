// Singular values by one-sided Jacobi (Hestenes): plane rotations orthogonalize the columns of
// the matrix pairwise until every pair is orthogonal to working precision; the singular values
// are then the column norms. Simple, and accurate for small singular values too (Demmel &
// Veselić), which is what a rank decision needs. A tall matrix is first reduced to its
// triangular factor R by Householder QR (backward stable: R has the singular values of A up to
// rounding of the order ε·‖A‖, the level of the rank threshold itself), so that the sweeps work
// on k = min(m, n) columns of length k: O(max(m,n)·k² + sweeps·k³).
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
  const columns: Float64Array[] = Array.from({ length: cols }, (_, j) => {
    const col = new Float64Array(len);
    for (let i = 0; i < len; i++) col[i] = transpose ? matrix[j * n + i]! : matrix[i * n + j]!;
    return col;
  });
  // A column this small holds a singular value far below any rank threshold (σ_max·max(m, n)·ε);
  // its squared norm may underflow to 0 while its products with other columns do not, and then
  // the orthogonality test below never passes: leave it alone.
  const negligible = (EPS * EPS * Math.hypot(...columns.map((col) => norm(col)))) ** 2;
  const c = len > cols ? triangularFactor(columns) : columns;
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
        for (let i = 0; i < a.length; i++) {
          alpha += a[i]! * a[i]!;
          beta += b[i]! * b[i]!;
          gamma += a[i]! * b[i]!;
        }
        if (gamma === 0 || Math.abs(gamma) <= EPS * Math.sqrt(alpha * beta) || Math.min(alpha, beta) <= negligible) continue;
        rotated = true;
        // The rotation that zeroes the (p, q) entry of the 2×2 Gram matrix [[α, γ], [γ, β]].
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.hypot(1, zeta));
        const cs = 1 / Math.hypot(1, t);
        const sn = cs * t;
        for (let i = 0; i < a.length; i++) {
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

/**
 * The columns of R (k×k, upper triangular) in A = Q·R for the k columns of A (each of length
 * len > k), by Householder reflections applied column by column. The columns are overwritten.
 */
function triangularFactor(a: Float64Array[]): Float64Array[] {
  const k = a.length;
  const len = a[0]!.length;
  for (let j = 0; j < k; j++) {
    const x = a[j]!;
    let sigma = 0;
    for (let i = j; i < len; i++) sigma += x[i]! * x[i]!;
    const normX = Math.sqrt(sigma);
    if (normX === 0) continue;
    const alpha = x[j]! >= 0 ? -normX : normX;
    // v = x[j:] − α·e_j, reflector I − 2vvᵀ/‖v‖²; ‖v‖² = 2(σ − α·x_j).
    const v = x.slice(j);
    v[0]! -= alpha;
    const vv = 2 * (sigma - alpha * x[j]!);
    for (let l = j + 1; l < k; l++) {
      const y = a[l]!;
      let d = 0;
      for (let i = j; i < len; i++) d += v[i - j]! * y[i]!;
      const f = (2 * d) / vv;
      for (let i = j; i < len; i++) y[i]! -= f * v[i - j]!;
    }
    x[j] = alpha;
    for (let i = j + 1; i < len; i++) x[i] = 0;
  }
  return a.map((col) => col.slice(0, k));
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
