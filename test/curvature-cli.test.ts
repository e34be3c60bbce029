// `jetcurve curvature` as a user runs it, on small MLPs the other tests never saw: --exact agrees
// with the dense float64 Hessian of the independent R-operator (trace, tr(H²) and the top
// eigenvalues to 1e-3 relative, K to 1e-2), the functional rank is the float64 one, the
// stochastic estimates land within 4 of their own standard errors of the exact values, an
// .onnx file gives the same figures as its model file, and bad input exits 2 with a fix. A small
// CNN with BatchNorm and the data file's real targets (--loss mse) against the float64 oracle of
// src/reference/parameter-line64.ts.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactCurvature } from '../src/curvature/dense-hessian.js';
import { batchFunctionalRank } from '../src/curvature/functional-dimension.js';
import { mlpLoss } from '../src/curvature/mlp64.js';
import { DenseOperator } from '../src/curvature/operator.js';
import { parameterVector } from '../src/model/parameter-layout.js';
import type { ModelSpec } from '../src/model/spec.js';
import { tensor } from '../src/model/tensor.js';
import { logitsAlongLine64, ParameterLoss64 } from '../src/reference/parameter-line64.js';
import { DATA_FORMAT } from '../src/data/file.js';
import { stringifyModel } from '../src/model/io.js';
import { randomMlp } from '../src/model/random-mlp.js';
import { Random } from '../src/util/random.js';
import { buildCli, cliIn } from './cli-run.js';

const dir = mkdtempSync(join(tmpdir(), 'jetcurve-curvature-'));
const cli = cliIn(dir);
// The CNN's --exact run on a loaded machine: more than the default 200 s.
const slowCli = cliIn(dir, 900_000);
const spec = randomMlp([2, 6, 5, 3], { seed: 61, gain: 1.4 });
/** A ReLU MLP with more outputs than its rescaling symmetries leave room for: 2-4-3-9, P = 63, 7 hidden units. */
const reluSpec = randomMlp([2, 4, 3, 9], { seed: 64, gain: 1.4, activation: 'relu' });
const random = new Random(62);
const points = 20;
const inputs = Array.from({ length: points }, () => [random.normal(), random.normal()].map(Math.fround));
const labels = Array.from({ length: points }, () => random.int(3));

interface Figures { parameters: number; trace: number; traceStdErr?: number; traceOfSquare: number; traceOfSquareStdErr?: number;
  eigenvalues: number[]; scalarCurvature: number; scalarCurvatureStdErr?: number; functionalRank: { rank: number } }

const run = async (...args: string[]): Promise<Figures> => {
  const r = await cli('curvature', '--data', 'd.json', '--lambda-directions', '1', '--json', ...args);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as Figures;
};

/** 1×5×5 → conv 3×3 (2) → BatchNorm2d → tanh → flatten → dense 2: 62 parameters. */
const cnnRandom = new Random(6301);
const cnn: ModelSpec = {
  input: [1, 5, 5],
  layers: [
    { type: 'conv2d', weight: tensor([2, 1, 3, 3], cnnRandom.normals(18, 0.4)), bias: tensor([2], cnnRandom.normals(2, 0.3)), stride: 1, padding: 0 },
    { type: 'batchnorm', weight: tensor([2], [1.1, 0.8]), bias: tensor([2], [0.1, -0.2]), runningMean: tensor([2], [0.05, -0.1]), runningVar: tensor([2], [0.7, 1.3]), eps: 1e-5, momentum: 0.1 },
    { type: 'tanh' }, { type: 'flatten' },
    { type: 'dense', weight: tensor([2, 18], cnnRandom.normals(36, 0.3)), bias: tensor([2], cnnRandom.normals(2, 0.3)) },
  ],
};
const cnnInputs = Array.from({ length: 5 }, () => Array.from(cnnRandom.normals(25), Math.fround));
const cnnTargets = Array.from({ length: 5 }, () => Array.from(cnnRandom.normals(2), Math.fround));

beforeAll(async () => {
  await buildCli();
  writeFileSync(join(dir, 'cnn.json'), stringifyModel(cnn));
  writeFileSync(join(dir, 'cnn-data.json'), JSON.stringify({ format: DATA_FORMAT, inputShape: [1, 5, 5], inputs: cnnInputs, targets: cnnTargets }));
  writeFileSync(join(dir, 'cnn-bad.json'), JSON.stringify({ format: DATA_FORMAT, inputShape: [1, 5, 5], inputs: cnnInputs, targets: cnnTargets.map((t) => [...t, 0]) }));
  writeFileSync(join(dir, 'm.json'), stringifyModel(spec));
  writeFileSync(join(dir, 'relu.json'), stringifyModel(reluSpec));
  writeFileSync(join(dir, 'd.json'), JSON.stringify({ format: DATA_FORMAT, inputShape: [2], inputs, labels }));
  expect((await cli('export', 'm.json', '--out', 'm.onnx')).code).toBe(0);
}, 300_000);

describe('jetcurve curvature', () => {
  it('--exact agrees with the float64 Hessian; the rank is the float64 rank; an .onnx file gives the same', async () => {
    const ref = mlpLoss(spec, inputs.flat(), labels);
    const exact = await exactCurvature(ref, ref.gradient());
    const want = Array.from(exact.eigenvalues).sort((a, b) => b - a);
    const rank = batchFunctionalRank(ref.jacobian(), points * 3, ref.size).rank;
    for (const model of ['m.json', 'm.onnx']) {
      const got = await run('--model', model, '--exact', '--top', '3');
      expect(got.parameters).toBe(ref.size);
      expect(Math.abs(got.trace - exact.trace)).toBeLessThan(1e-3 * Math.abs(exact.trace));
      expect(Math.abs(got.traceOfSquare - exact.traceOfSquare)).toBeLessThan(1e-3 * exact.traceOfSquare);
      got.eigenvalues.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-3 * Math.abs(want[0]!)));
      expect(Math.abs(got.scalarCurvature - exact.scalarCurvature!)).toBeLessThan(1e-2 * Math.abs(exact.scalarCurvature!));
      expect(got.functionalRank.rank).toBe(rank);
    }
  });

  it('the estimates land within 4 of their own standard errors of the exact values', async () => {
    const ref = mlpLoss(spec, inputs.flat(), labels);
    const exact = await exactCurvature(ref, ref.gradient());
    const got = await run('--model', 'm.json', '--probes', '60', '--seed', '3');
    expect(Math.abs(got.trace - exact.trace)).toBeLessThan(4 * got.traceStdErr!);
    expect(Math.abs(got.traceOfSquare - exact.traceOfSquare)).toBeLessThan(4 * got.traceOfSquareStdErr!);
    expect(Math.abs(got.scalarCurvature - exact.scalarCurvature!)).toBeLessThan(4 * got.scalarCurvatureStdErr!);
  });

  it('--rank-plot draws J_Z\'s singular values; a ReLU MLP gets the bound P − hidden units, which its float64 rank respects', async () => {
    const got = await run('--model', 'relu.json', '--top', '1', '--probes', '4', '--rank-plot', 'sv.svg') as Figures & { functionalRank: { rank: number; reluBound: number; parameters: number } };
    const ref = mlpLoss(reluSpec, inputs.flat(), labels);
    const want = batchFunctionalRank(ref.jacobian(), points * 9, ref.size).rank;
    expect(got.functionalRank.parameters).toBe(63);
    expect(got.functionalRank.reluBound).toBe(63 - 7);
    expect(got.functionalRank.rank).toBe(want);
    expect(want).toBeLessThanOrEqual(63 - 7);
    const svg = readFileSync(join(dir, 'sv.svg'), 'utf8');
    expect(svg).toContain(`batch functional rank ${want} of 63`); // of min(rows, P) singular values
    expect(svg).toContain('ReLU bound P − hidden units 56');
    // A tanh MLP has no such bound: the key is absent.
    expect((await run('--model', 'm.json', '--top', '1', '--probes', '4')).functionalRank).not.toHaveProperty('reluBound');
  });

  it('refuses what it cannot do with the problem and the fix, exit 2', async () => {
    const bad = await cli('curvature', '--model', 'm.json', '--data', 'd.json', '--loss', 'hinge');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--loss hinge is not a loss jetcurve has\n\s*fix: /);
    expect(bad.stderr).not.toMatch(/at .*\.js/);
    const top = await cli('curvature', '--model', 'm.json', '--data', 'd.json', '--top', '0');
    expect(top.code).toBe(2);
    expect(top.stderr).toMatch(/--top 0 is not an integer ≥ 1/);
    const plot = await cli('curvature', '--model', 'm.json', '--data', 'd.json', '--rank', '0', '--rank-plot', 'x.svg');
    expect(plot.code).toBe(2);
    expect(plot.stderr).toMatch(/--rank-plot needs the functional rank, and --rank is 0\n\s*fix: /);
  });
});

describe('jetcurve curvature on a CNN', () => {
  it('--exact --loss mse with the data file\'s targets agrees with the float64 oracle; the rank is the float64 rank', async () => {
    const oracle = new ParameterLoss64(cnn, parameterVector(cnn), cnnInputs.flat(), { loss: 'mse', targets: cnnTargets.flat() });
    const exact = await exactCurvature(new DenseOperator(oracle.size, oracle.hessian()), oracle.gradient());
    const want = Array.from(exact.eigenvalues).sort((a, b) => b - a);
    const r = await slowCli('curvature', '--model', 'cnn.json', '--data', 'cnn-data.json', '--loss', 'mse', '--exact', '--top', '2', '--lambda-directions', '0', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const got = JSON.parse(r.stdout) as Figures & { loss: number };
    expect(got.parameters).toBe(62);
    expect(Math.abs(got.loss - oracle.series(new Float64Array(62), 0)[0]!)).toBeLessThan(1e-5 * got.loss);
    expect(Math.abs(got.trace - exact.trace)).toBeLessThan(1e-3 * Math.abs(exact.trace));
    expect(Math.abs(got.traceOfSquare - exact.traceOfSquare)).toBeLessThan(1e-3 * exact.traceOfSquare);
    got.eigenvalues.forEach((v, i) => expect(Math.abs(v - want[i]!)).toBeLessThan(1e-3 * Math.abs(want[0]!)));
    // J_Z independently of the parameter lines: central differences of the plain float64 logits (order 0).
    const theta = parameterVector(cnn);
    const fd = new Float64Array(10 * 62);
    const h = 1e-4;
    for (let j = 0; j < 62; j++) {
      const at = (s: number) => logitsAlongLine64(cnn, theta.map((x, i) => (i === j ? x + s * h : x)), new Float64Array(62), cnnInputs.flat(), 0).data;
      const [plus, minus] = [at(1), at(-1)];
      for (let r = 0; r < 10; r++) fd[r * 62 + j] = (plus[r]! - minus[r]!) / (2 * h);
    }
    expect(got.functionalRank.rank).toBe(batchFunctionalRank(fd, 10, 62).rank);
  }, 1_000_000);

  it('refuses targets that do not match the model\'s outputs, exit 2', async () => {
    const bad = await cli('curvature', '--model', 'cnn.json', '--data', 'cnn-bad.json', '--loss', 'mse');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/each point has 3 targets, the model cnn.json has 2 outputs\n\s*fix: /);
    const xent = await cli('curvature', '--model', 'cnn.json', '--data', 'cnn-data.json');
    expect(xent.code).toBe(2);
    expect(xent.stderr).toMatch(/has no labels, which the cross-entropy needs/);
  });
});
