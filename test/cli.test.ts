// The built CLI (dist/cli.js, rebuilt here) run as a child process: JSON output shapes, and user
// errors that exit with code 2 and print "jetcurve: <message>" and a fix, never a stack trace.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringifyModel } from '../src/node.js';
import { randomMlp } from '../src/model/random-mlp.js';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'jetcurve-cli-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

interface Run { code: number; stdout: string; stderr: string }

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'dist/cli.js'), ...args], { cwd: dir, timeout: 120_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['build.mjs'], { cwd: root }, (error, _out, stderr) => (error ? reject(new Error(stderr)) : resolve()));
  });
});

const model = () => file('m.json', stringifyModel(randomMlp([2, 16, 3], { seed: 9 }), { weights: 'base64' }));
const points = () => file('p.json', '[[0.1, 0.2], [0.3, -0.4]]');
const oneDirection = () => file('d.json', '[[1, 0]]');

describe('jetcurve jet', () => {
  it('--expr at 0 to order 60 prints the 61 coefficients 2^n', async () => {
    const r = await cli('jet', '--expr', '1/(1-2*x)', '--at', '0', '--order', '60', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { order: number; coefficients: number[] };
    expect(out.order).toBe(60);
    expect(out.coefficients).toEqual(Array.from({ length: 61 }, (_, n) => 2 ** n));
  });

  it('--expr in x1..xd with --at and --dir', async () => {
    const r = await cli('jet', '--expr', 'x1*exp(x2)', '--at', '0.1,0.2', '--dir', '0,1', '--order', '3', '--json');
    const out = JSON.parse(r.stdout) as { coefficients: number[] };
    // 0.1·e^(0.2 + t): c_k = 0.1·e^0.2/k!.
    out.coefficients.forEach((c, k) => expect(c).toBeCloseTo(0.1 * Math.exp(0.2) / [1, 1, 2, 6][k]!, 6));
  });

  it('--model with --points and one direction for all prints [point][k][output]', async () => {
    const r = await cli('jet', '--model', model(), '--points', points(), '--directions', oneDirection(), '--order', '4', '--json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { order: number; coefficients: number[][][] };
    expect(out.order).toBe(4);
    expect(out.coefficients.length).toBe(2);
    for (const p of out.coefficients) {
      expect(p.length).toBe(5);
      for (const k of p) expect(k.length).toBe(3);
    }
  });

  it('prints a readable table without --json', async () => {
    const r = await cli('jet', '--expr', 'sin(x)', '--at', '-0.5', '--order', '3');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/k\s+coefficient c_k\s+derivative k!·c_k/);
    expect(r.stdout.trim().split('\n').length).toBe(2 + 1 + 4);
  });
});

describe('user errors exit 2 with a message and no stack trace', () => {
  const cases: [string, () => string[], RegExp][] = [
    ['malformed model', () => ['jet', '--model', file('bad.json', '{"format": "jetcurve-model/1", "input": [2], "layers": [{"type": "dense", "weight": [[1, 2, 3]]}]}'),
      '--points', points(), '--directions', oneDirection()], /bad\.json: layer 0 \(dense\): weight is 1×3 but the previous layer gives 2 features/],
    ['model that is not JSON', () => ['jet', '--model', file('broken.json', '{"format": '), '--points', points(), '--directions', oneDirection()], /broken\.json is not valid JSON/],
    ['points that do not fit the model', () => ['jet', '--model', model(), '--points', file('p3.json', '[[1, 2, 3]]'), '--directions', oneDirection()],
      /input 0 has 3 numbers but the model takes 2/],
    ['order 61', () => ['jet', '--expr', 'x', '--order', '61'], /order 61 is outside 0\.\.60/],
    ['NaN in points', () => ['jet', '--model', model(), '--points', file('nan.json', '[[0.1, NaN]]'), '--directions', oneDirection()], /nan\.json is not valid JSON.*\n {2}fix: JSON has no NaN/],
    ['Infinity in points', () => ['jet', '--model', model(), '--points', file('inf.json', '[[0.1, 1e999]]'), '--directions', oneDirection()], /holds a non-finite value \(Infinity\)/],
    ['NaN in --at', () => ['jet', '--expr', 'x', '--at', 'NaN'], /--at: 'NaN' .* is not a finite number/],
    ['unknown function', () => ['jet', '--expr', '1 + foo(x)'], /unknown function 'foo' at column 5; known: exp, log/],
    ['missing points file', () => ['jet', '--model', model(), '--points', 'nope.json', '--directions', oneDirection()], /nope\.json: no such file/],
    ['neither --expr nor --model', () => ['jet'], /give either --expr or --model/],
    ['unknown option', () => ['jet', '--exp', 'x'], /unknown option '--exp'/],
    ['bad adapter', () => ['jet', '--expr', 'x', '--adapter', 'gpu'], /argument 'gpu' is invalid/],
  ];
  for (const [name, args, message] of cases) {
    it(name, async () => {
      const r = await cli(...args());
      expect(r.code).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^jetcurve: /);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    });
  }
});

describe('jetcurve demo', () => {
  it('runs the showcase on the GPU', async () => {
    const r = await cli('demo');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/adapter: /);
    expect(r.stdout).toMatch(/1\/\(1-2\*x\)/);
    expect(r.stdout).toMatch(/2-64-64-1/);
  });
});

describe('jetcurve data', () => {
  it('writes a Two Moons test split that parses back as a data file', async () => {
    const r = await cli('data', 'moons', '--out', 'moons.json', '--count', '40', '--seed', '3');
    expect(r.code).toBe(0);
    const { parseDataSet } = await import('../src/data/file.js');
    const data = parseDataSet((await import('node:fs')).readFileSync(join(dir, 'moons.json'), 'utf8'));
    expect(data.count).toBe(40);
    expect(data.inputShape).toEqual([2]);
    expect(new Set(data.labels)).toEqual(new Set([0, 1]));
  });
  it('rejects an unknown dataset and a label-noise rate outside [0, 1)', async () => {
    for (const [args, message] of [[['data', 'cifar', '--out', 'x.json'], /unknown dataset 'cifar'/], [['data', 'moons', '--out', 'x.json', '--label-noise', '1'], /outside \[0, 1\)/]] as const) {
      const r = await cli(...args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });
});
