// Eigenvalues of a symmetric tridiagonal matrix by the implicit QL method with Wilkinson-type
// shifts (Bowdler, Martin, Reinsch & Wilkinson, 1968), written out plainly. Lanczos and
// stochastic Lanczos quadrature need, besides the eigenvalues θ_i, only one or two rows of the
// eigenvector matrix S (T = S·diag(θ)·Sᵀ): its first row gives the quadrature weights, its last
// row the Ritz residuals. Each plane rotation acts on columns i, i+1 of S and on every row
// independently, so only the rows asked for are carried — O(k²) work, not O(k³).
import { JetcurveError } from '../errors.js';

const EPS = 2 ** -52;
const MAX_SWEEPS_PER_EIGENVALUE = 60;

export interface TridiagonalEigen {
  /** Eigenvalues in ascending order. */
  readonly values: Float64Array;
  /** The requested rows of the eigenvector matrix, columns in the order of `values`. */
  readonly rows: Float64Array[];
}

/**
 * Eigen-decomposition of the symmetric tridiagonal matrix with diagonal `diag` (length k) and
 * off-diagonal `off` (length k−1). `rows` are row indices of the (orthogonal) eigenvector
 * matrix to return: [0] for SLQ weights, [k−1] for Lanczos residuals, all of them for Ritz
 * vectors.
 */
export function tridiagonalEigen(diag: ArrayLike<number>, off: ArrayLike<number>, rows: readonly number[] = []): TridiagonalEigen {
  const k = diag.length;
  if (off.length !== Math.max(0, k - 1)) {
    throw new JetcurveError(`a tridiagonal matrix with ${k} diagonal entries needs ${Math.max(0, k - 1)} off-diagonal ones, got ${off.length}`, 'pass diag of length k and off of length k−1');
  }
  const z = rows.map((r) => {
    const row = new Float64Array(k);
    row[r] = 1;
    return row;
  });
  return qlImplicit(Float64Array.from(diag), Float64Array.from({ length: k }, (_, i) => (i < k - 1 ? off[i]! : 0)), z);
}

/**
 * The implicit QL iteration on d (diagonal) and e (e[i] couples i and i+1; e[k−1] unused),
 * both overwritten. Each row of z is post-multiplied by the accumulated rotations: start with
 * rows of the identity to get rows of S, with rows of Q to get rows of Q·S (dense eigenvectors
 * after a Householder reduction A = Q·T·Qᵀ).
 */
export function qlImplicit(d: Float64Array, e: Float64Array, z: Float64Array[]): TridiagonalEigen {
  const k = d.length;
  // An off-diagonal is negligible beside its neighbours on the diagonal, or beside the whole
  // matrix: rounding already perturbs every eigenvalue by ~ε·‖T‖, and a block of eigenvalues at
  // that noise level (a Hessian of low rank) never meets the local test alone.
  let norm = 0;
  for (let i = 0; i < k; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0));
  const floor = EPS * norm;
  for (let l = 0; l < k; l++) {
    let sweeps = 0;
    for (;;) {
      // Find the first negligible off-diagonal at or after l: the block l..m is unreduced.
      let m = l;
      while (m < k - 1 && Math.abs(e[m]!) > Math.max(EPS * (Math.abs(d[m]!) + Math.abs(d[m + 1]!)), floor)) m++;
      if (m === l) break;
      if (++sweeps > MAX_SWEEPS_PER_EIGENVALUE) {
        throw new JetcurveError('the tridiagonal eigensolver did not converge', 'check the matrix for NaN or Infinity');
      }
      // Shift: the eigenvalue of the leading 2×2 block closer to d[l].
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let underflow = false;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          // The rotation is the identity: the matrix split; restart on the smaller block.
          d[i + 1]! -= p;
          e[m] = 0;
          underflow = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        for (const row of z) {
          const zi1 = row[i + 1]!;
          row[i + 1] = s * row[i]! + c * zi1;
          row[i] = c * row[i]! - s * zi1;
        }
      }
      if (underflow) continue;
      d[l]! -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
  // Ascending order, with the rows' columns permuted alike.
  const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => d[a]! - d[b]!);
  return {
    values: Float64Array.from(order, (i) => d[i]!),
    rows: z.map((row) => Float64Array.from(order, (i) => row[i]!)),
  };
}
