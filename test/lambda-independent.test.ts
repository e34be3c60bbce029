// λ by the paper's estimators against an independent float64 implementation of the paper's
// code, on models no other test uses (seeded tanh MLPs and a conv+relu CNN built here).
//
// Derivatives: nested dual numbers, written in this file. Every input coordinate is seeded as
// xᵢ + uᵢ(ε₁ + … + ε_K) with εⱼ² = 0, and the forward pass (dense, conv2d, relu, maxpool, tanh,
// the cross-entropy) runs on numbers over that algebra by the chain rule alone; the coefficient
// of ε₁⋯εₙ of the loss is Dⁿ_u L(x)[u, …, u], exactly what the notebooks' nested autograd
// computes (d/dx of Σ dₙ₋₁, dotted with the same u). No Taylor-coefficient recurrence and no
// code of the library is involved, and there is no truncation error: the only error is f64
// round-off, ~1e-14 relative per derivative, so λ is exact here to far below the 1e-3 asked of
// the GPU (whose f32 jets put ~1e-6 relative into each |Dⁿ|, ~1e-6 into each log).
// Aggregation: the notebook's (mean over all (point, direction) pairs of log max(|dₙ|, 1e-12),
// least-squares slope over n) and the library's (per row, skip |d₁| < 1e-8, mean of
// log max(|dₙ₊₁|/(|dₙ| + 1e-12), 1e-10), mean over rows), written out again below in linear space.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringifyDataSet, type DataSet } from '../src/data/file.js';
import { networkLambda, type NetworkLambdaOptions } from '../src/lambda/network.js';
import { stringifyModel } from '../src/model/io.js';
import { Model } from '../src/model/model.js';
import type { Layer, ModelSpec } from '../src/model/spec.js';
import { tensor } from '../src/model/tensor.js';
import { Random } from '../src/util/random.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

// ---- nested dual numbers ------------------------------------------------------------------
class Dual {
  constructor(readonly a: Num, readonly b: Num) {}
}
type Num = number | Dual;
const partA = (x: Num): Num => (typeof x === 'number' ? x : x.a);
const partB = (x: Num): Num => (typeof x === 'number' ? 0 : x.b);
const real = (x: Num): number => (typeof x === 'number' ? x : real(x.a));
function add(x: Num, y: Num): Num {
  if (typeof x === 'number' && typeof y === 'number') return x + y;
  return new Dual(add(partA(x), partA(y)), add(partB(x), partB(y)));
}
const neg = (x: Num): Num => mul(-1, x);
const sub = (x: Num, y: Num): Num => add(x, neg(y));
function mul(x: Num, y: Num): Num {
  if (typeof x === 'number' && typeof y === 'number') return x * y;
  return new Dual(mul(partA(x), partA(y)), add(mul(partA(x), partB(y)), mul(partB(x), partA(y))));
}
/** f(a + bε) = f(a) + f′(a)·b·ε, recursively: f and f′ act on the same algebra one level down. */
const lift = (f: (x: number) => number, df: (x: Num) => Num) => {
  const g = (x: Num): Num => (typeof x === 'number' ? f(x) : new Dual(g(x.a), mul(df(x.a), x.b)));
  return g;
};
const exp: (x: Num) => Num = lift(Math.exp, (x) => exp(x));
const recip: (x: Num) => Num = lift((x) => 1 / x, (x) => neg(mul(recip(x), recip(x))));
const log: (x: Num) => Num = lift(Math.log, (x) => recip(x));
const tanh: (x: Num) => Num = lift(Math.tanh, (x) => sub(1, mul(tanh(x), tanh(x))));
const relu: (x: Num) => Num = lift((x) => Math.max(x, 0), (x) => (real(x) > 0 ? 1 : 0));

/** x + u·(ε₁ + … + ε_K), coordinate by coordinate. */
function seedInput(x: ArrayLike<number>, u: ArrayLike<number>, K: number): Num[] {
  return Array.from({ length: x.length }, (_, i) => {
    let v: Num = x[i]!;
    for (let k = 0; k < K; k++) v = new Dual(v, u[i]!);
    return v;
  });
}

/** The coefficient of ε₁⋯εₙ (n ≤ K) of a value seeded at depth K: Dⁿ along u. */
function derivative(y: Num, n: number, K: number): number {
  let v = y;
  for (let level = K; level >= 1; level--) v = level > n ? partA(v) : partB(v);
  return real(v);
}

// ---- the forward pass, layer by layer, on Num ----------------------------------------------
function forward(spec: ModelSpec, input: Num[]): Num[] {
  let x = input;
  let shape = [...spec.input];
  for (const layer of spec.layers) {
    switch (layer.type) {
      case 'dense': {
        const [O, I] = layer.weight.shape as [number, number];
        x = Array.from({ length: O }, (_, o) => {
          let s: Num = layer.bias.data[o]!;
          for (let i = 0; i < I; i++) s = add(s, mul(layer.weight.data[o * I + i]!, x[i]!));
          return s;
        });
        shape = [O];
        break;
      }
      case 'conv2d': {
        const [CO, CI, KH, KW] = layer.weight.shape as [number, number, number, number];
        const [, H, W] = shape as [number, number, number];
        const { stride: st, padding: pad } = layer;
        const OH = Math.floor((H + 2 * pad - KH) / st) + 1;
        const OW = Math.floor((W + 2 * pad - KW) / st) + 1;
        const out: Num[] = [];
        for (let co = 0; co < CO; co++) {
          for (let oy = 0; oy < OH; oy++) {
            for (let ox = 0; ox < OW; ox++) {
              let s: Num = layer.bias.data[co]!;
              for (let ci = 0; ci < CI; ci++) {
                for (let ky = 0; ky < KH; ky++) {
                  for (let kx = 0; kx < KW; kx++) {
                    const iy = oy * st + ky - pad;
                    const ix = ox * st + kx - pad;
                    if (iy < 0 || ix < 0 || iy >= H || ix >= W) continue;
                    s = add(s, mul(layer.weight.data[((co * CI + ci) * KH + ky) * KW + kx]!, x[(ci * H + iy) * W + ix]!));
                  }
                }
              }
              out.push(s);
            }
          }
        }
        x = out;
        shape = [CO, OH, OW];
        break;
      }
      case 'maxpool2d': {
        const [C, H, W] = shape as [number, number, number];
        const OH = Math.floor((H - layer.size) / layer.stride) + 1;
        const OW = Math.floor((W - layer.size) / layer.stride) + 1;
        const out: Num[] = [];
        for (let c = 0; c < C; c++) {
          for (let oy = 0; oy < OH; oy++) {
            for (let ox = 0; ox < OW; ox++) {
              let best: Num | null = null;
              for (let ky = 0; ky < layer.size; ky++) {
                for (let kx = 0; kx < layer.size; kx++) {
                  const v = x[(c * H + oy * layer.stride + ky) * W + ox * layer.stride + kx]!;
                  if (best === null || real(v) > real(best)) best = v;
                }
              }
              out.push(best!);
            }
          }
        }
        x = out;
        shape = [C, OH, OW];
        break;
      }
      case 'flatten': shape = [x.length]; break;
      case 'tanh': x = x.map(tanh); break;
      case 'relu': x = x.map(relu); break;
      default: throw new Error(`layer ${layer.type} is not in this test's forward pass`);
    }
  }
  return x;
}

/** Per-sample cross-entropy logsumexp(z) − z_y (shifted by the constant max of the real parts). */
function crossEntropy(z: Num[], label: number): Num {
  const m = Math.max(...z.map(real));
  let s: Num = 0;
  for (const zk of z) s = add(s, exp(sub(zk, m)));
  return sub(add(log(s), m), z[label]!);
}

// ---- the paper's aggregations, written out --------------------------------------------------
interface Case { readonly spec: ModelSpec; readonly data: DataSet; readonly U: number[][][] }

/** d[r][n−1] = Dⁿ L along direction r of each point, rows point-major (point p, direction i → p·R + i), n = 1..K. */
function derivatives(c: Case, points: readonly number[], K: number): number[][] {
  const size = c.data.inputs.length / c.data.count;
  const rows: number[][] = [];
  for (const p of points) {
    const x = c.data.inputs.subarray(p * size, (p + 1) * size);
    for (const set of c.U) {
      const loss = crossEntropy(forward(c.spec, seedInput(x, set[p]!, K)), c.data.labels![p]!);
      rows.push(Array.from({ length: K }, (_, n) => derivative(loss, n + 1, K)));
    }
  }
  return rows;
}

/** np.linalg.lstsq([1, n], y) slope, as the notebook fits. */
function slope(ns: number[], ys: number[]): number {
  const mn = ns.reduce((a, b) => a + b, 0) / ns.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  return ns.reduce((s, n, i) => s + (n - mn) * (ys[i]! - my), 0) / ns.reduce((s, n) => s + (n - mn) ** 2, 0);
}

function notebookLambda(d: number[][], from: number, to: number): number {
  const ns = Array.from({ length: to - from + 1 }, (_, j) => from + j);
  const ys = ns.map((n) => d.reduce((s, row) => s + Math.log(Math.max(Math.abs(row[n - 1]!), 1e-12)), 0) / d.length);
  return slope(ns, ys);
}

function libraryLambda(d: number[][], from: number, to: number, variant: 'flatgrad' | 'flatgrad-pair'): number {
  const lambdas: number[] = [];
  for (const row of d) {
    const first = Math.abs(row[from - 1]!);
    if (variant === 'flatgrad' ? first < 1e-8 : first <= 1e-8) continue;
    let s = 0;
    for (let n = from; n < to; n++) {
      const ratio = Math.abs(row[n]!) / (Math.abs(row[n - 1]!) + 1e-12);
      s += variant === 'flatgrad' ? Math.log(Math.max(ratio, 1e-10)) : Math.log(ratio + 1e-12);
    }
    if (Number.isFinite(s)) lambdas.push(s / (to - from));
  }
  return lambdas.reduce((a, b) => a + b, 0) / lambdas.length;
}

/** Largest softmax probability of each point (the real parts of the forward pass). */
function maxProbabilities(c: Case): number[] {
  const size = c.data.inputs.length / c.data.count;
  return Array.from({ length: c.data.count }, (_, p) => {
    const z = forward(c.spec, Array.from(c.data.inputs.subarray(p * size, (p + 1) * size))).map(real);
    const m = Math.max(...z);
    return 1 / z.reduce((s, v) => s + Math.exp(v - m), 0);
  });
}

// ---- models and data, seeded, built here ---------------------------------------------------
const f32 = (values: ArrayLike<number>) => Array.from(Float32Array.from(values));

function dense(r: Random, inputs: number, outputs: number, std: number): Layer {
  return { type: 'dense', weight: tensor([outputs, inputs], r.normals(inputs * outputs, std)), bias: tensor([outputs], r.normals(outputs, 0.3)) };
}

function tanhMlp(seed: number, sizes: number[], gain: number): ModelSpec {
  const r = new Random(seed);
  const layers: Layer[] = [];
  sizes.slice(1).forEach((out, i) => {
    layers.push(dense(r, sizes[i]!, out, gain / Math.sqrt(sizes[i]!)));
    if (i + 2 < sizes.length) layers.push({ type: 'tanh' });
  });
  return { input: [sizes[0]!], layers };
}

function reluCnn(seed: number): ModelSpec {
  const r = new Random(seed);
  return {
    input: [2, 6, 6],
    layers: [
      { type: 'conv2d', weight: tensor([4, 2, 3, 3], r.normals(72, 0.4)), bias: tensor([4], r.normals(4, 0.1)), stride: 1, padding: 1 },
      { type: 'relu' },
      { type: 'maxpool2d', size: 2, stride: 2 },
      { type: 'conv2d', weight: tensor([5, 4, 2, 2], r.normals(80, 0.5)), bias: tensor([5], r.normals(5, 0.1)), stride: 1, padding: 0 },
      { type: 'relu' },
      { type: 'flatten' },
      dense(r, 20, 10, 0.5),
      { type: 'relu' },
      dense(r, 10, 4, 1.2),
    ],
  };
}

/** Points and labels, and R directions per point, NOT normalized (Gaussian of std `dirStd`); all f32-exact, as the GPU reads them. */
function makeCase(spec: ModelSpec, seed: number, count: number, R: number, classes: number, dirStd: number): Case {
  const r = new Random(seed);
  const size = spec.input.reduce((a, b) => a * b, 1);
  const data: DataSet = { inputShape: spec.input, count, inputs: Float64Array.from(f32(r.normals(count * size))),
    labels: Uint32Array.from({ length: count }, () => r.int(classes)) };
  const U = Array.from({ length: R }, () => Array.from({ length: count }, () => f32(r.normals(size, dirStd))));
  return { spec, data, U };
}

const given = (c: Case): NetworkLambdaOptions['directions'] => {
  const size = c.data.inputs.length / c.data.count;
  const R = c.U.length;
  const directions = new Float64Array(c.data.count * R * size);
  for (let p = 0; p < c.data.count; p++) for (let i = 0; i < R; i++) directions.set(c.U[i]![p]!, (p * R + i) * size);
  return { kind: 'given', count: R, directions };
};

const all = (c: Case) => Array.from({ length: c.data.count }, (_, p) => p);

const CASES: readonly (readonly [string, () => Case])[] = [
  ['tanh MLP 3-12-12-4, 2 directions', () => makeCase(tanhMlp(101, [3, 12, 12, 4], 2.5), 102, 24, 2, 4, 1)],
  ['tanh MLP 5-16-3 (confident points), 3 directions of length ~2', () => makeCase(tanhMlp(103, [5, 16, 3], 6), 104, 20, 3, 3, 0.9)],
  ['relu CNN 2×6×6 → 4, 2 directions', () => makeCase(reluCnn(105), 106, 16, 2, 4, 0.3)],
];

describe('paper and flatgrad estimators against an independent f64 implementation', () => {
  for (const [name, build] of CASES) {
    it(name, async () => {
      const c = build();
      const model = new Model(engine(), c.spec);
      const d = derivatives(c, all(c), 4);
      for (const estimator of ['paper', 'flatgrad', 'flatgrad-pair'] as const) {
        const ours = await networkLambda(engine(), model, c.data, { estimator, directions: given(c) });
        const truth = estimator === 'paper' ? notebookLambda(d, 1, 4) : libraryLambda(d, 1, 4, estimator);
        console.log(`${name}: ${estimator} λ = ${ours.lambda.toFixed(6)}, independent ${truth.toFixed(6)}, difference ${Math.abs(ours.lambda - truth).toExponential(2)}`);
        expect(Math.abs(ours.lambda - truth)).toBeLessThan(1e-3);
        expect(ours.rows.total).toBe(c.data.count * c.U.length);
      }
      model.destroy();
    });
  }

  it('other order ranges: paper over 2-5 and flatgrad over 1-3 (tanh MLP)', async () => {
    const c = CASES[0]![1]();
    const model = new Model(engine(), c.spec);
    const d = derivatives(c, all(c), 5);
    const paper = await networkLambda(engine(), model, c.data, { estimator: 'paper', orders: { from: 2, to: 5 }, directions: given(c) });
    const flat = await networkLambda(engine(), model, c.data, { estimator: 'flatgrad', orders: { from: 1, to: 3 }, directions: given(c) });
    console.log(`orders 2-5: paper ${paper.lambda} vs ${notebookLambda(d, 2, 5)}; orders 1-3: flatgrad ${flat.lambda} vs ${libraryLambda(d, 1, 3, 'flatgrad')}`);
    expect(Math.abs(paper.lambda - notebookLambda(d, 2, 5))).toBeLessThan(1e-3);
    expect(Math.abs(flat.lambda - libraryLambda(d, 1, 3, 'flatgrad'))).toBeLessThan(1e-3);
    model.destroy();
  });
});

describe('jetcurve lambda --direction-file gives the independent value', () => {
  const root = new URL('..', import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), 'jetcurve-independent-'));
  const cli = (...args: string[]) => new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(process.execPath, [join(root, 'dist/cli.js'), 'lambda', ...args], { cwd: dir, timeout: 200_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
  const files = (c: Case) => {
    writeFileSync(join(dir, 'model.json'), stringifyModel(c.spec));
    writeFileSync(join(dir, 'data.json'), stringifyDataSet(c.data));
    writeFileSync(join(dir, 'U.json'), JSON.stringify(c.U));
    return ['--model', join(dir, 'model.json'), '--data', join(dir, 'data.json'), '--direction-file', join(dir, 'U.json'), '--json'];
  };

  beforeAll(async () => {
    await new Promise<void>((resolve, reject) => {
      execFile(process.execPath, ['build.mjs'], { cwd: root }, (error, _out, stderr) => (error ? reject(new Error(stderr)) : resolve()));
    });
  });

  it('paper and flatgrad on the CNN, with the per-order values a user can check', async () => {
    const c = CASES[2]![1]();
    const args = files(c);
    const d = derivatives(c, all(c), 4);
    for (const estimator of ['paper', 'flatgrad'] as const) {
      const run = await cli(...args, '--estimator', estimator);
      expect(run.stderr).toBe('');
      const out = JSON.parse(run.stdout) as { lambda: number; estimator: string; logNorms: number[]; meanLogRatios?: number[]; rows: { total: number } };
      expect(out.estimator).toBe(estimator);
      expect(out.rows.total).toBe(32);
      const truth = estimator === 'paper' ? notebookLambda(d, 1, 4) : libraryLambda(d, 1, 4, 'flatgrad');
      expect(Math.abs(out.lambda - truth)).toBeLessThan(1e-3);
      if (estimator === 'paper') {
        // yₙ printed per order: the notebook's mean log, and λ is their least-squares slope.
        const ys = [1, 2, 3, 4].map((n) => d.reduce((s, row) => s + Math.log(Math.max(Math.abs(row[n - 1]!), 1e-12)), 0) / d.length);
        ys.forEach((y, j) => expect(Math.abs(out.logNorms[j + 1]! - y)).toBeLessThan(1e-3));
      } else {
        expect(out.meanLogRatios).toHaveLength(3);
        expect(Math.abs(out.meanLogRatios!.reduce((a, b) => a + b, 0) / 3 - out.lambda)).toBeLessThan(1e-12);
      }
    }
  });

  it('paper with an empty band: the fallback takes the points nearest pmax = 0.5, and says so', async () => {
    const c = CASES[0]![1]();
    const args = files(c);
    const pmax = maxProbabilities(c);
    const nearest = all(c).sort((a, b) => Math.abs(pmax[a]! - 0.5) - Math.abs(pmax[b]! - 0.5)).slice(0, 5);
    const run = await cli(...args, '--estimator', 'paper', '--band', '0.9999-1', '--band-fallback', '5');
    expect(run.stderr).toBe('');
    const out = JSON.parse(run.stdout) as { lambda: number; selection: string; points: { selected: number; inBand: number }; pointLambdas: { index: number }[] };
    expect(out.selection).toBe('band-fallback');
    expect(out.points).toMatchObject({ selected: 5, inBand: 0 });
    expect(out.pointLambdas.map((p) => p.index)).toEqual([...nearest].sort((a, b) => a - b));
    expect(Math.abs(out.lambda - notebookLambda(derivatives(c, nearest, 4), 1, 4))).toBeLessThan(1e-3);
  });

  it('rejects a malformed direction file with the problem and the fix', async () => {
    const c = CASES[0]![1]();
    const args = files(c);
    const bad = (name: string, value: unknown) => { writeFileSync(join(dir, name), JSON.stringify(value)); return join(dir, name); };
    const swap = (file: string) => args.map((a) => (a === join(dir, 'U.json') ? file : a));
    const cases: [unknown, RegExp][] = [
      [c.U.map((set) => set.slice(1)), /\[0\] holds 23 directions, the data file has 24 points/],
      [[c.U[0]!.map((u, p) => (p === 3 ? u.slice(1) : u))], /\[0\]\[3\] holds 2 numbers, an input has 3/],
      [[c.U[0]!.map((u, p) => (p === 2 ? [0, 0, 0] : u))], /\[0\]\[2\] is the zero vector/],
      [[c.U[0]!.map((u, p) => (p === 1 ? [1, 'x', 0] : u))], /\[0\]\[1\] entry 1 is "x", not a finite number/],
      [[], /non-empty array/],
    ];
    for (const [value, pattern] of cases) {
      const run = await cli(...swap(bad('bad.json', value)));
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^jetcurve: /);
      expect(run.stderr).toMatch(pattern);
      expect(run.stderr).toMatch(/fix: /);
    }
    const conflict = await cli(...args, '--directions', '3');
    expect(conflict.code).toBe(2);
    expect(conflict.stderr).toMatch(/--direction-file gives the directions/);
    const method = await cli(...args, '--estimator', 'paper', '--method', 'endpoint');
    expect(method.stderr).toMatch(/--method endpoint does not apply to the paper estimator/);
  });
});
