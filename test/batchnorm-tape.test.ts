// BatchNorm's tape rules (src/autodiff/ops.ts): eval mode at order 2 and train mode at order 0
// through Tape.backward, against the float64 gradients, with the weight and bias as Parameters;
// train mode moves the running statistics, and the tape gives back every buffer it made
// (the batch statistics included).
import { expect, it } from 'vitest';
import { differentiable as d, type BatchNormParameters } from '../src/autodiff/ops.js';
import { Parameter } from '../src/autodiff/parameter.js';
import { Streaming, Tape } from '../src/autodiff/tape.js';
import { Jet } from '../src/jet/jet.js';
import { batchStatistics64, batchnormTrainVjp64, runningUpdate64 } from '../src/reference/batchnorm64.js';
import { jet64 } from '../src/reference/jet64.js';
import { Random } from '../src/util/random.js';
import { randomF32, relativeError, U32 } from './cases/harness.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const EPS = Math.fround(1e-5);

function setUp(seed: number, channels: number) {
  const e = engine();
  const random = new Random(seed);
  const weight = randomF32(random, channels);
  const bias = randomF32(random, channels);
  const mean = randomF32(random, channels);
  const variance = randomF32(random, channels).map((v) => Math.fround(Math.exp(v)));
  const p: BatchNormParameters = {
    weight: new Parameter(e, 'bn.weight', [channels], Float32Array.from(weight)),
    bias: new Parameter(e, 'bn.bias', [channels], Float32Array.from(bias)),
    runningMean: e.upload(Float32Array.from(mean)), runningVar: e.upload(Float32Array.from(variance)),
    channels, eps: EPS, momentum: 0.1,
  };
  const release = () => {
    p.weight.release();
    p.bias.release();
    e.pool.release(p.runningMean);
    e.pool.release(p.runningVar);
  };
  return { random, weight, bias, mean, variance, p, release };
}

// Tolerances: these are the kernels of test/cases/batchnorm.ts on a few dozen values per
// channel, whose sums stay within ~10 roundings; 64·u is a wide margin above that.
const TOLERANCE = 64 * U32;

it('eval mode: x̄ = s·ȳ at every order, w̄ = Σ ȳ_k·(x_k − [k = 0]·mean)/√(var + eps), b̄ = Σ ȳ_0', async () => {
  const e = engine();
  const [rows, K, shape] = [3, 2, [2, 2, 3]] as const;
  const { random, weight, mean, variance, p, release } = setUp(31, 2);
  const x = randomF32(random, rows * (K + 1) * 12);
  const ybar = randomF32(random, x.length);
  const xj = Jet.fromArray(e, Float32Array.from(x), rows, K, shape);
  const seed = Jet.fromArray(e, Float32Array.from(ybar), rows, K, shape);
  const tape = new Tape();
  const y = d.batchnorm(tape, xj, p);
  const [xbar] = tape.backward(y, seed, [xj]);
  const want = { x: new Float64Array(x.length), w: new Float64Array(2), b: new Float64Array(2) };
  x.forEach((v, i) => {
    const c = Math.floor((i % 12) / 6);
    const first = Math.floor(i / 12) % (K + 1) === 0;
    const r = 1 / Math.sqrt(variance[c]! + EPS);
    want.x[i] = weight[c]! * r * ybar[i]!;
    want.w[c]! += ybar[i]! * (v - (first ? mean[c]! : 0)) * r;
    if (first) want.b[c]! += ybar[i]!;
  });
  expect(relativeError(await xbar!.read(), want.x)).toBeLessThan(TOLERANCE);
  expect(relativeError(await p.weight.readGrad(), want.w)).toBeLessThan(TOLERANCE);
  expect(relativeError(await p.bias.readGrad(), want.b)).toBeLessThan(TOLERANCE);
  xbar!.release();
  tape.release();
  for (const j of [xj, seed]) j.release();
  release();
});

it('train mode: the float64 gradient, the running statistics moved, and no buffer left behind', async () => {
  const e = engine();
  const [rows, shape] = [5, [3, 2, 2]] as const;
  const live = e.pool.stats().liveBytes;
  const { random, weight, mean, variance, p, release } = setUp(32, 3);
  const x = randomF32(random, rows * 12, 2);
  const ybar = randomF32(random, x.length);
  const xj = Jet.fromArray(e, Float32Array.from(x), rows, 0, shape);
  const seed = Jet.fromArray(e, Float32Array.from(ybar), rows, 0, shape);
  const tape = new Tape();
  const y = d.batchnormTrain(tape, xj, p);
  const [xbar] = tape.backward(y, seed, [xj]);
  const x64 = jet64(rows, 0, shape, x);
  const want = batchnormTrainVjp64(x64, jet64(rows, 0, shape, ybar), weight, EPS);
  expect(relativeError(await xbar!.read(), want.xbar)).toBeLessThan(TOLERANCE);
  expect(relativeError(await p.weight.readGrad(), want.weight)).toBeLessThan(TOLERANCE);
  expect(relativeError(await p.bias.readGrad(), want.bias)).toBeLessThan(TOLERANCE);
  const moved = runningUpdate64(mean, variance, batchStatistics64(x64), 0.1);
  expect(relativeError(await e.read(p.runningMean, 12), moved.mean)).toBeLessThan(TOLERANCE);
  expect(relativeError(await e.read(p.runningVar, 12), moved.variance)).toBeLessThan(TOLERANCE);
  xbar!.release();
  tape.release();
  for (const j of [xj, seed]) j.release();
  release();
  expect(e.pool.stats().liveBytes).toBe(live);
});

it('train mode under a Streaming recorder (no reverse pass) leaves no buffer behind either', async () => {
  const e = engine();
  const live = e.pool.stats().liveBytes;
  const { random, p, release } = setUp(33, 3);
  const xj = Jet.fromArray(e, Float32Array.from(randomF32(random, 4 * 12)), 4, 0, [3, 2, 2]);
  const y = d.batchnormTrain(new Streaming(), xj, p);
  await y.read();
  y.release();
  xj.release();
  release();
  expect(e.pool.stats().liveBytes).toBe(live);
});
