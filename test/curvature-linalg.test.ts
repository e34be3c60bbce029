// The dense float64 linear algebra under the curvature estimators, against matrices whose
// spectra are known by construction: the tridiagonal QL solver, the Householder + QL dense
// eigensolver, the one-sided Jacobi SVD and NumPy's rank rule.
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from '../src/curvature/symmetric-eigen.js';
import { matrixRank, singularValues } from '../src/curvature/svd.js';
import { tridiagonalEigen } from '../src/curvature/tridiagonal.js';
import { makeMoons } from '../src/data/moons.js';
import { ReluMlp } from '../src/reference/relu-mlp64.js';
import { Random } from '../src/util/random.js';
import { matmul, sorted, withSpectrum } from './curvature-matrices.js';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (x, i) => Math.abs(x - b[i]!)));

describe('tridiagonal QL', () => {
  it('gives the closed-form spectrum of the 1-D Laplacian tridiag(−1, 2, −1)', () => {
    // Eigenvalues 2 − 2cos(jπ/(k+1)), eigenvectors sin(ijπ/(k+1)) (normalized by √(2/(k+1))).
    const k = 40;
    const { values, rows } = tridiagonalEigen(new Array(k).fill(2), new Array(k - 1).fill(-1), [0, k - 1]);
    const exact = sorted(Array.from({ length: k }, (_, j) => 2 - 2 * Math.cos(((j + 1) * Math.PI) / (k + 1))));
    expect(maxAbsDiff(values, exact)).toBeLessThan(1e-13);
    // First row: |s_0j| = √(2/(k+1))·sin(jπ/(k+1)); the sign of an eigenvector is arbitrary.
    for (let j = 0; j < k; j++) {
      expect(Math.abs(rows[0]![j]!)).toBeCloseTo(Math.sqrt(2 / (k + 1)) * Math.sin(((j + 1) * Math.PI) / (k + 1)), 13);
    }
    // Each row of an orthogonal matrix has unit norm.
    expect(rows[1]!.reduce((s, x) => s + x * x, 0)).toBeCloseTo(1, 14);
  });

  it('handles a split matrix (zero off-diagonal), 1×1 and 2×2 cases', () => {
    expect(Array.from(tridiagonalEigen([3, 1, 2], [0, 0]).values)).toEqual([1, 2, 3]);
    expect(Array.from(tridiagonalEigen([5], []).values)).toEqual([5]);
    const { values } = tridiagonalEigen([1, 1], [1]);
    expect(values[0]).toBeCloseTo(0, 15);
    expect(values[1]).toBeCloseTo(2, 15);
  });

  it('rejects mismatched lengths', () => {
    expect(() => tridiagonalEigen([1, 2], [1, 2])).toThrow(/off-diagonal/);
  });
});

describe('dense symmetric eigensolver (Householder + QL)', () => {
  it.each([5, 37, 120])('recovers a known spectrum with repeated and ±λ eigenvalues (n = %i)', (n) => {
    const random = new Random(n);
    const spectrum = Array.from({ length: n }, (_, i) => (i < 3 ? [4, -4, 4][i]! : random.normal()));
    const a = withSpectrum(spectrum, 100 + n);
    const { values, vectors } = symmetricEigen(a, n, true);
    expect(maxAbsDiff(values, sorted(spectrum))).toBeLessThan(1e-12 * n);
    // A·V = V·Λ and VᵀV = I.
    const av = matmul(a, vectors!, n, n, n);
    let resid = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) resid = Math.max(resid, Math.abs(av[i * n + j]! - vectors![i * n + j]! * values[j]!));
    expect(resid).toBeLessThan(1e-12 * n);
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[j * n + i] = vectors![i * n + j]!;
    const vtv = matmul(vt, vectors!, n, n, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(Math.abs(vtv[i * n + j]! - (i === j ? 1 : 0))).toBeLessThan(1e-13 * n);
  });

  it('converges on the exact Hessian of a ReLU net at interpolation, whose null space is a block of rounding noise', () => {
    // At interpolation H = JᵀJ (rank 12 of 65): 53 eigenvalues are 0 up to rounding, and the
    // local deflation test alone never splits that block (this matrix stalled the solver). The
    // 12 non-zero eigenvalues are those of J·Jᵀ.
    const points = 12;
    const data = makeMoons(points, new Random(12), { noise: 0.1 });
    const net = new ReluMlp(2, 16, data.x, Float64Array.from(data.y, (c) => 2 * c - 1));
    const theta = net.train(net.train(net.init(2), 1e-4, 300), 1e-24, 300);
    expect(net.loss(theta)).toBeLessThan(1e-24);
    const j = net.jacobian(theta);
    const n = net.size;
    const jt = new Float64Array(n * points);
    for (let r = 0; r < points; r++) for (let c = 0; c < n; c++) jt[c * points + r] = j[r * n + c]!;
    const gram = symmetricEigen(matmul(j, jt, points, n, points), points).values;
    const { values } = symmetricEigen(net.hessian(theta), n);
    const top = values[n - 1]!;
    expect(maxAbsDiff(values.slice(n - points), gram) / top).toBeLessThan(1e-12);
    for (const x of values.slice(0, n - points)) expect(Math.abs(x)).toBeLessThan(1e-12 * top);
  });

  it('values only agree with values-and-vectors, and the input is left alone', () => {
    const n = 30;
    const a = withSpectrum(Array.from({ length: n }, (_, i) => i - 10), 3);
    const copy = Float64Array.from(a);
    expect(maxAbsDiff(symmetricEigen(a, n).values, symmetricEigen(a, n, true).values)).toBeLessThan(1e-13);
    expect(a).toEqual(copy);
  });
});

describe('singular values and NumPy rank', () => {
  it('recovers the singular values of U·diag(σ)·Vᵀ, tall and wide', () => {
    const m = 30;
    const n = 12;
    const sigma = [10, 5, 3, 1, 0.5, 0.1, 1e-3, 1e-6, 0, 0, 0, 0];
    // U: first n columns of an orthogonal m×m, V: orthogonal n×n (eigenvectors of random matrices).
    const u = symmetricEigen(withSpectrum(Array.from({ length: m }, (_, i) => i), 11), m, true).vectors!;
    const v = symmetricEigen(withSpectrum(Array.from({ length: n }, (_, i) => i), 12), n, true).vectors!;
    const us = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) us[i * n + j] = u[i * m + j]! * sigma[j]!;
    const vt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) vt[j * n + i] = v[i * n + j]!;
    const a = matmul(us, vt, m, n, n);
    const s = singularValues(a, m, n);
    expect(maxAbsDiff(s, sigma)).toBeLessThan(1e-13);
    const at = new Float64Array(n * m);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j]!;
    expect(maxAbsDiff(singularValues(at, n, m), sigma)).toBeLessThan(1e-13);
    // σ = 1e-6 is far above 10·30·2⁻⁵² ≈ 6.7e-14: rank 8.
    const r = matrixRank(a, m, n);
    expect(r.rank).toBe(8);
    expect(r.tolerance).toBeCloseTo(10 * 30 * 2 ** -52, 25);
  });

  it('converges when a column is so small that its squared norm underflows (a dead unit\'s Jacobian column)', () => {
    // Column 3 holds subnormal entries: its ‖·‖² is 0 while its dot products are not, which kept
    // the Jacobi sweeps rotating forever. Its singular value is 0 to working precision.
    const a = Float64Array.from([1, 2, 1e-310, 3, 4, -2e-310, 5, 6, 1e-310, 7, 9, 3e-310]);
    const sigma = singularValues(a, 4, 3);
    const reference = singularValues(Float64Array.from([1, 2, 3, 4, 5, 6, 7, 9]), 4, 2);
    expect(sigma[0]! / reference[0]! - 1).toBeLessThan(1e-14);
    expect(Math.abs(sigma[1]! / reference[1]! - 1)).toBeLessThan(1e-14);
    expect(sigma[2]!).toBeLessThan(1e-300);
    expect(matrixRank(a, 4, 3).rank).toBe(2);
  });

  it('counts exact rank of a product of thin factors, and 0 for the zero matrix', () => {
    const random = new Random(5);
    const m = 40;
    const n = 25;
    const k = 7;
    const a = matmul(random.normals(m * k), random.normals(k * n), m, k, n);
    expect(matrixRank(a, m, n).rank).toBe(k);
    expect(matrixRank(new Float64Array(6), 2, 3).rank).toBe(0);
  });
});
