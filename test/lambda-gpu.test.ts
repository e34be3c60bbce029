// λ on the GPU: the analytic suite, radii of expressions with complex singularities through the
// f32 engine, and λ of a network checked against a hand computation on the model's jets (the
// coefficients `jetcurve jet` prints), its stability under the direction seed, and its errors.
import { describe, expect, it } from 'vitest';
import type { DataSet } from '../src/data/file.js';
import { compileExpression } from '../src/expr/expression.js';
import { runAnalyticSuite } from '../src/lambda/analytic.js';
import { networkLambda, type NetworkLambdaOptions } from '../src/lambda/network.js';
import { estimateRadius } from '../src/lambda/taylor.js';
import { Model } from '../src/model/model.js';
import { randomMlp } from '../src/model/random-mlp.js';
import { logSumExpSeries } from '../src/reference/loss64.js';
import { Random } from '../src/util/random.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

describe('analytic suite on the GPU', () => {
  it('meets the paper\'s precision: radii and Ω within 1%, sin x λ = 0, the Gaussian entire', async () => {
    const suite = await runAnalyticSuite(engine());
    for (const r of suite.rows) console.log(`${r.name}: truth ${r.truth}, estimate ${r.estimate}, error ${r.error}`);
    expect(suite.rows.map((r) => [r.name, r.pass])).toEqual(suite.rows.map((r) => [r.name, true]));
    expect(suite.rows).toHaveLength(6);
  });
});

describe('radius of expressions through the f32 engine', () => {
  it.each([
    ['tanh(x)', 0.3, Math.hypot(0.3, Math.PI / 2)],
    ['1/(1+x^2)', 0.5, Math.hypot(0.5, 1)],
    ['1/(1+x^2)^2', 0.5, Math.hypot(0.5, 1)],
    ['1/((x^2+1)*((x-1.9)^2+0.09))', 0.2, Math.hypot(0.2, 1)],
    ['log(1+x)', 0, 1],
    ['1/(1-2*x)', 0.1, 0.4],
  ])('%s at %s: R within 1%', async (source, at, R) => {
    const r = await compileExpression(source).jets(engine(), { points: [[at]], directions: [[1]], order: 60 });
    const e = estimateRadius(r.coefficients);
    expect(Math.abs(e.radius / R - 1)).toBeLessThan(0.01);
  });

  it('exp(x) is entire', async () => {
    const r = await compileExpression('exp(x)').jets(engine(), { points: [[0.2]], directions: [[1]], order: 60 });
    expect(estimateRadius(r.coefficients).radius).toBe(Infinity);
  });
});

// A tanh classifier 2-16-16-3 and 24 points with labels.
const spec = randomMlp([2, 16, 16, 3], { seed: 3, gain: 2 });
function dataSet(count = 24, seed = 4): DataSet {
  const r = new Random(seed);
  return { inputShape: [2], inputs: r.normals(2 * count), count, labels: Uint32Array.from({ length: count }, () => r.int(3)) };
}

/**
 * λ by hand from the logits' jets along given directions: loss series logsumexp(z) − z_label
 * (or the argmax logit), Dⁿ = n!·cₙ, RMS over directions then points, least-squares slope.
 */
async function handLambda(model: Model, data: DataSet, directions: Float64Array, perPoint: number, quantity: 'loss' | 'max-logit', K: number) {
  const points = new Float64Array(directions.length);
  for (let p = 0; p < data.count; p++) for (let i = 0; i < perPoint; i++) points.set(data.inputs.subarray(2 * p, 2 * p + 2), 2 * (p * perPoint + i));
  const jets = await model.jets({ points, directions, order: K });
  const classes = 3;
  const logit = (row: number, k: number) => Float64Array.from({ length: K + 1 }, (_, n) => jets.coefficients[(row * (K + 1) + n) * classes + k]!);
  let fact = 1;
  const sums = new Float64Array(K + 1);
  for (let p = 0; p < data.count; p++) {
    const z0 = [0, 1, 2].map((k) => logit(p * perPoint, k)[0]!);
    const top = z0.indexOf(Math.max(...z0));
    for (let i = 0; i < perPoint; i++) {
      const row = p * perPoint + i;
      const z = [0, 1, 2].map((k) => logit(row, k));
      const q = quantity === 'loss' ? logSumExpSeries(z).map((v, n) => v - z[data.labels![p]!]![n]!) : z[top]!;
      fact = 1;
      for (let n = 0; n <= K; n++) {
        if (n > 0) fact *= n;
        sums[n]! += (fact * q[n]!) ** 2 / (perPoint * data.count);
      }
    }
  }
  const ys = [1, 2, 3, 4].map((n) => 0.5 * Math.log(sums[n]!));
  const mean = ys.reduce((a, b) => a + b, 0) / 4;
  return ys.reduce((s, y, i) => s + (i + 1 - 2.5) * (y - mean), 0) / 5;
}

describe('λ of a network', () => {
  const options: NetworkLambdaOptions = { orders: { from: 1, to: 4 }, directions: { kind: 'random', count: 3, seed: 11 } };

  it('matches a hand computation on the model\'s jets (loss and max logit)', async () => {
    const model = new Model(engine(), spec);
    const data = dataSet();
    for (const quantity of ['loss', 'max-logit'] as const) {
      const result = await networkLambda(engine(), model, data, { ...options, quantity });
      // The same directions, drawn the way the library documents: seeded unit vectors, point-major.
      const r = new Random(11);
      const directions = new Float64Array(data.count * 3 * 2);
      for (let i = 0; i < data.count * 3; i++) directions.set(r.unitVector(2), 2 * i);
      const hand = await handLambda(model, data, directions, 3, quantity, 4);
      console.log(`${quantity}: library λ = ${result.lambda}, hand λ = ${hand}, R² = ${result.r2}`);
      expect(result.points.kept).toBe(data.count);
      expect(Math.abs(result.lambda - hand)).toBeLessThan(quantity === 'loss' ? 1e-3 : 1e-9);
      expect(result.perPoint.count).toBe(data.count);
    }
    model.destroy();
  });

  it('is stable under the direction seed, around the exact sphere value', async () => {
    const model = new Model(engine(), spec);
    const data = dataSet(48, 6);
    const exact = await networkLambda(engine(), model, data, { directions: { kind: 'sphere' } });
    const seeds = [0, 1, 2, 3, 4, 5];
    const lambdas: number[] = [];
    for (const seed of seeds) lambdas.push((await networkLambda(engine(), model, data, { directions: { kind: 'random', count: 4, seed } })).lambda);
    const mean = lambdas.reduce((a, b) => a + b, 0) / lambdas.length;
    const std = Math.sqrt(lambdas.reduce((a, v) => a + (v - mean) ** 2, 0) / (lambdas.length - 1));
    console.log(`λ over seeds ${seeds.join(',')}: ${lambdas.map((v) => v.toFixed(4)).join(', ')}; mean ${mean.toFixed(4)}, std ${std.toFixed(4)}; exact sphere λ ${exact.lambda.toFixed(4)}`);
    expect(std).toBeLessThan(0.05 * Math.max(1, Math.abs(mean)));
    expect(Math.abs(mean - exact.lambda)).toBeLessThan(3 * std + 0.02);
    model.destroy();
  });

  it('keeps only the points in the band, and endpoint = mean of log ratios', async () => {
    const model = new Model(engine(), spec);
    const data = dataSet(40, 8);
    const all = await networkLambda(engine(), model, data, { ...options, band: [0, 1] });
    expect(all.points.inBand).toBe(40);
    const some = await networkLambda(engine(), model, data, { ...options, band: [0.4, 0.8] });
    expect(some.points.inBand).toBeGreaterThan(0);
    expect(some.points.inBand).toBeLessThan(40);
    const end = await networkLambda(engine(), model, data, { ...options, method: 'endpoint' });
    const l = end.logNorms;
    expect(end.lambda).toBeCloseTo(((l[2]! - l[1]!) + (l[3]! - l[2]!) + (l[4]! - l[3]!)) / 3, 12);
    model.destroy();
  });

  it('gives clear errors', async () => {
    const model = new Model(engine(), spec);
    const data = dataSet(8, 9);
    await expect(networkLambda(engine(), model, { ...data, inputShape: [3], inputs: new Float64Array(24) }, options)).rejects.toThrow(/shape 3 .* model takes 2/);
    await expect(networkLambda(engine(), model, data, { ...options, band: [0.999, 1] })).rejects.toThrow(/keeps none of the 8 points/);
    await expect(networkLambda(engine(), model, { ...data, labels: Uint32Array.from({ length: 8 }, () => 5) }, options)).rejects.toThrow(/label 5 .* 3 classes/);
    await expect(networkLambda(engine(), model, { ...data, labels: null }, options)).rejects.toThrow(/no labels/);
    await expect(networkLambda(engine(), model, data, { ...options, orders: { from: 1, to: 61 } })).rejects.toThrow(/outside 1\.\.60/);
    model.destroy();
    // ReLU logits are piecewise linear: their derivatives of order ≥ 2 vanish everywhere.
    const relu = new Model(engine(), randomMlp([2, 8, 3], { seed: 2, activation: 'relu' }));
    await expect(networkLambda(engine(), relu, data, { ...options, quantity: 'max-logit' })).rejects.toThrow(/vanish/);
    relu.destroy();
  });
});
