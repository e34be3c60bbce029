// The estimators' pooling rules on hand-made derivatives: the notebook's clamp at 1e-12 (no row
// skipped), flatgrad's first-derivative skip (strict <), its ratio clamp at 1e-10, and Table 2's
// variant (skip at ≤, log(ratio + 1e-12)).
import { describe, expect, it } from 'vitest';
import { defaultDirectionCount, paperAggregate, ratioAggregate, rowRatioLambda } from '../src/lambda/estimators.js';
import { parseDirections } from '../src/lambda/direction-file.js';

/** Rows of log|dₙ| for n = 0..4 from raw derivatives d₁..d₄ (d₀ = 1). */
const rows = (...ds: number[][]) => ds.map((d) => Float64Array.from([1, ...d], (v) => Math.log(Math.abs(v))));
const orders = { from: 1, to: 4 };

describe('paper estimator', () => {
  it('averages log max(|dₙ|, 1e-12) over all rows, zeros included, and fits a line', () => {
    const r = rows([0.5, 0.25, 0.125, 0.0625], [2, 0, 1e-14, 8]);
    const e = paperAggregate(r, orders);
    const y = [(Math.log(0.5) + Math.log(2)) / 2, (Math.log(0.25) + Math.log(1e-12)) / 2, (Math.log(0.125) + Math.log(1e-12)) / 2, (Math.log(0.0625) + Math.log(8)) / 2];
    y.forEach((v, j) => expect(e.levels[j + 1]).toBeCloseTo(v, 12));
    expect(e.lambda).toBeCloseTo((-3 * y[0]! - y[1]! + y[2]! + 3 * y[3]!) / 10, 12);
  });
});

describe('flatgrad estimators', () => {
  it('skip rows with |d₁| < 1e-8 (flatgrad) or ≤ 1e-8 (Table 2), clamp ratios at 1e-10 or add 1e-12', () => {
    const exact = rows([1e-8, 1, 1, 1])[0]!;
    exact[1] = Math.log(1e-8); // |d₁| = 1e-8 exactly: flatgrad keeps it, Table 2 does not
    expect(rowRatioLambda(exact, orders, 'flatgrad')).not.toBeNull();
    expect(rowRatioLambda(exact, orders, 'flatgrad-pair')).toBeNull();
    const [tiny, zero] = rows([5e-9, 1, 1, 1], [0.1, 0, 0.3, 0.6]);
    expect(rowRatioLambda(tiny!, orders, 'flatgrad')).toBeNull();
    // d₂ = 0: ratio 0 → log 1e-10 (flatgrad) or log 1e-12 (Table 2); d₃/d₂ = 0.3/1e-12.
    const lf = rowRatioLambda(zero!, orders, 'flatgrad')!;
    expect(lf).toBeCloseTo((Math.log(1e-10) + Math.log(0.3 / 1e-12) + Math.log(0.6 / 0.3)) / 3, 9);
    const lp = rowRatioLambda(zero!, orders, 'flatgrad-pair')!;
    expect(lp).toBeCloseTo((Math.log(1e-12) + Math.log(0.3 / 1e-12 + 1e-12) + Math.log(0.6 / 0.3 + 1e-12)) / 3, 9);
    const all = ratioAggregate([tiny!, zero!, ...rows([1, 2, 4, 8])], orders, 'flatgrad')!;
    expect(all.keptRows).toBe(2);
    expect(all.rowLambdas[0]).toBeNull();
    expect(all.lambda).toBeCloseTo((lf + Math.log(2)) / 2, 9);
    expect(all.meanLogRatios.reduce((a, b) => a + b, 0) / 3).toBeCloseTo(all.lambda, 12);
    expect(ratioAggregate([tiny!], orders, 'flatgrad')).toBeNull();
  });

  it('default directions: 2 for paper (the notebooks\' K_dirs), 1 for the ratio estimators, 4 for rms', () => {
    expect([defaultDirectionCount('paper'), defaultDirectionCount('flatgrad'), defaultDirectionCount('flatgrad-pair'), defaultDirectionCount('rms')]).toEqual([2, 1, 1, 4]);
  });
});

describe('direction files', () => {
  it('reads [R][points][inputs] (flat or nested in the input shape) point-major, not normalized', () => {
    const spec = parseDirections(JSON.stringify([[[1, 2], [3, 4]], [[[5], [6]], [7, 8]]]), 2, 2);
    expect(spec.count).toBe(2);
    expect(Array.from(spec.directions)).toEqual([1, 2, 5, 6, 3, 4, 7, 8]);
  });
});
