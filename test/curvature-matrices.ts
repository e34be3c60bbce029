// Test matrices with known spectra for the curvature tests: A = Q·diag(λ)·Qᵀ with Q a product
// of n random Householder reflections (orthogonal; the spectrum is exactly λ up to rounding).
import { Random } from '../src/util/random.js';

export function withSpectrum(eigenvalues: readonly number[], seed: number): Float64Array {
  const n = eigenvalues.length;
  const random = new Random(seed);
  const a = new Float64Array(n * n);
  eigenvalues.forEach((l, i) => { a[i * n + i] = l; });
  const av = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const u = random.unitVector(n);
    // A ← (I − 2uuᵀ) A (I − 2uuᵀ) = A − 2u(Au)ᵀ − 2(Au)uᵀ + 4(uᵀAu)uuᵀ.
    let uau = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += a[i * n + j]! * u[j]!;
      av[i] = s;
      uau += u[i]! * s;
    }
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        a[i * n + j]! += -2 * u[i]! * av[j]! - 2 * av[i]! * u[j]! + 4 * uau * u[i]! * u[j]!;
      }
    }
  }
  // Symmetrize away the rounding so that the operator is exactly symmetric.
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) {
    const m = (a[i * n + j]! + a[j * n + i]!) / 2;
    a[i * n + j] = m;
    a[j * n + i] = m;
  }
  return a;
}

/** A spectrum like a small MLP's Hessian: a few outliers and a bulk near zero (both signs). */
export function mlpLikeSpectrum(n: number, outliers: readonly number[], seed: number): number[] {
  const random = new Random(seed);
  const bulk = Array.from({ length: n - outliers.length }, () => 0.02 * random.normal() * Math.abs(random.normal()));
  return [...outliers, ...bulk];
}

export const sorted = (xs: Iterable<number>): number[] => [...xs].sort((a, b) => a - b);

export function trace(a: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += a[i * n + i]!;
  return t;
}

/** Row-major product of m×k and k×n matrices. */
export function matmul(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const c = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let l = 0; l < k; l++) {
    const ail = a[i * k + l]!;
    if (ail === 0) continue;
    for (let j = 0; j < n; j++) c[i * n + j]! += ail * b[l * n + j]!;
  }
  return c;
}
