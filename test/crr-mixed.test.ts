// CRR with a fresh direction per order (src/train/crr-mixed.ts): the polarization of pure jets
// into mixed derivatives, checked in float64 against nested central differences of the loss,
// and the step's objective (loss counted once per sample, mean or sum over orders).
import { describe, expect, it } from 'vitest';
import { crossEntropyValue, softmaxCrossEntropy64 } from '../src/reference/loss64.js';
import { forward64, referenceJets } from '../src/reference/model64.js';
import { jet64 } from '../src/reference/jet64.js';
import { randomMlp } from '../src/model/random-mlp.js';
import { mixedInput, mixedObjective, polarRows } from '../src/train/crr-mixed.js';
import type { CrrSettings } from '../src/train/crr.js';
import { Random } from '../src/util/random.js';

const spec = randomMlp([2, 6, 6, 2], { seed: 11, gain: 1.5 });

/** The f64 loss of the model at x with label y. */
function loss(x: readonly number[], y: number): number {
  const z = forward64(spec, jet64(1, 0, [2], Float64Array.from(x))).data;
  return crossEntropyValue(z, y);
}

/** Dⁿ L[u₁…uₙ] by nested central differences (step h per direction), n ≤ 3. */
function mixedByDifferences(x: readonly number[], y: number, us: readonly Float64Array[], h: number): number {
  const at = (ts: readonly number[]) => loss(x.map((v, j) => v + ts.reduce((s, t, m) => s + t * us[m]![j]!, 0)), y);
  const n = us.length;
  let sum = 0;
  for (let mask = 0; mask < 2 ** n; mask++) {
    const ts = Array.from({ length: n }, (_, m) => ((mask >> m) & 1 ? -h : h));
    sum += ts.reduce((s, t) => s * Math.sign(t), 1) * at(ts);
  }
  return sum / (2 * h) ** n;
}

describe('CRR with a fresh direction per order', () => {
  it('has 2ⁿ⁻¹ polarization rows per order, signs multiplying to the row sign', () => {
    const rows = polarRows([1, 2, 3]);
    expect(rows.map((r) => r.order)).toEqual([1, 2, 2, 3, 3, 3, 3]);
    expect(rows.filter((r) => r.order === 3).map((r) => r.sign)).toEqual([1, -1, -1, 1]);
    rows.forEach((r) => expect(r.signs.reduce((a, b) => a * b, 1)).toBe(r.sign));
  });

  it('turns pure jets into the mixed derivatives D²L[u₁,u₂] and D³L[u₁,u₂,u₃] (float64, vs nested differences)', () => {
    const x = [0.3, -0.7];
    const y = 1;
    for (const n of [2, 3]) {
      const settings: CrrSettings = { scale: 1, orders: [n], directions: 1 };
      const made = mixedInput(Float32Array.from(x), Uint32Array.of(y), 2, settings, new Random(20 + n));
      // The directions the rows were built from: u₁ ± u₂ (± u₃) decode back to them.
      const rows = made.rows;
      const points = new Float64Array(rows * 2);
      const dirs = new Float64Array(rows * 2);
      for (let r = 0; r < rows; r++) {
        points.set(made.data.subarray(r * 4, r * 4 + 2), r * 2);
        dirs.set(made.data.subarray(r * 4 + 2, r * 4 + 4), r * 2);
      }
      const jets = softmaxCrossEntropy64(referenceJets(spec, points, dirs, n), Uint32Array.from(made.labels));
      const value = mixedObjective(jets.data, 1, settings);
      // Recover u₁…uₙ from the rows: row 0 is u₁+u₂(+u₃), row 2^{n−2} flips the sign of u₂ only, ...
      const random = new Random(20 + n);
      const us = Array.from({ length: n }, () => random.unitVector(2)).map((u) => Float64Array.from(u, (v) => v));
      const fd = mixedByDifferences(x, y, us, 2e-3);
      // The rows hold f32 directions: relative agreement to ~1e-6, far below the differences' h² error.
      expect(Math.abs(value.penalty - Math.abs(fd))).toBeLessThan(2e-4 * Math.abs(fd) + 1e-9);
      expect(Math.abs(fd)).toBeGreaterThan(1e-3);
    }
  });

  it('counts each sample\'s loss once and averages the orders under reduction mean', () => {
    const settings: CrrSettings = { scale: 2, orders: [1, 2], directions: 1, reduction: 'mean' };
    const polar = polarRows(settings.orders).length;
    const rows = 2 * polar + 1;
    const K = 2;
    const c = new Float64Array(rows * (K + 1));
    // Sample 0: loss 1, D¹ = c₁ = 0.5, D² = (c₂⁺ − c₂⁻)/2 = (0.3 − (−0.1))/2 = 0.2.
    for (let r = 0; r < polar; r++) c[r * 3] = 1;
    c[0 * 3 + 1] = 0.5;
    c[1 * 3 + 2] = 0.3;
    c[2 * 3 + 2] = -0.1;
    // Sample 1: loss 2, all derivatives 0; sample 2 (not penalized): loss 4.
    for (let r = polar; r < 2 * polar; r++) c[r * 3] = 2;
    c[2 * polar * 3] = 4;
    const v = mixedObjective(c, 3, settings, 2);
    expect(v.loss).toBeCloseTo((1 + 2 + 4) / 3, 12);
    expect(v.penalty).toBeCloseTo(2 * ((0.5 + 0.2) / 2) / 2, 12);
    // d penalty / d c₂ of the ε = −1 row: scale·(1/2 orders)·(1/2 samples)·sign(D²)·(−1)/2.
    expect(v.seed[2 * 3 + 2]).toBeCloseTo(-2 * 0.5 * 0.5 * 0.5, 7);
  });
});
