// The λ map (src/lambda/lambda-map.ts): each grid value is the λ networkLambda gives that single
// point along the same directions, and the float64 reference's λ to f32 accuracy; chunking does
// not change it; the grid is laid out row-major with y as the slow axis; bad input is refused.
import { describe, expect, it } from 'vitest';
import { paperAggregate } from '../src/lambda/estimators.js';
import { lambdaMap, type LambdaMap } from '../src/lambda/lambda-map.js';
import { networkLambda, predictions } from '../src/lambda/network.js';
import { logFactorial } from '../src/lambda/raw.js';
import { Model } from '../src/model/model.js';
import { randomMlp } from '../src/model/random-mlp.js';
import { softmaxCrossEntropy64 } from '../src/reference/loss64.js';
import { referenceJets } from '../src/reference/model64.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

// A tanh classifier 2-16-16-2 with weights steep enough (gain 2) for a curved boundary in [-2, 2]².
const spec = randomMlp([2, 16, 16, 2], { seed: 5, gain: 2 });
// 5 × 4, not square, so that a transposed layout cannot pass.
const grid = { xRange: [-2, 2] as const, yRange: [-1.5, 1.5] as const, nx: 5, ny: 4 };
const options = { orders: { from: 1, to: 4 }, directions: 3, seed: 7 } as const;
/** Grid points checked one by one: corners, an inner point, and the point of least confidence. */
const checked = (map: LambdaMap): number[] => {
  const nearest = map.probability.reduce((best, p, i) => (p < map.probability[best]! ? i : best), 0);
  return [...new Set([0, map.nx - 1, map.nx * map.ny - 1, map.nx + 2, nearest])];
};
const pointDirections = (map: LambdaMap, p: number) => map.directions.slice(p * map.directionCount * 2, (p + 1) * map.directionCount * 2);
const at = (map: LambdaMap, p: number) => Float64Array.of(map.xs[p % map.nx]!, map.ys[Math.floor(p / map.nx)]!);

describe('lambdaMap', () => {
  it('lays the grid out row-major (y slow), with unit directions and the model\'s predictions', async () => {
    const model = new Model(engine(), spec);
    const map = await lambdaMap(engine(), model, grid, options);
    expect([map.nx, map.ny, map.lambda.length, map.probability.length, map.logNorms.length]).toEqual([5, 4, 20, 20, 20 * 5]);
    expect(Array.from(map.xs)).toEqual([-2, -1, 0, 1, 2]);
    expect(Array.from(map.ys)).toEqual([-1.5, -0.5, 0.5, 1.5]);
    expect(map.directions.length).toBe(20 * 3 * 2);
    for (let r = 0; r < 60; r++) expect(Math.hypot(map.directions[2 * r]!, map.directions[2 * r + 1]!)).toBeCloseTo(1, 12);
    const inputs = new Float64Array(40);
    for (let p = 0; p < 20; p++) inputs.set(at(map, p), 2 * p);
    const pred = await predictions(model, inputs);
    expect(Array.from(map.probability)).toEqual(Array.from(pred.maxProbability));
    expect(Array.from(map.predicted)).toEqual(Array.from(pred.argmax));
    expect(map.skipped).toBe(0);
    expect(map.chunks).toBe(1);
    expect(map.lambda.every(Number.isFinite)).toBe(true);
    // The map has structure: λ is not one value everywhere.
    expect(Math.max(...map.lambda) - Math.min(...map.lambda)).toBeGreaterThan(0.1);
    model.destroy();
  });

  it('equals networkLambda of each single point along the same directions (to 1e-4)', async () => {
    const model = new Model(engine(), spec);
    for (const quantity of ['loss-pred', 'max-logit'] as const) {
      const map = await lambdaMap(engine(), model, grid, { ...options, quantity });
      for (const p of checked(map)) {
        const single = await networkLambda(engine(), model, { inputShape: [2], inputs: at(map, p), count: 1, labels: null },
          { estimator: 'paper', quantity, orders: options.orders, directions: { kind: 'given', count: 3, directions: pointDirections(map, p) } });
        console.log(`${quantity} point ${p} (${Array.from(at(map, p)).join(', ')}): map λ ${map.lambda[p]}, single point λ ${single.lambda}`);
        expect(Math.abs(map.lambda[p]! - single.lambda)).toBeLessThan(1e-4);
        expect(map.logNorms.slice(5 * p, 5 * p + 5).every((v, n) => Math.abs(v - single.logNorms[n]!) < 1e-4)).toBe(true);
      }
    }
    model.destroy();
  });

  it('agrees with λ from the float64 reference jets of the predicted-label loss', async () => {
    const model = new Model(engine(), spec);
    const map = await lambdaMap(engine(), model, grid, options);
    const K = 4;
    for (const p of checked(map)) {
      const points = new Float64Array(6);
      for (let i = 0; i < 3; i++) points.set(at(map, p), 2 * i);
      const logits = referenceJets(spec, points, pointDirections(map, p), K);
      const z0 = [logits.data[0]!, logits.data[1]!];
      const label = z0[1]! > z0[0]! ? 1 : 0;
      const loss = softmaxCrossEntropy64(logits, Uint32Array.of(label, label, label));
      const rows = [0, 1, 2].map((r) => Float64Array.from({ length: K + 1 }, (_, n) => Math.log(Math.abs(loss.data[r * (K + 1) + n]!)) + logFactorial(n)));
      const reference = paperAggregate(rows, options.orders).lambda;
      const error = Math.abs(map.lambda[p]! - reference);
      console.log(`point ${p}: map λ ${map.lambda[p]}, float64 λ ${reference}, |Δ| ${error.toExponential(2)}, pmax ${map.probability[p]!.toFixed(4)}`);
      // The slope over orders 1..4 weighs the levels by (−3, −1, 1, 3)/10, so |Δλ| ≤ 0.8·max |Δyₙ|,
      // and a level yₙ is a mean of log|Dⁿ| over 3 directions: |Δyₙ| ≈ the relative error of the f32
      // coefficients, ~1e-6 for this steep (gain 2) tanh MLP and up to ~1e-5 where the loss's
      // cancellation logsumexp − z_label loses digits (pmax near 1). Measured: 3.5e-8 to 6.3e-6.
      expect(error).toBeLessThan(1e-4);
    }
    model.destroy();
  });

  it('gives the same map when the grid is split into chunks', async () => {
    const model = new Model(engine(), spec);
    const whole = await lambdaMap(engine(), model, grid, options);
    const split = await lambdaMap(engine(), model, grid, { ...options, maxRows: 21 });
    expect(split.chunks).toBe(3);
    expect(Array.from(split.directions)).toEqual(Array.from(whole.directions));
    for (let p = 0; p < 20; p++) expect(Math.abs(split.lambda[p]! - whole.lambda[p]!)).toBeLessThan(1e-4);
    expect(Array.from(split.probability)).toEqual(Array.from(whole.probability));
    model.destroy();
  });

  it('refuses what it cannot draw, with a fix', async () => {
    const model = new Model(engine(), spec);
    const three = new Model(engine(), randomMlp([3, 4, 2], { seed: 1 }));
    await expect(lambdaMap(engine(), three, grid)).rejects.toThrow(/2-D input plane; the model takes inputs of shape 3/);
    await expect(lambdaMap(engine(), model, { ...grid, nx: 1 })).rejects.toThrow(/nx = 1 is not a whole number in 2\.\.1000/);
    await expect(lambdaMap(engine(), model, { ...grid, ny: 1001 })).rejects.toThrow(/ny = 1001/);
    await expect(lambdaMap(engine(), model, { ...grid, nx: 2.5 })).rejects.toThrow(/nx = 2.5/);
    await expect(lambdaMap(engine(), model, { ...grid, xRange: [1, -1] })).rejects.toThrow(/xRange \[1,-1\] is not an interval/);
    await expect(lambdaMap(engine(), model, { ...grid, yRange: [0, NaN] })).rejects.toThrow(/yRange .* is not an interval/);
    // @ts-expect-error: the true-label loss is not a map quantity, and is refused at run time too.
    await expect(lambdaMap(engine(), model, grid, { quantity: 'loss' })).rejects.toThrow(/no true labels/);
    await expect(lambdaMap(engine(), model, grid, { directions: 3, maxRows: 2 })).rejects.toThrow(/maxRows 2 is below the 3 directions/);
    await expect(lambdaMap(engine(), model, grid, { orders: { from: 3, to: 2 } })).rejects.toThrow();
    three.destroy();
    model.destroy();
  });
});
