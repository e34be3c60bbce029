// Lanczos on matrices with known spectra: the top eigenvalue of an MLP-like spectrum to 1e-3 in
// at most 30 products, a ±λ top pair resolved (top +λ, bottom −λ), Ritz residuals that bound
// the true error, honest `converged` flags, repeated eigenvalues through restarts, a
// non-symmetric operator flagged, and a basis that is all the memory there is.
import { describe, expect, it } from 'vitest';
import { lanczos } from '../src/curvature/lanczos.js';
import { byBlock, CountingOperator, DenseOperator } from '../src/curvature/operator.js';
import { symmetricEigen } from '../src/curvature/symmetric-eigen.js';
import { mlpLikeSpectrum, sorted, withSpectrum } from './curvature-matrices.js';

const n = 300;

describe('Lanczos with full reorthogonalization', () => {
  it.each([1, 2, 3])('MLP-like spectrum: the top eigenvalue to 1e-3 in ≤ 30 products (seed %i)', async (seed) => {
    const spectrum = mlpLikeSpectrum(n, [25, 12, 6, -3, 2], seed);
    const op = new CountingOperator(new DenseOperator(n, withSpectrum(spectrum, seed + 10)));
    const r = await lanczos(op, { seed, top: 1, bottom: 1, tolerance: 1e-3 });
    const exact = sorted(spectrum);
    expect(op.products).toBeLessThanOrEqual(30);
    expect(r.products).toBe(op.products);
    expect(r.top[0]!.converged).toBe(true);
    expect(Math.abs(r.top[0]!.value - 25) / 25).toBeLessThan(1e-3);
    expect(r.bottom[0]!.converged).toBe(true);
    expect(Math.abs(r.bottom[0]!.value - exact[0]!)).toBeLessThanOrEqual(r.bottom[0]!.residual);
    // Memory: one basis vector per product, nothing else.
    expect(r.basisSize).toBe(r.iterations);
    expect(r.symmetryDefect).toBeLessThan(1e-12);
  });

  it.each([4, 5, 6])('a random-initialization spectrum whose top two magnitudes are ±λ (seed %i)', async (seed) => {
    const lambda = 3.7;
    const spectrum = mlpLikeSpectrum(n, [lambda, -lambda, 1.5, -1.1], seed);
    const op = new CountingOperator(new DenseOperator(n, withSpectrum(spectrum, seed)));
    const r = await lanczos(op, { seed, tolerance: 1e-3 });
    expect(op.products).toBeLessThanOrEqual(30);
    expect(r.top[0]!.converged && r.bottom[0]!.converged).toBe(true);
    expect(Math.abs(r.top[0]!.value - lambda) / lambda).toBeLessThan(1e-3);
    expect(Math.abs(r.bottom[0]!.value + lambda) / lambda).toBeLessThan(1e-3);
  });

  it('top-3 and bottom-2 with residuals that bound the error; verified residuals agree with the Lanczos relation', async () => {
    const spectrum = mlpLikeSpectrum(n, [20, 15, 11, -8, -6], 9);
    const exact = sorted(spectrum);
    const r = await lanczos(new DenseOperator(n, withSpectrum(spectrum, 9)), { top: 3, bottom: 2, tolerance: 1e-8, verify: true, maxProducts: 120 });
    expect(r.top.map((t) => t.converged)).toEqual([true, true, true]);
    r.top.forEach((t, i) => {
      expect(Math.abs(t.value - exact[n - 1 - i]!)).toBeLessThanOrEqual(t.residual + 1e-12);
      expect(Math.abs(t.verifiedResidual! - t.residual)).toBeLessThan(1e-9 * 20);
    });
    r.bottom.forEach((b, i) => expect(Math.abs(b.value - exact[i]!)).toBeLessThanOrEqual(b.residual + 1e-12));
    expect(r.products).toBe(r.iterations + 5);
  });

  it('says `converged: false` when stopped early, and the residual still bounds the error', async () => {
    // A top cluster 10, 9.99, 9.98 cannot be resolved to 1e-6 in 8 products.
    const spectrum = mlpLikeSpectrum(n, [10, 9.99, 9.98], 2);
    const r = await lanczos(new DenseOperator(n, withSpectrum(spectrum, 2)), { tolerance: 1e-6, maxProducts: 8, verify: true });
    expect(r.iterations).toBe(8);
    expect(r.top[0]!.converged).toBe(false);
    const nearest = Math.min(...spectrum.map((l) => Math.abs(l - r.top[0]!.value)));
    expect(nearest).toBeLessThanOrEqual(r.top[0]!.residual);
  });

  it('finds a repeated top eigenvalue through a breakdown restart', async () => {
    const spectrum = [5, 5, 5, ...new Array(20).fill(1), ...new Array(27).fill(0)];
    const r = await lanczos(new DenseOperator(50, withSpectrum(spectrum, 4)), { top: 2, bottom: 1, tolerance: 1e-10 });
    expect(r.breakdowns).toBeGreaterThanOrEqual(1);
    expect(r.top.map((t) => t.value)).toEqual([expect.closeTo(5, 10), expect.closeTo(5, 10)]);
    expect(r.bottom[0]!.value).toBeCloseTo(0, 10);
  });

  it('exhausts a small space exactly', async () => {
    const r = await lanczos(new DenseOperator(3, withSpectrum([2, -1, 0.5], 1)), { top: 3, bottom: 0, tolerance: 1e-12 });
    expect(r.iterations).toBe(3);
    expect(r.top.map((t) => t.value)).toEqual([expect.closeTo(2, 12), expect.closeTo(0.5, 12), expect.closeTo(-1, 12)]);
  });

  it('flags an operator that is not symmetric (a buggy HVP accumulator)', async () => {
    const a = withSpectrum(mlpLikeSpectrum(60, [4, 2], 1), 1);
    a[5 * 60 + 7]! += 0.05; // one corrupted entry
    const r = await lanczos(new DenseOperator(60, a), { verify: true, maxProducts: 60 });
    expect(r.symmetryDefect).toBeGreaterThan(1e-4);
  });

  it('per layer: the top and bottom eigenvalues of each diagonal block H_BB', async () => {
    const m = 70;
    const a = withSpectrum(mlpLikeSpectrum(m, [9, 5, -4], 3), 3);
    const blocks = [{ name: 'w1', offset: 0, size: 40 }, { name: 'b1', offset: 40, size: 10 }, { name: 'w2', offset: 50, size: 20 }];
    const perLayer = await byBlock(new DenseOperator(m, a, blocks), (sub) => lanczos(sub, { tolerance: 1e-10, maxProducts: 40 }));
    for (const b of perLayer) {
      const sub = new Float64Array(b.size * b.size);
      for (let i = 0; i < b.size; i++) for (let j = 0; j < b.size; j++) sub[i * b.size + j] = a[(b.offset + i) * m + b.offset + j]!;
      const exact = symmetricEigen(sub, b.size).values;
      expect(b.result.top[0]!.value).toBeCloseTo(exact[b.size - 1]!, 8);
      expect(b.result.bottom[0]!.value).toBeCloseTo(exact[0]!, 8);
    }
  });

  it('rejects a zero start vector', async () => {
    await expect(lanczos(new DenseOperator(2, new Float64Array([1, 0, 0, 1])), { start: new Float64Array(2) })).rejects.toThrow(/start vector/);
  });
});
