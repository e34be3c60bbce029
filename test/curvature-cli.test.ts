// `jetcurve curvature` as a user runs it, on small MLPs the other tests never saw: --exact agrees
// with the dense float64 Hessian of the independent R-operator (trace, tr(H²) and the top
// eigenvalues to 1e-3 relative, K to 1e-2), the functional rank is the float64 one, the
// stochastic estimates land within 4 of their own standard errors of the exact values, an
// .onnx file gives the same figures as its model file, and bad input exits 2 with a fix.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactCurvature } from '../src/curvature/dense-hessian.js';
import { batchFunctionalRank } from '../src/curvature/functional-dimension.js';
import { mlpLoss } from '../src/curvature/mlp64.js';
import { DATA_FORMAT } from '../src/data/file.js';
import { stringifyModel } from '../src/model/io.js';
import { randomMlp } from '../src/model/random-mlp.js';
import { Random } from '../src/util/random.js';
import { buildCli, cliIn } from './cli-run.js';

const dir = mkdtempSync(join(tmpdir(), 'jetcurve-curvature-'));
const cli = cliIn(dir);
const spec = randomMlp([2, 6, 5, 3], { seed: 61, gain: 1.4 });
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

beforeAll(async () => {
  await buildCli();
  writeFileSync(join(dir, 'm.json'), stringifyModel(spec));
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

  it('refuses what it cannot do with the problem and the fix, exit 2', async () => {
    const bad = await cli('curvature', '--model', 'm.json', '--data', 'd.json', '--loss', 'hinge');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--loss hinge is not a loss jetcurve has\n\s*fix: /);
    expect(bad.stderr).not.toMatch(/at .*\.js/);
    const top = await cli('curvature', '--model', 'm.json', '--data', 'd.json', '--top', '0');
    expect(top.code).toBe(2);
    expect(top.stderr).toMatch(/--top 0 is not an integer ≥ 1/);
  });
});
