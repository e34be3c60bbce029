// The per-row scaling of evaluateJets: series whose coefficients leave f32's range at order 60
// come back right, and the scaling itself changes no digit where nothing over- or underflows.
import { describe, expect, it } from 'vitest';
import { dense } from '../kernels/dense.js';
import { tanh } from '../kernels/tanh.js';
import { evaluateJets, type JetProgram } from '../src/jet/evaluate-jets.js';
import { tanhSeries } from '../src/reference/jet64.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

/** t ↦ tanh(a·(x + t·v)): radius π/(2|a·v|), so |c_n| ~ (2|a·v|/π)ⁿ. */
function steepTanh(a: number): JetProgram {
  return (x) => {
    const e = engine();
    const weights = { weight: e.upload(new Float32Array([a])), bias: e.upload(new Float32Array([0])), inputs: 1, outputs: 1, order: 0 };
    const pre = dense(x, weights);
    const y = tanh(pre);
    pre.release();
    e.pool.release(weights.weight);
    e.pool.release(weights.bias);
    return y;
  };
}

function reference(a: number, x0: number, v: number, order: number): Float64Array {
  const s = new Float64Array(order + 1);
  s[0] = Math.fround(a) * Math.fround(x0);
  if (order >= 1) s[1] = Math.fround(a) * Math.fround(v);
  return tanhSeries(s);
}

function relativeErrors(got: Float64Array, want: Float64Array): number[] {
  return Array.from(want, (w, k) => (w === 0 ? Math.abs(got[k]!) : Math.abs(got[k]! - w) / Math.abs(w)));
}

describe('evaluateJets scaling', () => {
  it('recovers order-60 coefficients of size 1e160, far beyond f32, within the accuracy budget', async () => {
    // c_60 of tanh(1000·x) at 0.2 is ~ (2000/π)^60 ≈ 1e168: only the scaled pass keeps it in range.
    const a = 1000;
    const r = await evaluateJets(engine(), steepTanh(a), { points: [0.0002], directions: [1], inputShape: [1], order: 60 });
    expect(r.converged).toBe(true);
    expect(r.passes).toBeGreaterThan(1);
    expect(r.scales[0]).toBeLessThan(1);
    const want = reference(a, 0.0002, 1, 60);
    expect(Math.abs(want[60]!)).toBeGreaterThan(1e150);
    // The engine's accuracy budget: 1e-4 relative up to order 8, 1e-2 up to 60 (f32 recurrences of depth n).
    const errors = relativeErrors(r.coefficients, want);
    console.log(`tanh(1000x) at 0.2: worst relative error orders 0-8 ${Math.max(...errors.slice(0, 9)).toExponential(2)}, 9-60 ${Math.max(...errors.slice(9)).toExponential(2)}`);
    expect(Math.max(...errors.slice(0, 9))).toBeLessThan(1e-4);
    expect(Math.max(...errors.slice(9))).toBeLessThan(1e-2);
  });

  it('a fixed scale of 1 reports the rows it could not represent instead of returning garbage', async () => {
    const r = await evaluateJets(engine(), steepTanh(1000), { points: [0.0002], directions: [1], inputShape: [1], order: 60, scale: 1 });
    expect(r.converged).toBe(false);
    expect(r.badRows).toEqual([0]);
  });

  it('scaling by powers of two changes no digit where the range suffices', async () => {
    const request = { points: [0.3, -0.7], directions: [1, 0.5], inputShape: [1], order: 16 };
    const a = await evaluateJets(engine(), steepTanh(1.5), { ...request, scale: 1 });
    const b = await evaluateJets(engine(), steepTanh(1.5), { ...request, scale: 8 });
    expect(Array.from(b.coefficients)).toEqual(Array.from(a.coefficients));
    const c = await evaluateJets(engine(), steepTanh(1.5), request);
    expect(c.passes).toBe(1);
  });

  it('rejects bad requests with errors that name the problem', async () => {
    const program = steepTanh(1);
    await expect(evaluateJets(engine(), program, { points: [0.1], directions: [1], inputShape: [1], order: 61 })).rejects.toThrow(/order 61 is outside 0..60/);
    await expect(evaluateJets(engine(), program, { points: [NaN], directions: [1], inputShape: [1], order: 2 })).rejects.toThrow(/points holds a non-finite value/);
    await expect(evaluateJets(engine(), program, { points: [0.1, 0.2], directions: [1], inputShape: [1], order: 2 })).rejects.toThrow(/1 directions for 2 points/);
    await expect(evaluateJets(engine(), program, { points: [0.1, 0.2, 0.3], directions: [1, 1, 1], inputShape: [2], order: 2 })).rejects.toThrow(/not a whole number of inputs of size 2/);
  });
});
