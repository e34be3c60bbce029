// SAM's update on a tiny tanh MLP (2-3-2, five points) against the formula in float64 on the
// host: g = ∇L(w), e = ρ·s²·g/‖s·g‖ (s = 1, or |w| for ASAM), g' = ∇L(w + e), then Adam's first
// step with g' from w (not from w + e).
import { describe, expect, it } from 'vitest';
import { uploadLabels } from '../kernels/softmax-xent.js';
import { Jet } from '../src/jet/jet.js';
import type { ModelSpec } from '../src/model/spec.js';
import { tensor } from '../src/model/tensor.js';
import { Model } from '../src/model/model.js';
import { Trainer } from '../src/train/step.js';
import { Random } from '../src/util/random.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

const random = new Random(7);
const f32 = (n: number, s: number) => Float32Array.from({ length: n }, () => Math.fround(random.between(-s, s)));
const W1 = f32(6, 1.5), b1 = f32(3, 0.5), W2 = f32(6, 1.5), b2 = f32(2, 0.5);
const X = f32(10, 2);
const Y = [0, 1, 1, 0, 1];

/** Loss and gradient of the mean cross-entropy of the 2-3-2 tanh MLP, all in f64. w = [W1, b1, W2, b2]. */
function lossGrad(w: readonly Float64Array[]): { loss: number; grad: Float64Array[] } {
  const [w1, c1, w2, c2] = w as [Float64Array, Float64Array, Float64Array, Float64Array];
  const g = [new Float64Array(6), new Float64Array(3), new Float64Array(6), new Float64Array(2)] as const;
  const B = Y.length;
  let loss = 0;
  for (let b = 0; b < B; b++) {
    const x = [X[2 * b]!, X[2 * b + 1]!];
    const h = [0, 1, 2].map((j) => Math.tanh(w1[2 * j]! * x[0]! + w1[2 * j + 1]! * x[1]! + c1[j]!));
    const z = [0, 1].map((c) => w2[3 * c]! * h[0]! + w2[3 * c + 1]! * h[1]! + w2[3 * c + 2]! * h[2]! + c2[c]!);
    const m = Math.max(...z);
    const lse = m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0));
    loss += (lse - z[Y[b]!]!) / B;
    const dz = z.map((v, c) => (Math.exp(v - lse) - (c === Y[b] ? 1 : 0)) / B);
    const dh = [0, 1, 2].map((j) => dz[0]! * w2[j]! + dz[1]! * w2[3 + j]!);
    for (let c = 0; c < 2; c++) {
      g[3][c]! += dz[c]!;
      for (let j = 0; j < 3; j++) g[2][3 * c + j]! += dz[c]! * h[j]!;
    }
    for (let j = 0; j < 3; j++) {
      const da = dh[j]! * (1 - h[j]! ** 2);
      g[1][j]! += da;
      g[0][2 * j]! += da * x[0]!;
      g[0][2 * j + 1]! += da * x[1]!;
    }
  }
  return { loss, grad: [...g] };
}

function samReference(rho: number, adaptive: boolean, lr: number) {
  const w = [W1, b1, W2, b2].map((t) => Float64Array.from(t));
  const first = lossGrad(w);
  const s = (t: number, i: number) => (adaptive ? Math.abs(w[t]![i]!) : 1);
  let sq = 0;
  first.grad.forEach((g, t) => g.forEach((v, i) => { sq += (s(t, i) * v) ** 2; }));
  const norm = Math.sqrt(sq);
  const ascended = w.map((t, k) => t.map((v, i) => v + (rho * s(k, i) ** 2 * first.grad[k]![i]!) / norm));
  const second = lossGrad(ascended);
  // Adam's first step: m̂ = g', v̂ = g'² → θ − lr·g'/(|g'| + eps).
  const updated = w.map((t, k) => t.map((v, i) => v - (lr * second.grad[k]![i]!) / (Math.abs(second.grad[k]![i]!) + 1e-8)));
  return { first, norm, second, updated };
}

async function gpuSamStep(rho: number, adaptive: boolean, lr: number) {
  const spec: ModelSpec = {
    input: [2],
    layers: [
      { type: 'dense', weight: tensor([3, 2], W1), bias: tensor([3], b1) }, { type: 'tanh' },
      { type: 'dense', weight: tensor([2, 3], W2), bias: tensor([2], b2) },
    ],
  };
  const network = new Model(engine(), spec);
  const trainer = new Trainer(network, { lr }, { kind: 'sam', rho, adaptive });
  const input = Jet.fromArray(engine(), X, Y.length, 0, [2]);
  const labels = uploadLabels(engine(), Uint32Array.from(Y), 2);
  const value = await trainer.step({ input, labels });
  const grads = await Promise.all(network.parameters.map((p) => p.readGrad()));
  const params = await network.readParameters();
  const norm = await trainer.lastSamNorm();
  input.release();
  engine().pool.release(labels);
  trainer.release();
  network.release();
  return { value, grads, params, norm };
}

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('SAM step = formula in float64', () => {
  for (const adaptive of [false, true]) {
    it(adaptive ? 'ASAM (|w|-scaled)' : 'SAM', async () => {
      const rho = adaptive ? 1 : 0.5;
      const lr = 0.01;
      const ref = samReference(rho, adaptive, lr);
      const gpu = await gpuSamStep(rho, adaptive, lr);
      expect(gpu.value.loss).toBeCloseTo(ref.first.loss, 5);
      expect(gpu.norm).toBeCloseTo(ref.norm, 5);
      const scale = Math.max(...ref.second.grad.map(maxAbs));
      ref.second.grad.forEach((g, t) => {
        // The gradient Adam used is the one at w + e ...
        for (let i = 0; i < g.length; i++) expect(Math.abs(gpu.grads[t]![i]! - g[i]!)).toBeLessThan(2e-5 * scale);
      });
      // ... which differs from the plain gradient by far more than the tolerance,
      const shift = Math.max(...ref.second.grad.map((g, t) => maxAbs(g.map((v, i) => v - ref.first.grad[t]![i]!))));
      expect(shift).toBeGreaterThan(100 * 2e-5 * scale);
      // and the update starts from w, not from w + e.
      ref.updated.forEach((w, t) => {
        for (let i = 0; i < w.length; i++) expect(Math.abs(gpu.params[t]![i]! - w[i]!)).toBeLessThan(1e-6 + 1e-3 * lr);
      });
    });
  }
});
