// The float64 MLP Hessian-vector product (R-operator) for the project's model specs: checked
// against central differences of its own gradient (and of its loss), symmetric, and then used
// as the operator of the estimators on the Two Moons MLP 2-64-64-2 (P = 4482): Lanczos finds the
// top eigenvalue to 1e-3 in ≤ 30 products, and `--exact` on a smaller MLP agrees with a
// finite-difference Hessian to 1e-3 (trace, tr(H²), top eigenvalues) and 1e-2 (K).
import { describe, expect, it } from 'vitest';
import { checkOperator } from '../src/curvature/checks.js';
import { denseHessian, exactCurvature } from '../src/curvature/dense-hessian.js';
import { lanczos } from '../src/curvature/lanczos.js';
import { mlpLoss } from '../src/curvature/mlp64.js';
import { batchFunctionalRank, hiddenUnits, reluRankBound } from '../src/curvature/functional-dimension.js';
import { CountingOperator } from '../src/curvature/operator.js';
import { scalarCurvatureDense } from '../src/curvature/scalar-curvature.js';
import { symmetricEigen } from '../src/curvature/symmetric-eigen.js';
import { makeMoons } from '../src/data/moons.js';
import type { ModelSpec } from '../src/model/spec.js';
import { mlp } from '../src/train/architectures.js';
import { Random } from '../src/util/random.js';

const moons = makeMoons(128, new Random(1), { noise: 0.2 });

/** A 2-8-8-2 MLP with the given activation. */
const small = (activation: 'tanh' | 'relu' | 'sigmoid', seed: number): ModelSpec => {
  const spec = mlp([2], 2, seed, [8, 8]).spec;
  return { ...spec, layers: spec.layers.map((l) => (l.type === 'tanh' ? { type: activation } : l)) };
};

describe('float64 MLP Hessian-vector product', () => {
  it.each(['tanh', 'sigmoid', 'relu'] as const)('matches central differences of the gradient (%s)', async (activation) => {
    const spec = small(activation, 3);
    const loss = mlpLoss(spec, moons.x, moons.y);
    const theta = loss.parameters;
    const g = loss.gradient();
    const h = 1e-5;
    // The gradient against differences of the loss, along random directions.
    const random = new Random(4);
    for (let t = 0; t < 3; t++) {
      const v = random.normals(loss.size);
      const at = (s: number) => mlpLoss(spec, moons.x, moons.y, theta.map((x, i) => x + s * v[i]!));
      const directional = (at(h).loss() - at(-h).loss()) / (2 * h);
      expect(directional).toBeCloseTo(g.reduce((s, x, i) => s + x * v[i]!, 0), 7);
      const [hv] = await loss.apply([v]);
      const gp = at(h).gradient();
      const gm = at(-h).gradient();
      const fd = gp.map((x, i) => (x - gm[i]!) / (2 * h));
      const err = Math.hypot(...fd.map((x, i) => x - hv![i]!)) / Math.hypot(...hv!);
      expect(err).toBeLessThan(1e-6);
    }
  });

  it('the dense Hessian from products is symmetric to rounding, with the Network-named blocks', async () => {
    const loss = mlpLoss(small('tanh', 1), moons.x, moons.y);
    expect(loss.blocks.map((b) => b.name)).toEqual(['layer0.weight', 'layer0.bias', 'layer2.weight', 'layer2.bias', 'layer4.weight', 'layer4.bias']);
    expect(loss.size).toBe(2 * 8 + 8 + 8 * 8 + 8 + 8 * 2 + 2);
    const dense = await denseHessian(loss);
    expect(dense.asymmetry).toBeLessThan(1e-13);
    expect((await checkOperator(loss)).ok).toBe(true);
  });

  it('--exact agrees with a finite-difference float64 Hessian: 1e-3 for tr(H), tr(H²) and the top eigenvalues, 1e-2 for K', async () => {
    const spec = small('tanh', 2);
    const loss = mlpLoss(spec, moons.x, moons.y);
    const theta = loss.parameters;
    const n = loss.size;
    const gradient = loss.gradient();
    const exact = await exactCurvature(loss, gradient);
    // Independent: column j of H from central differences of the gradient, symmetrized.
    const h = 1e-5;
    const fd = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      const shift = (s: number) => mlpLoss(spec, moons.x, moons.y, theta.map((x, i) => (i === j ? x + s : x))).gradient();
      const gp = shift(h);
      const gm = shift(-h);
      for (let i = 0; i < n; i++) fd[i * n + j] = (gp[i]! - gm[i]!) / (2 * h);
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) fd[i * n + j] = fd[j * n + i] = (fd[i * n + j]! + fd[j * n + i]!) / 2;
    const fdValues = symmetricEigen(fd, n).values;
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    expect(rel(exact.trace, fdValues.reduce((s, x) => s + x, 0))).toBeLessThan(1e-3);
    expect(rel(exact.traceOfSquare, fdValues.reduce((s, x) => s + x * x, 0))).toBeLessThan(1e-3);
    for (let k = 1; k <= 3; k++) expect(rel(exact.eigenvalues[n - k]!, fdValues[n - k]!)).toBeLessThan(1e-3);
    expect(rel(exact.scalarCurvature!, scalarCurvatureDense(fd, gradient))).toBeLessThan(1e-2);
  });
});

describe('the output Jacobian J_Z and the functional rank', () => {
  it('J_Z matches central differences of the outputs, and Jᵀδ is the loss gradient', () => {
    const spec = small('tanh', 5);
    const loss = mlpLoss(spec, moons.x.slice(0, 20), moons.y.slice(0, 10));
    const jac = loss.jacobian();
    const n = loss.size;
    const h = 1e-6;
    for (const j of [0, 7, 30, n - 1]) {
      const up = mlpLoss(spec, moons.x.slice(0, 20), moons.y.slice(0, 10), loss.parameters.map((x, i) => (i === j ? x + h : x))).predict();
      const down = mlpLoss(spec, moons.x.slice(0, 20), moons.y.slice(0, 10), loss.parameters.map((x, i) => (i === j ? x - h : x))).predict();
      up.forEach((u, row) => expect(jac[row * n + j]!).toBeCloseTo((u - down[row]!) / (2 * h), 7));
    }
    // ∇L = Σ_rows δ_row·J_row with δ = (softmax − onehot)/N from the logits.
    const logits = loss.predict();
    const g = new Float64Array(n);
    for (let p = 0; p < 10; p++) {
      const [a, b] = [logits[2 * p]!, logits[2 * p + 1]!];
      const p1 = 1 / (1 + Math.exp(a - b));
      const delta = [1 - p1 - (moons.y[p] === 0 ? 1 : 0), p1 - (moons.y[p] === 1 ? 1 : 0)];
      for (let c = 0; c < 2; c++) for (let i = 0; i < n; i++) g[i]! += (delta[c]! / 10) * jac[(2 * p + c) * n + i]!;
    }
    const grad = loss.gradient();
    g.forEach((x, i) => expect(x).toBeCloseTo(grad[i]!, 12));
  });

  it('a ReLU 2-8-8-2 stays at or below P − hidden units, with the rank decided by a wide gap', () => {
    const grid = makeMoons(300, new Random(7), { noise: 0.2 });
    const loss = mlpLoss(small('relu', 4), grid.x, grid.y);
    const r = batchFunctionalRank(loss.jacobian(), 300 * 2, loss.size);
    expect(r.rank).toBeLessThanOrEqual(reluRankBound(loss.size, hiddenUnits([2, 8, 8, 2])));
    expect(r.singularValues[r.rank - 1]! / r.tolerance).toBeGreaterThan(1e6);
    if (r.rank < r.singularValues.length) expect(r.singularValues[r.rank]! / r.tolerance).toBeLessThan(0.1);
  });
});

describe('Two Moons MLP 2-64-64-2 (P = 4482) at random initialization', () => {
  it.each([1, 2])('Lanczos: the top eigenvalue to 1e-3 in ≤ 30 products (seed %i)', async (seed) => {
    const loss = mlpLoss(mlp([2], 2, seed).spec, moons.x, moons.y);
    expect(loss.size).toBe(4482);
    // Reference: a long run to a residual of 1e-10·max|θ| (the residual bounds the error).
    const reference = await lanczos(loss, { seed: 100 + seed, tolerance: 1e-10, maxProducts: 200, bottom: 0 });
    expect(reference.top[0]!.converged).toBe(true);
    const op = new CountingOperator(loss);
    const r = await lanczos(op, { seed, tolerance: 1e-3, bottom: 0 });
    expect(op.products).toBeLessThanOrEqual(30);
    expect(r.top[0]!.converged).toBe(true);
    expect(Math.abs(r.top[0]!.value - reference.top[0]!.value) / reference.top[0]!.value).toBeLessThan(1e-3);
    expect(r.symmetryDefect).toBeLessThan(1e-10);
  });

  it('a random initialization whose extreme eigenvalues are a ±λ pair (Xavier × 4.6, seed 3): +λ on top and −λ at the bottom, both to 1e-3 in ≤ 30 products', async () => {
    const spec = mlp([2], 2, 3).spec;
    const loss = mlpLoss(spec, moons.x, moons.y, mlpLoss(spec, moons.x, moons.y).parameters.map((x) => 4.6 * x));
    const reference = await lanczos(loss, { seed: 103, tolerance: 1e-10, maxProducts: 200, bottom: 1 });
    const [top, bottom] = [reference.top[0]!, reference.bottom[0]!];
    expect(top.converged && bottom.converged).toBe(true);
    // The fixture: opposite signs, magnitudes within 1% (power iteration would oscillate here).
    expect(Math.abs(Math.abs(bottom.value) - top.value) / top.value).toBeLessThan(0.01);
    expect(bottom.value).toBeLessThan(0);
    const op = new CountingOperator(loss);
    const r = await lanczos(op, { seed: 3, tolerance: 1e-3, bottom: 1 });
    expect(op.products).toBeLessThanOrEqual(30);
    expect(r.top[0]!.converged && r.bottom[0]!.converged).toBe(true);
    expect(Math.abs(r.top[0]!.value - top.value) / top.value).toBeLessThan(1e-3);
    expect(Math.abs(r.bottom[0]!.value - bottom.value) / Math.abs(bottom.value)).toBeLessThan(1e-3);
  });
});
