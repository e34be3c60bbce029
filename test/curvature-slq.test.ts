// Stochastic Lanczos quadrature on matrices with known spectra: the Gauss rule's moments
// (weights = squared FIRST components, summing to 1; Σ τ θ^p = vᵀH^p v up to p = 2m−1), the
// full-length rule equal to the eigen-decomposition of the start vector, a density that
// integrates to 1 with mean tr(H)/P, and the SVG.
import { describe, expect, it } from 'vitest';
import { singularValuePlot, spectralDensityPlot } from '../src/curvature/plot.js';
import { spectralDensity } from '../src/curvature/slq.js';
import { DenseOperator } from '../src/curvature/operator.js';
import { symmetricEigen } from '../src/curvature/symmetric-eigen.js';
import { matrixRank } from '../src/curvature/svd.js';
import { LanczosRun } from '../src/curvature/lanczos.js';
import { tridiagonalEigen } from '../src/curvature/tridiagonal.js';
import { Random } from '../src/util/random.js';
import { mlpLikeSpectrum, trace, withSpectrum } from './curvature-matrices.js';

const n = 80;
const spectrum = mlpLikeSpectrum(n, [6, 3, -1.5], 3);
const a = withSpectrum(spectrum, 5);
const op = new DenseOperator(n, a);

describe('stochastic Lanczos quadrature', () => {
  it('the Gauss rule reproduces vᵀH^p v for p ≤ 2m−1 (first components, squared)', async () => {
    const random = new Random(1);
    const v = random.unitVector(n);
    const m = 4;
    const run = new LanczosRun(op, v, random);
    while (run.steps < m) await run.step();
    const { values, rows } = tridiagonalEigen(run.alpha, run.beta.slice(0, m - 1), [0]);
    const w = rows[0]!.map((s) => s * s);
    let hv: Float64Array = Float64Array.from(v);
    for (let p = 0; p <= 2 * m - 1; p++) {
      const exact = v.reduce((s, x, i) => s + x * hv[i]!, 0);
      const quad = values.reduce((s, t, k) => s + w[k]! * t ** p, 0);
      expect(quad).toBeCloseTo(exact, 10);
      [hv] = await op.apply([hv]);
    }
  });

  it('with m = P steps the rule is the start vector in the eigenbasis: nodes λ_i, weights (u_iᵀv)²', async () => {
    const small = withSpectrum([3, 1, -2, 0.5, 2.5, -1], 2);
    const d = await spectralDensity(new DenseOperator(6, small), { probes: 1, steps: 6, seed: 4 });
    const { values, vectors } = symmetricEigen(small, 6, true);
    expect(Array.from(d.rules[0]!.nodes)).toEqual(Array.from(values).map((x) => expect.closeTo(x, 12)));
    // The start is the first Rademacher vector over √6 of the seed: recompute the weights from it.
    const r = new Random(4);
    const v = Float64Array.from({ length: 6 }, () => (r.uniform() < 0.5 ? -1 : 1) / Math.sqrt(6));
    for (let k = 0; k < 6; k++) {
      let c = 0;
      for (let i = 0; i < 6; i++) c += vectors![i * 6 + k]! * v[i]!;
      expect(d.rules[0]!.weights[k]).toBeCloseTo(c * c, 12);
    }
  });

  it('the density integrates to 1 and its mean is tr(H)/P within 4 standard errors', async () => {
    const d = await spectralDensity(op, { probes: 20, steps: 25, seed: 7, gridPoints: 4000 });
    expect(d.products).toBe(500);
    for (const rule of d.rules) expect(rule.weights.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 13);
    const h = d.grid[1]! - d.grid[0]!;
    let integral = 0;
    let mean = 0;
    d.density.forEach((p, i) => { integral += p * h; mean += d.grid[i]! * p * h; });
    expect(integral).toBeCloseTo(1, 4);
    expect(mean).toBeCloseTo(d.meanEigenvalue.value, 4);
    expect(Math.abs(d.meanEigenvalue.value - trace(a, n) / n)).toBeLessThanOrEqual(4 * d.meanEigenvalue.stdErr);
    // The outliers show as isolated peaks: the density near 6 is far above the gap at 4.5.
    const at = (t: number) => d.density[Math.round((t - d.grid[0]!) / h)]!;
    expect(at(6)).toBeGreaterThan(100 * at(4.5));
  });

  it('draws the density and the singular values as SVG', async () => {
    const d = await spectralDensity(op, { probes: 3, steps: 10 });
    const svg = spectralDensityPlot(d);
    expect(svg).toMatch(/^<svg[^>]*>/);
    expect(svg).toContain('3 probes × 10 Lanczos steps');
    const rank = matrixRank(new Float64Array([1, 0, 0, 0, 1, 0]), 2, 3);
    const s = singularValuePlot(rank, 'J', { label: 'ReLU bound', value: 2 });
    expect(s).toContain('batch functional rank 2 of 2');
  });
});
