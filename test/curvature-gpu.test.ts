// Hessian-vector products on the GPU (src/curvature/gpu-hessian.ts: reverse mode through an
// order-1 parameter jet) against the independent float64 R-operator of src/curvature/mlp64.ts,
// on MLPs with tanh, sigmoid and relu hidden layers the other tests never saw; the gradient
// of the same pass against the float64 gradient; the dense Hessian from P products is symmetric.
// CNNs and BatchNorm: test/curvature-cnn.test.ts.
import { describe, expect, it } from 'vitest';
import { denseHessian } from '../src/curvature/dense-hessian.js';
import { GpuHessian } from '../src/curvature/gpu-hessian.js';
import { lanczos } from '../src/curvature/lanczos.js';
import { mlpLoss } from '../src/curvature/mlp64.js';
import { CountingOperator } from '../src/curvature/operator.js';
import { makeMoons } from '../src/data/moons.js';
import { mlp } from '../src/train/architectures.js';
import { parameterLambda } from '../src/curvature/parameter-lambda.js';
import { dense64, jet64, tanh64, type Jet64 } from '../src/reference/jet64.js';
import { softmaxCrossEntropy64 } from '../src/reference/loss64.js';
import { Model } from '../src/model/model.js';
import { randomMlp } from '../src/model/random-mlp.js';
import type { ModelSpec } from '../src/model/spec.js';
import { tensor } from '../src/model/tensor.js';
import { Random } from '../src/util/random.js';
import { useEngine } from './gpu.js';
import { relativeError } from './cases/harness.js';

const engine = useEngine();

function problem(spec: ModelSpec, points: number, seed: number) {
  const random = new Random(seed);
  const size = spec.input.reduce((a, b) => a * b, 1);
  const inputs = Float32Array.from(random.normals(points * size));
  const last = spec.layers.at(-1);
  const classes = last?.type === 'dense' ? last.weight.shape[0]! : 2;
  const labels = Uint32Array.from({ length: points }, () => random.int(classes));
  return { inputs, labels, random };
}

/**
 * float64 logits of a dense/tanh MLP along t ↦ θ + t·v to order K: each dense layer
 * y_k = W·x_k + V·x_{k−1} (+ b, + v_b at k = 1), then the activation's series (dense64 with weights of order 1).
 */
function logitsAlong64(spec: ModelSpec, inputs: Float32Array, v: Float64Array, K: number): Jet64 {
  const size = spec.input[0]!;
  const rows = inputs.length / size;
  let h = jet64(rows, K, [size]);
  for (let r = 0; r < rows; r++) for (let i = 0; i < size; i++) h.data[r * (K + 1) * size + i] = inputs[r * size + i]!;
  let offset = 0;
  for (const layer of spec.layers) {
    if (layer.type === 'dense') {
      const [outs, ins] = layer.weight.shape as [number, number];
      const w = new Float64Array(2 * outs * ins);
      const b = new Float64Array(2 * outs);
      w.set(layer.weight.data);
      b.set(layer.bias.data);
      w.set(v.subarray(offset, offset + outs * ins), outs * ins);
      b.set(v.subarray(offset + outs * ins, offset + outs * ins + outs), outs);
      offset += outs * ins + outs;
      h = dense64(h, w, b, ins, outs, 1);
    } else if (layer.type === 'tanh') {
      h = tanh64(h);
    }
  }
  return h;
}

describe('Hessian-vector products on the GPU', () => {
  for (const activation of ['tanh', 'sigmoid', 'relu'] as const) {
    it(`match the float64 R-operator on a ${activation} MLP (H·v and ∇L from one pass)`, async () => {
      const spec = randomMlp([3, 7, 5, 3], { seed: 41, activation, gain: 1.3 });
      const { inputs, labels, random } = problem(spec, 24, 42);
      const model = new Model(engine(), spec);
      const gpu = await GpuHessian.of(model, inputs, labels);
      const ref = mlpLoss(spec, inputs, labels);
      for (let trial = 0; trial < 3; trial++) {
        const v = Float64Array.from(random.normals(gpu.size));
        const pass = await gpu.pass(v);
        const [want] = await ref.apply([v]);
        // f32 forward and backward through three layers and the loss: ~1e-6 relative, far below 1e-4.
        expect(relativeError(pass.hv, want!)).toBeLessThan(1e-4);
        expect(relativeError(pass.gradient, ref.gradient())).toBeLessThan(1e-5);
        expect(Math.abs(pass.loss - ref.loss())).toBeLessThan(1e-5 * ref.loss());
      }
      model.destroy();
    });
  }

  it('give a symmetric dense Hessian whose spectrum is the float64 one', async () => {
    const spec = randomMlp([2, 6, 2], { seed: 5, gain: 1.5 });
    const { inputs, labels } = problem(spec, 16, 6);
    const model = new Model(engine(), spec);
    const gpu = await GpuHessian.of(model, inputs, labels);
    const dense = await denseHessian(gpu);
    const want = await denseHessian(mlpLoss(spec, inputs, labels));
    expect(dense.asymmetry).toBeLessThan(1e-5);
    expect(relativeError(dense.matrix, want.matrix)).toBeLessThan(1e-4);
    model.destroy();
  });

  it('batched over several vectors give exactly the products of one pass each', async () => {
    const spec = randomMlp([2, 5, 3], { seed: 9, gain: 1.2 });
    const { inputs, labels, random } = problem(spec, 12, 10);
    const model = new Model(engine(), spec);
    const gpu = await GpuHessian.of(model, inputs, labels);
    const vs = [0, 1, 2].map(() => Float64Array.from(random.normals(gpu.size)));
    const batched = await gpu.apply(vs);
    for (let i = 0; i < vs.length; i++) expect(Array.from(batched[i]!)).toEqual(Array.from((await gpu.pass(vs[i]!)).hv));
    model.destroy();
  });

  it('drive Lanczos on the Two Moons MLP at an initialization with a ±λ extreme pair: both ends to 1e-3 of the float64 values in ≤ 30 products', async () => {
    // Xavier × 4.6, seed 3: λ_max ≈ 12.50 and λ_min ≈ −12.51 (test/curvature-mlp64.test.ts checks the pair).
    const base = mlp([2], 2, 3).spec;
    const spec: ModelSpec = { ...base, layers: base.layers.map((l) => (l.type === 'dense' ? { ...l, weight: tensor(l.weight.shape, l.weight.data.map((x) => 4.6 * x)) } : l)) };
    const moons = makeMoons(128, new Random(1), { noise: 0.2 });
    const reference = await lanczos(mlpLoss(spec, moons.x, moons.y), { seed: 103, tolerance: 1e-10, maxProducts: 200, bottom: 1 });
    const model = new Model(engine(), spec);
    try {
      const op = new CountingOperator(await GpuHessian.of(model, moons.x, moons.y));
      const r = await lanczos(op, { seed: 3, tolerance: 1e-3, bottom: 1 });
      expect(op.products).toBeLessThanOrEqual(30);
      expect(r.top[0]!.converged && r.bottom[0]!.converged).toBe(true);
      expect(Math.abs(r.top[0]!.value / reference.top[0]!.value - 1)).toBeLessThan(1e-3);
      expect(Math.abs(r.bottom[0]!.value / reference.bottom[0]!.value - 1)).toBeLessThan(1e-3);
    } finally {
      model.destroy();
    }
  });
});

describe('jets along parameter directions on the GPU', () => {
  it('give the float64 series of L(θ + t·v) (weights as order-1 jets) to order 60, with c₁ = ∇L·v and 2c₂ = vᵀHv', async () => {
    const spec = randomMlp([3, 6, 4, 3], { seed: 51, gain: 1.2 });
    const { inputs, labels, random } = problem(spec, 10, 52);
    const model = new Model(engine(), spec);
    const gpu = await GpuHessian.of(model, inputs, labels);
    const v = random.unitVector(gpu.size);
    const K = 60;
    const got = await gpu.lossSeries(v, K, 4);
    const h = logitsAlong64(spec, inputs, Float64Array.from(v, Math.fround), K);
    const loss = softmaxCrossEntropy64(h, labels);
    const want = new Float64Array(K + 1);
    for (let r = 0; r < 10; r++) for (let k = 0; k <= K; k++) want[k]! += loss.data[r * (K + 1) + k]! / 10;
    for (let k = 0; k <= K; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-4 * Math.abs(want[k]!) + 1e-9 * Math.abs(want[1]!));
    const ref = mlpLoss(spec, inputs, labels);
    const g = ref.gradient();
    const [hv] = await ref.apply([v]);
    expect(Math.abs(got[1]! - g.reduce((s, gi, i) => s + gi * v[i]!, 0))).toBeLessThan(1e-5 * Math.abs(got[1]!) + 1e-7);
    expect(Math.abs(2 * got[2]! - hv!.reduce((s, x, i) => s + x * v[i]!, 0))).toBeLessThan(1e-4 * Math.abs(2 * got[2]!));
    const lambda = await parameterLambda(gpu, { directions: 2, seed: 3 });
    expect(lambda.directions).toHaveLength(2);
    expect(lambda.raw.count).toBe(2);
    expect(lambda.taylor.count).toBeGreaterThanOrEqual(1);
    expect(Number.isFinite(lambda.taylor.mean)).toBe(true);
    model.destroy();
  });
});

describe('train --curvature-every', () => {
  it('adds the parameter-space figures of the training loss to metrics.jsonl on the epochs asked for', async () => {
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { train } = await import('../src/train/loop.js');
    const out = join(mkdtempSync(join(tmpdir(), 'jetcurve-curv-train-')), 'run');
    await train(engine(), { dataset: 'moons', model: 'mlp', width: 'small', reg: 'none', rho: 0.05, epochs: 2, batch: 128, lr: 0.01,
      labelNoise: 0, seed: 2, out, resume: false, lambdaPoints: 0, trainSize: 256, curvatureEvery: 2, curvaturePoints: 32 });
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { curvature?: Record<string, number> });
    expect(lines[0]!.curvature).toBeUndefined();
    const c = lines[1]!.curvature!;
    expect(c['points']).toBe(32);
    expect(c['trace']).toBeGreaterThan(0);
    expect(c['lambdaMax']).toBeGreaterThan(0);
    expect(typeof c['lambdaMaxConverged']).toBe('boolean');
    expect(Number.isFinite(c['scalarCurvature'])).toBe(true);
    expect(c['functionalRank']).toBeGreaterThan(0);
    expect(c['functionalRank']).toBeLessThanOrEqual(64);
  });
});

describe('Hessian-vector products of the squared error on the GPU', () => {
  it('give uᵀHw of (1/2N)·Σ‖f(x) − y‖² as the float64 polarization of order-2 parameter jets does', async () => {
    const spec = randomMlp([3, 6, 3], { seed: 71, gain: 1.3 });
    const { inputs, labels, random } = problem(spec, 12, 72);
    const model = new Model(engine(), spec);
    const gpu = await GpuHessian.of(model, inputs, labels, 'mse');
    // float64: c₂ of L(θ + t·v) with the weights as jets of order 1 (dense64), the activation's series, ½‖z − y‖².
    const c2 = (v: Float64Array): number => {
      const h = logitsAlong64(spec, inputs, v, 2);
      let s = 0;
      for (let r = 0; r < 12; r++) {
        for (let o = 0; o < 3; o++) {
          const d = [0, 1, 2].map((k) => h.data[(r * 3 + k) * 3 + o]! - (k === 0 && labels[r] === o ? 1 : 0));
          s += 0.5 * (2 * d[0]! * d[2]! + d[1]! * d[1]!);
        }
      }
      return s / 12;
    };
    for (let trial = 0; trial < 3; trial++) {
      const u = Float64Array.from(random.normals(gpu.size));
      const w = Float64Array.from(random.normals(gpu.size));
      const [hw] = await gpu.apply([w]);
      const got = u.reduce((s, x, i) => s + x * hw![i]!, 0);
      // vᵀHv = 2c₂ along v, so uᵀHw = (2c₂(u + w) − 2c₂(u − w))/4.
      const want = (2 * c2(u.map((x, i) => x + w[i]!)) - 2 * c2(u.map((x, i) => x - w[i]!))) / 4;
      expect(Math.abs(got - want)).toBeLessThan(1e-4 * (Math.abs(want) + 1e-3));
    }
    model.destroy();
  });
});
