// Hutchinson and Hutch++ on matrices with known traces: every estimate lands within 4 of its
// own standard errors of the exact value over several seeds, per block as well as whole; the
// stopping rule is the standard error (a zero trace stops); products are counted.
import { describe, expect, it } from 'vitest';
import { squaredMeanU } from '../src/curvature/estimate.js';
import { hutchinson } from '../src/curvature/hutchinson.js';
import { hutchPlusPlus } from '../src/curvature/hutchpp.js';
import { CountingOperator, DenseOperator, type ParameterBlock } from '../src/curvature/operator.js';
import { Random } from '../src/util/random.js';
import { matmul, mlpLikeSpectrum, trace, withSpectrum } from './curvature-matrices.js';

const n = 60;
const blocks: ParameterBlock[] = [
  { name: 'layer1.weight', offset: 0, size: 20 },
  { name: 'layer1.bias', offset: 20, size: 25 },
  { name: 'layer2.weight', offset: 45, size: 15 },
];
const a = withSpectrum(mlpLikeSpectrum(n, [9, 4, -2.5, 1.2], 7), 8);
const a2 = matmul(a, a, n, n, n);
const exactTrace = trace(a, n);
const exactSquare = trace(a2, n);
const blockTrace = (m: Float64Array, b: ParameterBlock) => {
  let t = 0;
  for (let i = b.offset; i < b.offset + b.size; i++) t += m[i * n + i]!;
  return t;
};
const within = (est: { value: number; stdErr: number }, truth: number) => {
  expect(est.stdErr).toBeGreaterThan(0);
  expect(Math.abs(est.value - truth)).toBeLessThanOrEqual(4 * est.stdErr);
};
const seeds = [1, 2, 3, 4, 5, 6, 7, 8];

describe('Hutchinson (Rademacher)', () => {
  it.each(seeds)('trace, tr(H²), tr(H)² and per-block figures within 4 standard errors (seed %i)', async (seed) => {
    const op = new CountingOperator(new DenseOperator(n, a, blocks));
    const r = await hutchinson(op, { seed, maxProbes: 200, minProbes: 200 });
    expect(r.probes).toBe(200);
    expect(op.products).toBe(200);
    expect(op.calls).toBe(25);
    within(r.trace, exactTrace);
    within(r.traceOfSquare, exactSquare);
    within(r.traceSquared, exactTrace ** 2);
    r.blocks.forEach((b, i) => {
      expect(b.name).toBe(blocks[i]!.name);
      within(b.trace, blockTrace(a, b));
      within(b.squareShare, blockTrace(a2, b));
    });
    // The blocks partition the parameters: their estimates add up to the whole, probe by probe.
    expect(r.blocks.reduce((s, b) => s + b.trace.value, 0)).toBeCloseTo(r.trace.value, 10);
  });

  it('stops on the standard error when the trace is zero (a relative rule never would)', async () => {
    const spectrum = Array.from({ length: 40 }, (_, i) => (i % 2 ? -1 : 1) * (1 + Math.floor(i / 2) * 0.25));
    const zero = withSpectrum(spectrum, 3);
    expect(Math.abs(trace(zero, 40))).toBeLessThan(1e-12);
    const r = await hutchinson(new DenseOperator(40, zero), { seed: 9, tolerance: 1.5, maxProbes: 5000 });
    expect(r.stoppedBy).toBe('tolerance');
    expect(r.trace.stdErr).toBeLessThanOrEqual(1.5);
    expect(r.probes).toBeLessThan(5000);
    expect(Math.abs(r.trace.value)).toBeLessThanOrEqual(4 * r.trace.stdErr);
  });

  it('a diagonal matrix has zero Rademacher variance: exact after minProbes (rounded up to whole batches)', async () => {
    const d = new Float64Array(25);
    for (let i = 0; i < 5; i++) d[i * 5 + i] = i - 1.5;
    const r = await hutchinson(new DenseOperator(5, d), { tolerance: 1e-12, batch: 4 });
    expect(r.probes).toBe(12);
    expect(r.trace.value).toBeCloseTo(2.5, 14);
    expect(r.trace.stdErr).toBe(0);
  });

  it('rejects unusable probe counts', async () => {
    await expect(hutchinson(new DenseOperator(1, new Float64Array([1])), { minProbes: 1 })).rejects.toThrow(/minProbes/);
  });
});

describe('unbiased tr(H)²', () => {
  it('the U-statistic is unbiased where the squared mean is not', () => {
    // Samples ±1 around 0: (mean)² > 0 on average, the U-statistic averages to 0.
    const random = new Random(4);
    let u = 0;
    let sq = 0;
    const reps = 4000;
    for (let r = 0; r < reps; r++) {
      const s = Array.from({ length: 5 }, () => (random.uniform() < 0.5 ? -1 : 1));
      u += squaredMeanU(s).value;
      sq += (s.reduce((x, y) => x + y, 0) / 5) ** 2;
    }
    expect(Math.abs(u / reps)).toBeLessThan(0.03);
    expect(sq / reps).toBeCloseTo(0.2, 1);
  });
});

describe('Hutch++', () => {
  it.each(seeds)('within 4 standard errors, per block too, and tighter than Hutchinson for the same products (seed %i)', async (seed) => {
    const op = new CountingOperator(new DenseOperator(n, a, blocks));
    const r = await hutchPlusPlus(op, { seed, sketch: 8, minProbes: 100, maxProbes: 100 });
    expect(op.products).toBe(r.products);
    expect(r.products).toBe(8 + r.rank + 100);
    within(r.trace, exactTrace);
    r.blocks.forEach((b) => within(b.trace, blockTrace(a, b)));
    const plain = await hutchinson(new DenseOperator(n, a), { seed, minProbes: r.products, maxProbes: r.products });
    expect(r.trace.stdErr).toBeLessThan(plain.trace.stdErr);
  });

  it('is exact when the sketch spans the range (rank-3 matrix)', async () => {
    const spectrum = [5, -2, 0.5, ...new Array(37).fill(0)];
    const low = withSpectrum(spectrum, 2);
    const r = await hutchPlusPlus(new DenseOperator(40, low), { sketch: 6, tolerance: 1e-9 });
    expect(r.rank).toBe(3);
    expect(r.trace.value).toBeCloseTo(3.5, 10);
    expect(r.trace.stdErr).toBeLessThan(1e-9);
  });
});
