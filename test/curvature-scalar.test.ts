// Scalar curvature of a graph hypersurface K = β(tr(H)² − tr(H²)) + 2β²(gᵀH²g − tr(H)·gᵀHg):
// geometry checks with closed forms (hemisphere n(n−1), saddle −8/(1+4x²+4y²)², Pouplin's
// surface e^{−cu}·sin u·sin v), an independent Gauss-equation computation, and the
// stochastic estimator (unbiased, within 4 standard errors) against the dense exact value.
import { describe, expect, it } from 'vitest';
import { exactCurvature, denseHessian } from '../src/curvature/dense-hessian.js';
import { CountingOperator, DenseOperator, restrictToBlock, type ParameterBlock } from '../src/curvature/operator.js';
import { estimateScalarCurvature, scalarCurvatureByBlock, scalarCurvatureDense } from '../src/curvature/scalar-curvature.js';
import { Random } from '../src/util/random.js';
import { matmul, mlpLikeSpectrum, sorted, trace, withSpectrum } from './curvature-matrices.js';

describe('geometry: graphs with known scalar curvature', () => {
  it.each([2, 3, 5, 8])('the unit hemisphere in ℝ^%i+1 has K = n(n−1) everywhere', (n) => {
    // f(x) = √(1 − |x|²): ∇f = −x/f, ∇²f = −I/f − x·xᵀ/f³.
    const random = new Random(n);
    for (let trial = 0; trial < 10; trial++) {
      const x = random.unitVector(n).map((c) => c * 0.9 * random.uniform());
      const r2 = x.reduce((s, c) => s + c * c, 0);
      const f = Math.sqrt(1 - r2);
      const g = x.map((c) => -c / f);
      const h = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) h[i * n + j] = -(i === j ? 1 / f : 0) - (x[i]! * x[j]!) / f ** 3;
      expect(scalarCurvatureDense(h, g)).toBeCloseTo(n * (n - 1), 9);
    }
  });

  it('the saddle x² − y² has K = −8/(1 + 4x² + 4y²)²', () => {
    for (let x = -1.5; x <= 1.5; x += 0.25) {
      for (let y = -1.5; y <= 1.5; y += 0.25) {
        const k = scalarCurvatureDense([2, 0, 0, -2], [2 * x, -2 * y]);
        expect(k).toBeCloseTo(-8 / (1 + 4 * x * x + 4 * y * y) ** 2, 13);
      }
    }
  });

  it('agrees with the Gauss equation written with the inverse metric (random g, H)', () => {
    // R = β·[(tr A)² − tr(A²)] with A = G⁻¹H, G⁻¹ = I − β·g·gᵀ: a different route to the same K.
    const random = new Random(3);
    for (const n of [2, 4, 7]) {
      const hRaw = random.normals(n * n);
      const h = Float64Array.from(hRaw, (_, k) => (hRaw[k]! + hRaw[(k % n) * n + Math.floor(k / n)]!) / 2);
      const g = random.normals(n, 0.7);
      const beta = 1 / (1 + g.reduce((s, c) => s + c * c, 0));
      const ginv = Float64Array.from({ length: n * n }, (_, k) => (k % (n + 1) === 0 ? 1 : 0) - beta * g[Math.floor(k / n)]! * g[k % n]!);
      const a = matmul(ginv, h, n, n, n);
      const a2 = matmul(a, a, n, n, n);
      expect(scalarCurvatureDense(h, g)).toBeCloseTo(beta * (trace(a, n) ** 2 - trace(a2, n)), 11);
    }
  });
});

describe("Pouplin's surface f(u, v) = e^{−cu}·sin u·sin v, c = 0.1", () => {
  const c = 0.1;
  const f = (u: number, v: number) => Math.exp(-c * u) * Math.sin(u) * Math.sin(v);
  // Derived by hand: f_u = e^{−cu}(cos u − c sin u) sin v, f_v = e^{−cu} sin u cos v,
  // f_uu = e^{−cu}(−2c cos u + (c² − 1) sin u) sin v, f_vv = −f, f_uv = e^{−cu}(cos u − c sin u) cos v.
  const derivatives = (u: number, v: number) => {
    const e = Math.exp(-c * u);
    const [su, cu, sv, cv] = [Math.sin(u), Math.cos(u), Math.sin(v), Math.cos(v)];
    const grad = [e * (cu - c * su) * sv, e * su * cv];
    const fuv = e * (cu - c * su) * cv;
    const hess = [e * (-2 * c * cu + (c * c - 1) * su) * sv, fuv, fuv, -e * su * sv];
    return { grad, hess };
  };
  // The paper's closed forms. Its trace reads "−2u cos(u)" where the derivation gives −2c·cos u,
  // and its S, as printed, has lost the factor e^{2cu}, three squares and the outer square of
  // the denominator; restored, it equals 2·det(H)/(1 + |∇f|²)², the 2-D Gauss curvature × 2.
  const traceClosed = (u: number, v: number) => Math.exp(-c * u) * (-2 * c * Math.cos(u) + (c * c - 2) * Math.sin(u)) * Math.sin(v);
  const curvatureClosed = (u: number, v: number) => {
    const [su, cu, sv, cv] = [Math.sin(u), Math.cos(u), Math.sin(v), Math.cos(v)];
    const num = (c * c - 1) * Math.cos(2 * u) - Math.cos(2 * v) - c * (c - 2 * Math.sin(2 * u));
    const den = Math.exp(2 * c * u) + cv ** 2 * su ** 2 + (cu - c * su) ** 2 * sv ** 2;
    return (Math.exp(2 * c * u) * num) / den ** 2;
  };
  const grid: [number, number][] = [];
  for (let u = 0; u <= 12; u += 0.4) for (let v = -3; v <= 3; v += 0.3) grid.push([u, v]);

  it('the trace and K maps from the hand-derived derivatives match the closed forms', () => {
    for (const [u, v] of grid) {
      const { grad, hess } = derivatives(u, v);
      expect(hess[0]! + hess[3]!).toBeCloseTo(traceClosed(u, v), 12);
      expect(scalarCurvatureDense(hess, grad)).toBeCloseTo(curvatureClosed(u, v), 12);
    }
  });

  it('the maps from f alone (central differences) match the closed forms to 1e-4', () => {
    const h = 1e-4;
    for (const [u, v] of grid) {
      const grad = [(f(u + h, v) - f(u - h, v)) / (2 * h), (f(u, v + h) - f(u, v - h)) / (2 * h)];
      const fuu = (f(u + h, v) - 2 * f(u, v) + f(u - h, v)) / h ** 2;
      const fvv = (f(u, v + h) - 2 * f(u, v) + f(u, v - h)) / h ** 2;
      const fuv = (f(u + h, v + h) - f(u + h, v - h) - f(u - h, v + h) + f(u - h, v - h)) / (4 * h * h);
      expect(Math.abs(fuu + fvv - traceClosed(u, v))).toBeLessThan(1e-4);
      expect(Math.abs(scalarCurvatureDense([fuu, fuv, fuv, fvv], grad) - curvatureClosed(u, v))).toBeLessThan(1e-4);
    }
  });

  it('the printed trace formula (−2u cos u) is not the trace of this f', () => {
    const printed = (u: number, v: number) => Math.exp(-c * u) * (-2 * u * Math.cos(u) + (c * c - 2) * Math.sin(u)) * Math.sin(v);
    const { hess } = derivatives(2, 1);
    expect(Math.abs(printed(2, 1) - (hess[0]! + hess[3]!))).toBeGreaterThan(0.1);
  });
});

describe('the scalar curvature estimator on a Hessian-like operator', () => {
  const n = 50;
  const blocks: ParameterBlock[] = [{ name: 'w1', offset: 0, size: 30 }, { name: 'w2', offset: 30, size: 20 }];
  const spectrum = mlpLikeSpectrum(n, [3, 1.5, 0.8, -0.4], 11);
  const a = withSpectrum(spectrum, 12);
  const gradient = new Random(13).normals(n, 0.3);
  const exactK = scalarCurvatureDense(a, gradient);

  it.each([1, 2, 3, 4, 5, 6])('lands within 4 standard errors of the exact K (seed %i)', async (seed) => {
    const op = new CountingOperator(new DenseOperator(n, a, blocks));
    const k = await estimateScalarCurvature(op, gradient, { seed, minProbes: 300, maxProbes: 300 });
    expect(op.products).toBe(301);
    expect(k.products).toBe(301);
    expect(Math.abs(k.value - exactK)).toBeLessThanOrEqual(4 * k.stdErr);
    expect(k.interval95[0]).toBeLessThan(k.value);
    // The gradient terms are exact.
    const ag = matmul(a, gradient, n, n, 1);
    expect(k.gradient.gHg).toBeCloseTo(gradient.reduce((s, x, i) => s + x * ag[i]!, 0), 12);
  });

  it('stops on its own standard error', async () => {
    const k = await estimateScalarCurvature(new DenseOperator(n, a), gradient, { seed: 3, tolerance: 0.5, maxProbes: 20000 });
    expect(k.stdErr).toBeLessThanOrEqual(0.5);
    expect(k.probes).toBeLessThan(20000);
    expect(Math.abs(k.value - exactK)).toBeLessThanOrEqual(4 * k.stdErr);
  });

  it('per block: the curvature of the loss restricted to the block', async () => {
    const byBlock = await scalarCurvatureByBlock(new DenseOperator(n, a, blocks), gradient, { seed: 2, minProbes: 400, maxProbes: 400 });
    for (const b of byBlock) {
      const sub = (await denseHessian(restrictToBlock(new DenseOperator(n, a), b))).matrix;
      const exactBlock = scalarCurvatureDense(sub, gradient.slice(b.offset, b.offset + b.size));
      expect(Math.abs(b.result.value - exactBlock)).toBeLessThanOrEqual(4 * b.result.stdErr);
    }
  });

  it('--exact: dense Hessian from products reproduces the spectrum, traces and K', async () => {
    const e = await exactCurvature(new DenseOperator(n, a, blocks), gradient, 7);
    expect(e.asymmetry).toBe(0);
    expect(Math.max(...Array.from(e.eigenvalues, (x, i) => Math.abs(x - sorted(spectrum)[i]!)))).toBeLessThan(1e-12);
    expect(e.trace).toBeCloseTo(trace(a, n), 11);
    expect(e.traceOfSquare).toBeCloseTo(trace(matmul(a, a, n, n, n), n), 11);
    expect(e.scalarCurvature).toBeCloseTo(exactK, 10);
    const diagonalSum = (b: ParameterBlock) => Array.from({ length: b.size }, (_, i) => a[(b.offset + i) * n + b.offset + i]!).reduce((s, x) => s + x, 0);
    expect(e.blocks.map((b) => b.trace)).toEqual(blocks.map((b) => expect.closeTo(diagonalSum(b), 11)));
  });

  it('--exact reports the asymmetry of a faulty product', async () => {
    const bad = Float64Array.from(a);
    bad[3 * n + 9]! += 0.01;
    const e = await exactCurvature(new DenseOperator(n, bad));
    expect(e.asymmetry).toBeGreaterThan(1e-4);
  });
});
