// `jetcurve lambda`, `radius` and `analytic` as a user runs them (dist/cli.js, rebuilt here): the
// CLI gives the library's λ for the same files and seed, plots are SVG, user errors exit 2 with
// "jetcurve: <message>" and a fix.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseDataSet, stringifyDataSet } from '../src/data/file.js';
import { networkLambda } from '../src/lambda/network.js';
import { Model } from '../src/model/model.js';
import { stringifyModel } from '../src/model/io.js';
import { randomMlp } from '../src/model/random-mlp.js';
import { Random } from '../src/util/random.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'jetcurve-lambda-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

interface Run { code: number; stdout: string; stderr: string }

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'dist/cli.js'), ...args], { cwd: dir, timeout: 200_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const spec = randomMlp([2, 16, 16, 3], { seed: 12, gain: 2 });
const random = new Random(13);
const dataText = stringifyDataSet({ inputShape: [2], inputs: random.normals(40), count: 20, labels: Uint32Array.from({ length: 20 }, () => random.int(3)) });
let model = '';
let data = '';

beforeAll(async () => {
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['build.mjs'], { cwd: root }, (error, _out, stderr) => (error ? reject(new Error(stderr)) : resolve()));
  });
  model = file('model.json', stringifyModel(spec));
  data = file('data.json', dataText);
});

const expectUserError = (run: Run, pattern: RegExp) => {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/^jetcurve: /);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).toMatch(/fix: /);
  expect(run.stderr).not.toMatch(/\n\s+at /);
};

describe('jetcurve lambda', () => {
  it('prints the library\'s λ for the same files and seed (JSON), and writes a plot', async () => {
    const run = await cli('lambda', '--model', model, '--data', data, '--orders', '2-4', '--directions', '3', '--seed', '5', '--json', '--plot', join(dir, 'l.svg'));
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { lambda: number; r2: number; perPoint: { mean: number }; logNorms: number[]; points: { kept: number } };
    const m = new Model(engine(), spec);
    const lib = await networkLambda(engine(), m, parseDataSet(dataText), { orders: { from: 2, to: 4 }, directions: { kind: 'random', count: 3, seed: 5 } });
    m.destroy();
    expect(out.lambda).toBeCloseTo(lib.lambda, 12);
    expect(out.r2).toBeCloseTo(lib.r2, 12);
    expect(out.points.kept).toBe(20);
    expect(out.logNorms).toHaveLength(9); // the plot asks for orders up to 8
    expect(readFileSync(join(dir, 'l.svg'), 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('prints a readable summary', async () => {
    const run = await cli('lambda', '--model', model, '--data', data, '--quantity', 'max-logit', '--method', 'endpoint');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^λ = -?\d+\.\d+ +\(raw convention, max-logit, endpoint slope over orders 1-4, R² = /);
    expect(run.stdout).toMatch(/per point: mean .* std .* 95% of points in \[/);
    expect(run.stdout).toMatch(/points: 20 in the data, 20 kept, 0 skipped/);
  });

  it('reports user errors: mismatch, empty band, order range, bad options', async () => {
    const wrong = file('wrong.json', stringifyDataSet({ inputShape: [3], inputs: new Float64Array(6), count: 2, labels: Uint32Array.of(0, 1) }));
    expectUserError(await cli('lambda', '--model', model, '--data', wrong), /shape 3 .*model takes 2/);
    expectUserError(await cli('lambda', '--model', model, '--data', data, '--band', '0.999-1'), /keeps none of the 20 points/);
    expectUserError(await cli('lambda', '--model', model, '--data', data, '--orders', '0-4'), /outside 1\.\.60/);
    expectUserError(await cli('lambda', '--model', model, '--data', data, '--orders', '1-61'), /outside 1\.\.60/);
    expectUserError(await cli('lambda', '--model', model, '--data', data, '--band', '0.7-0.2'), /--band/);
    expectUserError(await cli('lambda', '--model', model, '--data', data, '--directions', '0'), /directions 0/);
    expectUserError(await cli('lambda', '--model', model, '--data', join(dir, 'missing.json')), /no such file/);
  });
});

describe('jetcurve radius and analytic', () => {
  it('radius of tanh at 0.3 (complex poles ±iπ/2) within 1%, and a plot', async () => {
    const run = await cli('radius', '--expr', 'tanh(x)', '--at', '0.3', '--json', '--plot', join(dir, 'r.svg'));
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { radius: number; lambda: number; method: string; tailChange: number };
    expect(Math.abs(out.radius / Math.hypot(0.3, Math.PI / 2) - 1)).toBeLessThan(0.01);
    expect(out.lambda).toBeCloseTo(-Math.log(out.radius), 10);
    expect(readFileSync(join(dir, 'r.svg'), 'utf8')).toContain('fit window');
  });

  it('radius of an entire function is ∞ in text and "Infinity" in JSON', async () => {
    const text = await cli('radius', '--expr', 'exp(x)');
    expect(text.stdout).toMatch(/R = ∞/);
    const json = JSON.parse((await cli('radius', '--expr', 'exp(x)', '--json')).stdout) as { radius: unknown };
    expect(json.radius).toBe('Infinity');
  });

  it('radius of a polynomial is a clear error', async () => {
    expectUserError(await cli('radius', '--expr', 'x^2+1'), /coefficients c30\.\.c60 vanish/);
  });

  it('analytic: every row passes, as JSON', async () => {
    const run = await cli('analytic', '--json');
    expect(run.code).toBe(0);
    const out = JSON.parse(run.stdout) as { failed: number; rows: { name: string; pass: boolean; error: number | string }[] };
    expect(out.failed).toBe(0);
    expect(out.rows.map((r) => r.name)).toEqual(['1/(1-x) at 0', '1/(1-2*x) at 0', '1/(1-x^3) at 0', 'band-limited, Ω = 450', 'sin x', 'exp(-x^2/2) at 0']);
  });
});
