// The Adam kernel against a float64 Adam written out here, over several steps on random data.
import { describe, expect, it } from 'vitest';
import { Adam, adamSettings, type AdamSettings } from '../kernels/adam.js';
import { Random } from '../src/util/random.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const ULP = 2 ** -24; // f32 unit roundoff

/** PyTorch's Adam/AdamW (single-tensor path) in float64, in place. */
function referenceStep(theta: Float64Array, grad: ArrayLike<number>, m: Float64Array, v: Float64Array, t: number, s: AdamSettings): void {
  const bc1 = 1 - s.beta1 ** t;
  const bc2 = 1 - s.beta2 ** t;
  for (let i = 0; i < theta.length; i++) {
    let g = grad[i]!;
    if (s.decay === 'l2') g += s.weightDecay * theta[i]!;
    else theta[i]! *= 1 - s.lr * s.weightDecay;
    m[i] = s.beta1 * m[i]! + (1 - s.beta1) * g;
    v[i] = s.beta2 * v[i]! + (1 - s.beta2) * g * g;
    theta[i]! -= (s.lr / bc1) * m[i]! / (Math.sqrt(v[i]! / bc2) + s.eps);
  }
}

/**
 * How far one f32 step may land from the float64 step taken from the same state. Each f32
 * operation rounds by ≤ 1 ulp of its result (WGSL allows 2.5 ulp for division and sqrt), and the
 * uniforms are f32-rounded; the errors are bounded by the magnitudes of the terms, not of the
 * results, since g + wd·θ and β1·m + (1 − β1)·g may cancel. Allowing 8 ulp of the terms for m and
 * v (about 4 roundings each) and 32 ulp of the update for the ~10 operations of the quotient
 * leaves about a factor 2 of margin.
 */
function stepTolerance(s: AdamSettings, t: number, gradAbs: number, theta0: number, m0: number, v0: number,
  theta: number, m: number, v: number): { theta: number; m: number; v: number } {
  const gAbs = gradAbs + (s.decay === 'l2' ? s.weightDecay * Math.abs(theta0) : 0);
  const tolM = 8 * ULP * (s.beta1 * Math.abs(m0) + (1 - s.beta1) * gAbs);
  const tolV = 8 * ULP * (s.beta2 * v0 + (1 - s.beta2) * gAbs * gAbs);
  const stepSize = s.lr / (1 - s.beta1 ** t);
  const den = Math.sqrt(v / (1 - s.beta2 ** t)) + s.eps;
  const update = stepSize * Math.abs(m) / den;
  // du = step_size·dm/den, and |du/u| ≤ ½·dv/v from the square root.
  const tolUpdate = stepSize * tolM / den + update * (0.5 * tolV / v + 32 * ULP);
  const decay = s.decay === 'decoupled' ? 2 * ULP * s.lr * s.weightDecay * Math.abs(theta0) : 0;
  // θ − u is rounded to f32 (≤ 2^-24·|θ|), and with decoupled decay θ − lr·wd·θ before it.
  const roundings = s.decay === 'decoupled' ? 2 : 1;
  return { theta: roundings * ULP * Math.abs(theta) + tolUpdate + decay, m: tolM, v: tolV };
}

// 1000 parameters: not a multiple of the workgroup size (64), and the pooled buffers hold 1024
// floats, so the bounds check is exercised too.
const COUNT = 1000;
const STEPS = 6;

describe('adam kernel (node)', () => {
  for (const decay of ['l2', 'decoupled'] as const) {
    it(`matches a float64 Adam over ${STEPS} steps (${decay} weight decay)`, async () => {
      const e = engine();
      const random = new Random(decay === 'l2' ? 11 : 12);
      const s = adamSettings({ lr: 1e-2, weightDecay: 0.05, decay });
      // Both sides start from the same f32 values.
      const start = Float32Array.from(random.normals(COUNT));
      const trajectory = Float64Array.from(start);
      const mTraj = new Float64Array(COUNT);
      const vTraj = new Float64Array(COUNT);
      const thetaGpu = e.upload(start);
      const adam = new Adam(e, COUNT, s);
      await e.checked(async () => {
        let theta = Float64Array.from(start);
        let m = new Float64Array(COUNT);
        let v = new Float64Array(COUNT);
        const drift = new Float64Array(COUNT);
        for (let t = 1; t <= STEPS; t++) {
          // Gradients over seven decades, so that eps (1e-8) matters for some and not for others.
          const grad = new Float32Array(COUNT);
          for (let i = 0; i < COUNT; i++) grad[i] = random.normal() * 10 ** (-(i % 7)) * (i % 5 === 0 ? 1e-2 : 1);
          const gradGpu = e.upload(grad);
          adam.step(thetaGpu, gradGpu);
          // One step isolated: the float64 step from the GPU's own previous state.
          const before = Float64Array.from(theta);
          const mBefore = Float64Array.from(m);
          const vBefore = Float64Array.from(v);
          referenceStep(theta, grad, m, v, t, s);
          referenceStep(trajectory, grad, mTraj, vTraj, t, s);
          const got = await e.read(thetaGpu, COUNT * 4);
          const state = await adam.state();
          e.pool.release(gradGpu);
          for (let i = 0; i < COUNT; i++) {
            const tol = stepTolerance(s, t, Math.abs(grad[i]!), before[i]!, mBefore[i]!, vBefore[i]!, theta[i]!, m[i]!, v[i]!);
            expect(Math.abs(state.m[i]! - m[i]!), `m[${i}] at step ${t}`).toBeLessThanOrEqual(tol.m);
            expect(Math.abs(state.v[i]! - v[i]!), `v[${i}] at step ${t}`).toBeLessThanOrEqual(tol.v);
            expect(Math.abs(got[i]! - theta[i]!), `θ[${i}] at step ${t}`).toBeLessThanOrEqual(tol.theta);
            drift[i]! += tol.theta;
          }
          theta = Float64Array.from(got);
          m = Float64Array.from(state.m);
          v = Float64Array.from(state.v);
        }
        // The whole run against the pure float64 run: an error in m or v persists into later
        // steps with weights β^k, so it can count up to 1/(1 − β1) = 10 times; θ itself enters
        // the update only through wd·θ. So 10 times the sum of the per-step bounds.
        const got = await e.read(thetaGpu, COUNT * 4);
        for (let i = 0; i < COUNT; i++) {
          expect(Math.abs(got[i]! - trajectory[i]!), `θ[${i}] after ${STEPS} steps`).toBeLessThanOrEqual(10 * drift[i]!);
        }
        expect((await adam.state()).steps).toBe(STEPS);
      });
      adam.release();
      e.pool.release(thetaGpu);
    });
  }

  it('restores a checkpointed state', async () => {
    const e = engine();
    const adam = new Adam(e, 3, { lr: 1e-3 });
    adam.restore({ m: Float32Array.of(1, 2, 3), v: Float32Array.of(4, 5, 6), steps: 7 });
    const state = await adam.state();
    expect(Array.from(state.m)).toEqual([1, 2, 3]);
    expect(Array.from(state.v)).toEqual([4, 5, 6]);
    expect(state.steps).toBe(7);
    expect(() => adam.restore({ m: new Float32Array(2), v: new Float32Array(3), steps: 1 })).toThrow(/does not fit/);
    adam.release();
  });

  it('rejects bad settings with a fix hint', () => {
    expect(() => adamSettings({ lr: -1 })).toThrow(/learning rate[^]*fix:/);
    expect(() => adamSettings({ lr: 1e-3, beta2: 1 })).toThrow(/beta2/);
  });
});
