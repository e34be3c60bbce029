// The curvature numerics on real network Hessians: a float64 ReLU MLP on Two Moons points with
// its exact Hessian (src/reference/relu-mlp64.ts, checked against finite differences here). At
// random initialization (including one whose top two magnitudes are a ±λ pair) Lanczos finds
// the top eigenvalue to 1e-3 in ≤ 30 products; the functional rank is exact where it is known
// in closed form; Gegenfurtner's Theorem 4.1 is checked at interpolation solutions.
import { describe, expect, it } from 'vitest';
import { exactCurvature } from '../src/curvature/dense-hessian.js';
import { batchFunctionalRank, hiddenUnits, reluRankBound } from '../src/curvature/functional-dimension.js';
import { hutchinson } from '../src/curvature/hutchinson.js';
import { checkTheorem41, type TheoremCheck } from '../src/curvature/interpolation-bound.js';
import { lanczos } from '../src/curvature/lanczos.js';
import { CountingOperator, DenseOperator } from '../src/curvature/operator.js';
import { estimateScalarCurvature, scalarCurvatureDense } from '../src/curvature/scalar-curvature.js';
import { symmetricEigen } from '../src/curvature/symmetric-eigen.js';
import { makeMoons } from '../src/data/moons.js';
import { Random } from '../src/util/random.js';
import { ReluMlp } from '../src/reference/relu-mlp64.js';

const moons = makeMoons(64, new Random(1), { noise: 0.1 });
const labels = (scale: number) => Float64Array.from(moons.y, (c) => scale * (2 * c - 1));

describe('the float64 reference network', () => {
  it('its gradient and exact Hessian agree with central differences', () => {
    const net = new ReluMlp(2, 8, moons.x.slice(0, 16), labels(1).slice(0, 8));
    const theta = net.init(3);
    const g = net.gradient(theta);
    const hess = net.hessian(theta);
    const h = 1e-6;
    for (let p = 0; p < net.size; p++) {
      const up = Float64Array.from(theta);
      const down = Float64Array.from(theta);
      up[p]! += h;
      down[p]! -= h;
      expect(Math.abs((net.loss(up) - net.loss(down)) / (2 * h) - g[p]!)).toBeLessThan(1e-7);
      const gu = net.gradient(up);
      const gd = net.gradient(down);
      for (let q = 0; q < net.size; q++) expect(Math.abs((gu[q]! - gd[q]!) / (2 * h) - hess[q * net.size + p]!)).toBeLessThan(1e-6);
    }
  });
});

describe('Two Moons ReLU MLP 2-16-1 at random initialization', () => {
  const topTwoByMagnitude = (values: Float64Array) => Array.from(values).sort((a, b) => Math.abs(b) - Math.abs(a)).slice(0, 2);

  it.each([1, 2, 3])('Lanczos: the top eigenvalue to 1e-3 in ≤ 30 products; --exact and Hutchinson agree (seed %i)', async (seed) => {
    const net = new ReluMlp(2, 16, moons.x, labels(1));
    const theta = net.init(seed);
    const hess = net.hessian(theta);
    const exact = symmetricEigen(hess, net.size).values;
    const op = new CountingOperator(new DenseOperator(net.size, hess, net.blocks));
    const r = await lanczos(op, { seed, tolerance: 1e-3 });
    expect(op.products).toBeLessThanOrEqual(30);
    expect(r.top[0]!.converged).toBe(true);
    expect(Math.abs(r.top[0]!.value - exact[net.size - 1]!) / Math.abs(exact[net.size - 1]!)).toBeLessThan(1e-3);
    const e = await exactCurvature(new DenseOperator(net.size, hess, net.blocks), net.gradient(theta));
    expect(Math.max(...Array.from(e.eigenvalues, (x, i) => Math.abs(x - exact[i]!)))).toBeLessThan(1e-9);
    expect(e.scalarCurvature! / scalarCurvatureDense(hess, net.gradient(theta))).toBeCloseTo(1, 10);
    const t = await hutchinson(new DenseOperator(net.size, hess, net.blocks), { seed, minProbes: 200, maxProbes: 200 });
    expect(Math.abs(t.trace.value - e.trace)).toBeLessThanOrEqual(4 * t.trace.stdErr);
    t.blocks.forEach((b, i) => expect(Math.abs(b.trace.value - e.blocks[i]!.trace)).toBeLessThanOrEqual(4 * b.trace.stdErr));
  });

  it.each([1, 2])('a ±λ top pair (labels ±10: the residual term dominates): +λ on top, −λ at the bottom, both to 1e-3 in ≤ 30 products (seed %i)', async (seed) => {
    const net = new ReluMlp(2, 16, moons.x, labels(10));
    const hess = net.hessian(net.init(seed, 0.5));
    const exact = symmetricEigen(hess, net.size).values;
    // The fixture: the two largest magnitudes have opposite signs and differ by under 1%.
    const [a, b] = topTwoByMagnitude(exact);
    expect(Math.sign(a!)).toBe(-Math.sign(b!));
    expect(Math.abs(Math.abs(a!) - Math.abs(b!)) / Math.abs(a!)).toBeLessThan(0.01);
    const op = new CountingOperator(new DenseOperator(net.size, hess));
    const r = await lanczos(op, { seed, tolerance: 1e-3 });
    expect(op.products).toBeLessThanOrEqual(30);
    expect(r.top[0]!.converged && r.bottom[0]!.converged).toBe(true);
    expect(Math.abs(r.top[0]!.value - exact[net.size - 1]!) / exact[net.size - 1]!).toBeLessThan(1e-3);
    expect(Math.abs(r.bottom[0]!.value - exact[0]!) / Math.abs(exact[0]!)).toBeLessThan(1e-3);
  });
});

describe('batch functional rank', () => {
  const grid = makeMoons(300, new Random(99), { noise: 0.2 });

  it('is exactly d + 1 = 3 when every unit is active on every point (the network is affine on Z)', () => {
    const net = new ReluMlp(2, 8, grid.x, new Float64Array(300));
    const theta = net.init(1);
    for (let j = 0; j < 8; j++) theta[16 + j] = 50; // b1 ≫ |W1·x|: all pre-activations positive
    expect(batchFunctionalRank(net.jacobian(theta), 300, net.size).rank).toBe(3);
  });

  it('is exactly 1 when every unit is dead (only b2 acts)', () => {
    const net = new ReluMlp(2, 8, grid.x, new Float64Array(300));
    const theta = net.init(1);
    for (let j = 0; j < 8; j++) theta[16 + j] = -50;
    expect(batchFunctionalRank(net.jacobian(theta), 300, net.size).rank).toBe(1);
  });

  it('is decided with a wide gap at the NumPy threshold, and never exceeds P − hidden units', () => {
    const net = new ReluMlp(2, 16, grid.x, new Float64Array(300));
    const theta = net.init(2);
    const bound = reluRankBound(net.size, hiddenUnits([2, 16, 1]));
    expect(bound).toBe(65 - 16);
    for (const n of [10, 20, 40, 300]) {
      const r = batchFunctionalRank(net.jacobian(theta, grid.x.slice(0, 2 * n)), n, net.size);
      expect(r.tolerance).toBeCloseTo(r.singularValues[0]! * Math.max(n, net.size) * 2 ** -52, 20);
      expect(r.rank).toBeLessThanOrEqual(Math.min(n, bound));
      // Exact: the kept singular values sit orders of magnitude above the threshold, the
      // dropped ones below it (here σ_r ≥ 1e-3·σ_1-ish, σ_{r+1} at rounding level).
      expect(r.singularValues[r.rank - 1]! / r.tolerance).toBeGreaterThan(1e6);
      if (r.rank < r.singularValues.length) expect(r.singularValues[r.rank]! / r.tolerance).toBeLessThan(0.1);
    }
    // Ten generic points: full row rank.
    expect(batchFunctionalRank(net.jacobian(theta, grid.x.slice(0, 20)), 10, net.size).rank).toBe(10);
  });
});

describe("Gegenfurtner's Theorem 4.1 at interpolation solutions", () => {
  // [points N, hidden units, seed]: damped Gauss–Newton from the seed's initialization reaches
  // L < 1e-24 on these (checked below); N < P − hidden, so r = N.
  const trained: [number, number, number][] = [[6, 8, 6], [8, 12, 1], [8, 12, 2], [8, 12, 3], [12, 16, 2]];

  const check = (n: number, h: number, seed: number) => {
    const data = makeMoons(n, new Random(10 + seed), { noise: 0.1 });
    const net = new ReluMlp(2, h, data.x, Float64Array.from(data.y, (c) => 2 * c - 1));
    const theta = net.train(net.init(seed), 1e-26, 200);
    const hess = net.hessian(theta);
    const gradient = net.gradient(theta);
    const rank = batchFunctionalRank(net.jacobian(theta), n, net.size).rank;
    const result = checkTheorem41({ eigenvalues: symmetricEigen(hess, net.size).values, rank, scalarCurvature: scalarCurvatureDense(hess, gradient) });
    return { net, theta, hess, gradient, rank, result };
  };
  const holds = (t: TheoremCheck, id: string) => t.checks.find((c) => c.id === id)!.holds;

  it.each(trained)('N = %i, h = %i, seed %i: what the proof establishes holds; the hypothesis rank(H) = r is met', (n, h, seed) => {
    const { net, theta, gradient, rank, result } = check(n, h, seed);
    expect(net.loss(theta)).toBeLessThan(1e-24);
    expect(Math.hypot(...gradient)).toBeLessThan(1e-10);
    expect(rank).toBe(n);
    expect(result.hessianRank).toBe(rank);
    expect(result.negativeEigenvalues).toBe(0);
    expect(result.curvature / result.interpolationCurvature).toBeCloseTo(1, 10);
    for (const id of ['P1', 'Q1', 'Q2', 'C1', 'C2']) expect(holds(result, id)).toBe(true);
  });

  it('the scalar curvature estimator lands within 4 standard errors of K on a trained network', async () => {
    const { net, hess, gradient, result } = check(8, 12, 2);
    const k = await estimateScalarCurvature(new DenseOperator(net.size, hess, net.blocks), gradient, { seed: 5, minProbes: 400, maxProbes: 400 });
    expect(Math.abs(k.value - result.curvature)).toBeLessThanOrEqual(4 * k.stdErr);
  });
});
