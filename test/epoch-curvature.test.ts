// train --curvature-every beyond the MLP: the per-epoch curvature of src/train/epoch-curvature.ts on
// a tiny BatchNorm CNN against the float64 oracle of src/reference/parameter-line64.ts (exact
// Hessian, its spectrum, gradient and loss; BatchNorm in eval mode on both sides), and a one-epoch
// training run of the small MNIST CNN on 64 images that writes the figures to metrics.jsonl (its
// J_Z is too large for the host, so the functional rank is null there, and said so).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradientTerms, scalarCurvatureFrom } from '../src/curvature/scalar-curvature.js';
import { symmetricEigen } from '../src/curvature/symmetric-eigen.js';
import { Model } from '../src/model/model.js';
import { parameterVector } from '../src/model/parameter-layout.js';
import type { Layer, ModelSpec } from '../src/model/spec.js';
import { tensor } from '../src/model/tensor.js';
import { ParameterLoss64 } from '../src/reference/parameter-line64.js';
import { epochCurvature } from '../src/train/epoch-curvature.js';
import { train } from '../src/train/loop.js';
import type { EpochRecord } from '../src/train/run-folder.js';
import { Random } from '../src/util/random.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const TIMEOUT = 600_000;

/** 1×6×6 → conv 3×3 stride 2 padding 1 (2) → BatchNorm2d → tanh → flatten → dense 4 → BatchNorm1d → relu → dense 3 (seeds no other test uses). */
function tinyBatchNormCnn(seed: number): ModelSpec {
  const r = new Random(seed);
  const bn = (c: number): Layer => ({ type: 'batchnorm', weight: tensor([c], r.normals(c, 0.3).map((x) => 1 + x)), bias: tensor([c], r.normals(c, 0.3)),
    runningMean: tensor([c], r.normals(c, 0.3)), runningVar: tensor([c], Array.from({ length: c }, () => r.between(0.5, 2))), eps: 1e-5, momentum: 0.1 });
  return { input: [1, 6, 6], layers: [
    { type: 'conv2d', weight: tensor([2, 1, 3, 3], r.normals(18, 0.4)), bias: tensor([2], r.normals(2, 0.3)), stride: 2, padding: 1 }, bn(2), { type: 'tanh' }, { type: 'flatten' },
    { type: 'dense', weight: tensor([4, 18], r.normals(72, 0.3)), bias: tensor([4], r.normals(4, 0.3)) }, bn(4), { type: 'relu' },
    { type: 'dense', weight: tensor([3, 4], r.normals(12, 0.5)), bias: tensor([3], r.normals(3, 0.3)) }] };
}

describe('the per-epoch curvature of train --curvature-every on a BatchNorm CNN', () => {
  it('agrees with the float64 oracle: loss, ‖∇L‖, λ_max; trace and K within 4 standard errors; a functional rank', async () => {
    const spec = tinyBatchNormCnn(6151);
    const random = new Random(6152);
    const n = 6;
    const split = { n, inputs: Float32Array.from(random.normals(n * 36)), labels: Uint8Array.from({ length: n }, () => random.int(3)) };
    const oracle = new ParameterLoss64(spec, parameterVector(spec), Float64Array.from(split.inputs), { loss: 'xent', labels: Uint32Array.from(split.labels) });
    const model = new Model(engine(), spec);
    try {
      const c = await epochCurvature(model, split, n, 6153, { probes: 32 });
      const p = oracle.size;
      const h = oracle.hessian();
      const g = oracle.gradient();
      const eigen = Array.from(symmetricEigen(h, p).values).sort((a, b) => b - a);
      const trace = eigen.reduce((s, x) => s + x, 0);
      const hg = Float64Array.from({ length: p }, (_, i) => { let s = 0; for (let j = 0; j < p; j++) s += h[i * p + j]! * g[j]!; return s; });
      const k = scalarCurvatureFrom(trace, eigen.reduce((s, x) => s + x * x, 0), gradientTerms(g, hg));
      expect(c.points).toBe(n);
      expect(c.parameters).toBe(p);
      const loss = oracle.lossAt(new Float64Array(p));
      expect(Math.abs(c.loss - loss)).toBeLessThan(1e-5 * loss);
      expect(Math.abs(c.gradNorm - Math.hypot(...g))).toBeLessThan(1e-4 * Math.hypot(...g));
      expect(c.lambdaMaxConverged).toBe(true);
      expect(Math.abs(c.lambdaMax - eigen[0]!)).toBeLessThan(1e-3 * Math.abs(eigen[0]!));
      expect(Math.abs(c.trace - trace)).toBeLessThan(4 * c.traceStdErr);
      expect(Math.abs(c.scalarCurvature - k)).toBeLessThan(4 * c.scalarCurvatureStdErr);
      // J_Z has 6 points × 3 outputs = 18 rows: the rank is at most 18.
      expect(c.functionalRank).toBeGreaterThan(0);
      expect(c.functionalRank).toBeLessThanOrEqual(18);
      expect(c.jacobianLogCondition).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(c.parameterLambdaRaw)).toBe(true);
    } finally {
      model.destroy();
    }
  }, TIMEOUT);
});

describe('train --model cnn --curvature-every 1', () => {
  it('writes the curvature of the CNN\'s training loss to metrics.jsonl, with the functional rank null where J_Z is too large', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'jetcurve-cnn-curv-')), 'run');
    await train(engine(), { dataset: 'mnist', model: 'cnn', width: 'small', reg: 'none', rho: 0.05, epochs: 1, batch: 32, lr: 3e-3,
      labelNoise: 0, seed: 5, out, resume: false, lambdaPoints: 0, trainSize: 64, testSize: 64, curvatureEvery: 1, curvaturePoints: 4 });
    const [line] = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as EpochRecord);
    const saved = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { layers: { weight?: { shape: number[] }; bias?: { shape: number[] } }[] };
    const size = (s?: { shape: number[] }) => (s ? s.shape.reduce((a, b) => a * b, 1) : 0);
    const c = line!.curvature!;
    expect(c.points).toBe(4);
    expect(c.parameters).toBe(saved.layers.reduce((s, l) => s + size(l.weight) + size(l.bias), 0));
    expect(c.trace).toBeGreaterThan(0);
    expect(c.lambdaMax).toBeGreaterThan(0);
    expect(Number.isFinite(c.scalarCurvature)).toBe(true);
    expect(c.functionalRank).toBeNull();
    expect(c.jacobianLogCondition).toBeNull();
  }, TIMEOUT);
});
