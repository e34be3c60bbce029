// Hessian-vector products on the GPU for CNNs (conv2d, max-pool, flatten, BatchNorm in eval
// mode, dense, activations; src/curvature/parameter-line.ts) against the independent float64
// oracle of src/reference/parameter-line64.ts: the dense Hessian by polarization of order-2
// parameter jets, itself checked against second differences of the plain float64 loss. Tiny
// CNNs with seeds no other test uses, with and without BatchNorm, cross-entropy and squared
// error with real targets.
import { describe, expect, it } from 'vitest';
import { exactCurvature } from '../src/curvature/dense-hessian.js';
import { GpuHessian, type HessianLoss } from '../src/curvature/gpu-hessian.js';
import { DenseOperator } from '../src/curvature/operator.js';
import { symmetricEigen } from '../src/curvature/symmetric-eigen.js';
import { relativeError } from '../src/curvature/vector.js';
import { Model } from '../src/model/model.js';
import { parameterVector } from '../src/model/parameter-layout.js';
import type { ModelSpec } from '../src/model/spec.js';
import { ParameterLoss64, type LossTargets64 } from '../src/reference/parameter-line64.js';
import { Random } from '../src/util/random.js';
import { batchNormCnn, plainCnn } from './cases/tiny-models.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
// Generous: on a loaded 2-core machine a case took up to 7 min of wall clock (under a minute of CPU for the file).
const TIMEOUT = 900_000;

function problem(spec: ModelSpec, points: number, seed: number, loss: HessianLoss, realTargets = false) {
  const random = new Random(seed);
  const size = spec.input.reduce((a, b) => a * b, 1);
  // f32 values, as the GPU holds them.
  const inputs = Float64Array.from(random.normals(points * size), Math.fround);
  const labels = Uint32Array.from({ length: points }, () => random.int(3));
  const targets = realTargets ? Float64Array.from(random.normals(points * 3), Math.fround) : undefined;
  const reference: LossTargets64 = { loss, labels, ...(targets ? { targets } : {}) };
  return { inputs, labels, targets, random, oracle: new ParameterLoss64(spec, parameterVector(spec), inputs, reference) };
}

describe('the float64 oracle of CNN Hessians', () => {
  it('agrees with second differences of the plain float64 loss and is symmetric', () => {
    const spec = batchNormCnn(8123);
    const { oracle, random } = problem(spec, 4, 8124, 'xent');
    const n = oracle.size;
    // Entries by polarization alone (no dense matrix): D²(eᵢ + eⱼ) − D²eᵢ − D²eⱼ, halved.
    const d2 = (v: Float64Array) => 2 * oracle.series(v, 2)[2]!;
    const unit = (...at: number[]) => { const e = new Float64Array(n); for (const i of at) e[i]! += 1; return e; };
    const h = 1e-3;
    let scale = 0;
    const pairs = Array.from({ length: 6 }, () => [random.int(n), random.int(n)] as const);
    const entries = pairs.map(([i, j]) => {
      const polar = i === j ? d2(unit(i)) : 0.5 * (d2(unit(i, j)) - d2(unit(i)) - d2(unit(j)));
      const at = (si: number, sj: number) => { const s = new Float64Array(n); s[i]! += si * h; s[j]! += sj * h; return oracle.lossAt(s); };
      const second = (at(1, 1) - at(1, -1) - at(-1, 1) + at(-1, -1)) / (4 * h * h);
      scale = Math.max(scale, Math.abs(polar));
      return { polar, second };
    });
    // Central second differences with h = 1e-3: O(h²) ≈ 1e-6 truncation, rounding ~1e-16/h² ≈ 1e-10.
    for (const e of entries) expect(Math.abs(e.polar - e.second)).toBeLessThan(1e-5 * scale + 1e-8);
  }, TIMEOUT);
});

describe('Hessian-vector products of CNNs on the GPU', () => {
  const cases = [
    { name: 'a conv/tanh/max-pool/softplus CNN, cross-entropy', spec: () => plainCnn(9031), seed: 9032, loss: 'xent' as const, points: 6, targets: false },
    { name: 'a conv/BatchNorm/relu CNN with BatchNorm1d, cross-entropy', spec: () => batchNormCnn(9041), seed: 9042, loss: 'xent' as const, points: 5, targets: false },
    { name: 'a conv/BatchNorm CNN, squared error with real targets', spec: () => batchNormCnn(9051), seed: 9052, loss: 'mse' as const, points: 4, targets: true },
    { name: 'a conv/tanh/max-pool CNN, squared error with one-hot labels', spec: () => plainCnn(9061), seed: 9062, loss: 'mse' as const, points: 4, targets: false },
  ];
  for (const c of cases) {
    it(`match the float64 oracle on ${c.name}: H·v (batched), ∇L, L; exact trace and top eigenvalues`, async () => {
      const spec = c.spec();
      const { inputs, labels, targets, random, oracle } = problem(spec, c.points, c.seed, c.loss, c.targets);
      const model = new Model(engine(), spec);
      try {
        const gpu = await GpuHessian.of(model, inputs, { labels, targets }, c.loss);
        expect(gpu.size).toBe(oracle.size);
        const h = oracle.hessian();
        const vs = [0, 1, 2].map(() => Float64Array.from(random.normals(gpu.size), Math.fround));
        const passes = await gpu.passes(vs);
        const products = await new DenseOperator(oracle.size, h).apply(vs);
        const errors = passes.map((p, i) => relativeError(p.hv, products[i]!));
        const gradientError = relativeError(passes[0]!.gradient, oracle.gradient());
        console.log(`${c.name}: P = ${gpu.size}, ‖Hv − Hv₆₄‖/‖Hv₆₄‖ = ${errors.map((e) => e.toExponential(1)).join(', ')}; ∇L: ${gradientError.toExponential(1)}`);
        // f32 through a few layers: measured ≤ ~3e-7 (see the log line); 1e-5 of the norm is the stated bound.
        for (const e of errors) expect(e).toBeLessThan(1e-5);
        expect(gradientError).toBeLessThan(1e-5);
        const loss = oracle.series(new Float64Array(oracle.size), 0)[0]!;
        expect(Math.abs(passes[0]!.loss - loss)).toBeLessThan(1e-5 * Math.abs(loss));
        // Batched products are the products of one pass each.
        expect(Array.from((await gpu.pass(vs[1]!)).hv)).toEqual(Array.from(passes[1]!.hv));

        // `curvature --exact`'s machinery on the GPU operator against the oracle's spectrum.
        const exact = await exactCurvature(gpu, passes[0]!.gradient);
        const want = Array.from(symmetricEigen(h, oracle.size).values).sort((a, b) => b - a);
        const got = Array.from(exact.eigenvalues).sort((a, b) => b - a);
        const traceWant = want.reduce((s, x) => s + x, 0);
        const spread = Math.max(...want.map(Math.abs));
        expect(exact.asymmetry).toBeLessThan(1e-5);
        expect(Math.abs(exact.trace - traceWant)).toBeLessThan(1e-3 * Math.abs(traceWant));
        for (let k = 0; k < 3; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-3 * spread);
      } finally {
        model.destroy();
      }
    }, TIMEOUT);
  }

  it('give the float64 series of L(θ + t·v) along a parameter direction of a BatchNorm CNN (order 8)', async () => {
    const spec = batchNormCnn(9071);
    const { inputs, labels, random, oracle } = problem(spec, 4, 9072, 'xent');
    const model = new Model(engine(), spec);
    try {
      const gpu = await GpuHessian.of(model, inputs, labels);
      const v = Float64Array.from(random.unitVector(gpu.size), Math.fround);
      const got = await gpu.lossSeries(v, 8);
      const want = oracle.series(v, 8);
      for (let k = 0; k <= 8; k++) expect(Math.abs(got[k]! - want[k]!)).toBeLessThan(1e-4 * Math.abs(want[k]!) + 1e-6 * Math.abs(want[1]!));
    } finally {
      model.destroy();
    }
  }, TIMEOUT);

  it('refuse targets of the wrong shape with the sizes and the fix', async () => {
    const spec = plainCnn(9081);
    const model = new Model(engine(), spec);
    try {
      await expect(GpuHessian.of(model, new Float32Array(2 * 36), { targets: new Float32Array(5) }, 'mse'))
        .rejects.toThrow(/targets hold 5 values; 2 points of a model with 3 outputs need 6/);
      await expect(GpuHessian.of(model, new Float32Array(2 * 36), { targets: new Float32Array(6) }, 'xent')).rejects.toThrow(/cross-entropy needs class labels/);
    } finally {
      model.destroy();
    }
  }, TIMEOUT);
});
