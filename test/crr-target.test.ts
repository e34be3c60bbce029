// The CRR objective's reduction over orders (mean: the notebooks; sum: the library) and the
// library's target-λ regularizer: values by hand, and every coefficient's gradient (`seed`)
// against central differences of the function itself, in f64 on the host.
import { describe, expect, it } from 'vitest';
import { CRR_DEFAULTS, crrObjective, targetLambdaObjective, type CrrSettings, type TargetLambdaSettings } from '../src/train/crr.js';
import { Random } from '../src/util/random.js';

/** Central differences of f at every coordinate of c (steps relative to the coefficient, so neither its sign nor a clamp flips). */
function numericGradient(f: (c: Float64Array) => number, c: Float64Array): Float64Array {
  return Float64Array.from(c, (v, i) => {
    const h = 1e-6 * Math.abs(v) || 1e-9;
    const at = (x: number) => { const d = Float64Array.from(c); d[i] = x; return f(d); };
    return (at(v + h) - at(v - h)) / (2 * h);
  });
}

function expectGradient(seed: Float32Array, numeric: Float64Array): void {
  const scale = numeric.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
  // seed is f32 (relative 6e-8); the difference quotient's truncation and round-off stay below 1e-7 of the largest entry here.
  for (let i = 0; i < seed.length; i++) expect(Math.abs(seed[i]! - numeric[i]!)).toBeLessThan(1e-6 * scale);
}

const factorial = (n: number): number => (n <= 1 ? 1 : n * factorial(n - 1));

describe('CRR reduction over orders', () => {
  // 2 samples × 2 directions, orders 1..2: rows [c0, c1, c2] (the hand example of crr.test.ts).
  const c = [0.5, 0.1, -0.2, 0.5, -0.3, 0.05, 1.5, 0.0, 0.4, 1.5, 0.2, -0.1];
  const sum = 0.1 * ((0.1 + 0.4) + (0.3 + 0.1) + (0 + 0.8) + (0.2 + 0.2)) / 4;

  it('mean = sum / number of orders; no reduction given = sum (as before the option)', () => {
    const base: CrrSettings = { scale: 0.1, orders: [1, 2], directions: 2 };
    expect(crrObjective(c, 2, base).penalty).toBeCloseTo(sum, 12);
    expect(crrObjective(c, 2, { ...base, reduction: 'sum' }).penalty).toBeCloseTo(sum, 12);
    const mean = crrObjective(c, 2, { ...base, reduction: 'mean' });
    expect(mean.penalty).toBeCloseTo(sum / 2, 12);
    expect(mean.loss).toBeCloseTo(1, 12);
    expect(mean.seed[2]).toBeCloseTo(-0.1 * 2 / 4 / 2, 7);
    expect(CRR_DEFAULTS.reduction).toBe('mean');
  });

  it('its gradient matches central differences (mean over orders 2-4, a subset of the batch)', () => {
    const r = new Random(21);
    const K = 4;
    const settings: CrrSettings = { scale: 0.3, orders: [2, 3, 4], directions: 3, reduction: 'mean' };
    const batch = 5;
    const penalized = 3;
    const rows = penalized * 3 + (batch - penalized);
    const coefficients = r.normals(rows * (K + 1));
    const f = (x: Float64Array) => { const v = crrObjective(x, batch, settings, penalized); return v.loss + v.penalty; };
    expectGradient(crrObjective(coefficients, batch, settings, penalized).seed, numericGradient(f, coefficients));
  });
});

/** λ̂ as the library writes it, from the absolute raw derivatives of each penalized row (written out here, not reused). */
function libraryLambda(c: ArrayLike<number>, rows: number, K: number, orders: readonly number[]): number {
  let total = 0;
  for (let row = 0; row < rows; row++) {
    const a = orders.map((n) => factorial(n) * Math.abs(c[row * (K + 1) + n]!));
    let s = 0;
    for (let j = 0; j + 1 < a.length; j++) s += Math.log(Math.max((a[j + 1]! + 1e-12) / (a[j]! + 1e-12), 1e-10));
    total += s / (a.length - 1);
  }
  return total / rows;
}

describe('target-λ regularizer', () => {
  it('is scale·(λ̂ − λ*)² with λ̂ the mean log ratio of the library, and the loss the mean of c₀', () => {
    const r = new Random(5);
    const K = 4;
    const rows = 6;
    const c = r.normals(rows * (K + 1));
    const settings: TargetLambdaSettings = { target: -1.5, scale: 0.7, orders: [1, 2, 3, 4] };
    const v = targetLambdaObjective(c, rows, K, settings);
    const lambda = libraryLambda(c, rows, K, [1, 2, 3, 4]);
    expect(v.lambda).toBeCloseTo(lambda, 12);
    expect(v.penalty).toBeCloseTo(0.7 * (lambda + 1.5) ** 2, 12);
    expect(v.loss).toBeCloseTo(Array.from({ length: rows }, (_, i) => c[i * (K + 1)]!).reduce((a, b) => a + b, 0) / rows, 12);
  });

  it('its gradient matches central differences: all rows, and a subset with 2 directions, orders 2-4 of a higher jet', () => {
    const r = new Random(8);
    for (const [K, rows, settings] of [
      [4, 5, { target: 0.4, scale: 2, orders: [1, 2, 3, 4] }],
      [6, 2 * 3 + 2, { target: -2, scale: 0.5, orders: [2, 3, 4], directions: 2, penalized: 3 }],
    ] as const) {
      const c = r.normals(rows * (K + 1));
      const f = (x: Float64Array) => { const v = targetLambdaObjective(x, rows, K, settings); return v.loss + v.penalty; };
      const v = targetLambdaObjective(c, rows, K, settings);
      expect(v.penalty).toBeGreaterThan(0);
      expectGradient(v.seed, numericGradient(f, c));
    }
  });

  it('has no gradient through a clamped ratio, and none through a row outside the penalized ones', () => {
    const K = 2;
    // Row 0: a₂/a₁ = 2e-13/0.5 is below 1e-10 (clamped); row 1: an ordinary ratio; row 2: loss only.
    const c = Float64Array.of(0.3, 0.5, 1e-13, 0.2, 0.4, 0.3, 0.9, 0.7, 0.6);
    const settings: TargetLambdaSettings = { target: 0, scale: 1, orders: [1, 2], penalized: 2 };
    const v = targetLambdaObjective(c, 3, K, settings);
    expect(v.lambda).toBeCloseTo((Math.log(1e-10) + Math.log((2 * 0.3 + 1e-12) / (0.4 + 1e-12))) / 2, 12);
    expect(v.seed[1]).toBe(0);
    expect(v.seed[2]).toBe(0);
    expect(v.seed[7]).toBe(0);
    expect(v.seed[8]).toBe(0);
    expect(v.seed[6]).toBeCloseTo(1 / 3, 7);
    const f = (x: Float64Array) => { const w = targetLambdaObjective(x, 3, K, settings); return w.loss + w.penalty; };
    expectGradient(v.seed, numericGradient(f, c));
  });

  it('rejects orders that are not increasing within the jet', () => {
    expect(() => targetLambdaObjective(new Float64Array(10), 2, 4, { target: 0, scale: 1, orders: [3] })).toThrow(/at least two increasing/);
    expect(() => targetLambdaObjective(new Float64Array(10), 2, 4, { target: 0, scale: 1, orders: [2, 5] })).toThrow(/within 1\.\.4/);
  });
});
