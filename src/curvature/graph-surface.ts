// The curvature of the graph {(x, f(x))} of a function f: ℝⁿ → ℝ given as an expression, from
// the engine's jets: along a direction d, c₁ = ∇f·d and c₂ = ½·dᵀHd. The pure directions eᵢ give
// the gradient and the diagonal of H, the sums eᵢ + eⱼ the off-diagonal by polarization,
// H_ij = c₂(eᵢ + eⱼ) − c₂(eᵢ) − c₂(eⱼ). K is then the same formula as for a loss landscape
// (scalarCurvatureDense): the analytic surfaces of the curvature papers test that formula and
// the jets that feed it in one go.
import { compileExpression } from '../expr/expression.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { scalarCurvatureDense } from './scalar-curvature.js';

export interface GraphCurvature {
  readonly dimension: number;
  readonly points: number;
  /** f at every point. */
  readonly values: Float64Array;
  /** Row-major [point][i]. */
  readonly gradients: Float64Array;
  /** Row-major [point][i][j], symmetric. */
  readonly hessians: Float64Array;
  /** tr(H) at every point. */
  readonly traces: Float64Array;
  /** Scalar curvature of the graph at every point. */
  readonly curvatures: Float64Array;
  /** Jet rows evaluated: points × n(n+1)/2. */
  readonly rows: number;
}

/** The directions of one point: e₁ … eₙ, then eᵢ + eⱼ for i < j (in that order). */
function polarizationDirections(n: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let i = 0; i < n; i++) {
    const d = new Float64Array(n);
    d[i] = 1;
    out.push(d);
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const d = new Float64Array(n);
      d[i] = 1;
      d[j] = 1;
      out.push(d);
    }
  }
  return out;
}

/** Gradient, Hessian, trace and scalar curvature of the graph of `expression` at `points` (row-major [point][n]). */
export async function graphCurvature(engine: Engine, expression: string, dimension: number, points: ArrayLike<number>): Promise<GraphCurvature> {
  if (points.length === 0 || points.length % dimension !== 0) {
    throw new JetcurveError(`${points.length} numbers are not a whole number of points in ${dimension} dimensions`, `give each point ${dimension} coordinates`);
  }
  const expr = compileExpression(expression, { dimension });
  const n = dimension;
  const count = points.length / n;
  const directions = polarizationDirections(n);
  const perPoint = directions.length;
  const rowPoints = new Float64Array(count * perPoint * n);
  const rowDirections = new Float64Array(count * perPoint * n);
  for (let p = 0; p < count; p++) {
    for (let r = 0; r < perPoint; r++) {
      const at = (p * perPoint + r) * n;
      for (let i = 0; i < n; i++) rowPoints[at + i] = points[p * n + i]!;
      rowDirections.set(directions[r]!, at);
    }
  }
  const jets = await expr.jets(engine, { points: rowPoints, directions: rowDirections, order: 2 });
  if (!jets.converged) {
    throw new JetcurveError(`the jets of ${expression} overflow at ${jets.badRows.length} row(s)`, 'keep the points inside the domain of the function, away from its singularities');
  }
  // Coefficients are [row][k][1] with k = 0, 1, 2.
  const c = (p: number, r: number, k: number) => jets.coefficients[(p * perPoint + r) * 3 + k]!;
  const values = new Float64Array(count);
  const gradients = new Float64Array(count * n);
  const hessians = new Float64Array(count * n * n);
  const traces = new Float64Array(count);
  const curvatures = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    values[p] = c(p, 0, 0);
    const g = gradients.subarray(p * n, (p + 1) * n);
    const h = hessians.subarray(p * n * n, (p + 1) * n * n);
    for (let i = 0; i < n; i++) {
      g[i] = c(p, i, 1);
      h[i * n + i] = 2 * c(p, i, 2);
    }
    let r = n;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++, r++) {
        const hij = c(p, r, 2) - c(p, i, 2) - c(p, j, 2);
        h[i * n + j] = hij;
        h[j * n + i] = hij;
      }
    }
    let trace = 0;
    for (let i = 0; i < n; i++) trace += h[i * n + i]!;
    traces[p] = trace;
    curvatures[p] = scalarCurvatureDense(h, g);
  }
  return { dimension: n, points: count, values, gradients, hessians, traces, curvatures, rows: count * perPoint };
}
