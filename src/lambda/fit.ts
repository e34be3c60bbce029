// Small fits shared by the λ estimators: the least-squares line (with R²) and the upper
// envelope of points by a linear model. Plain f64 arithmetic on a few dozen points.
import { JetcurveError } from '../errors.js';

export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** Coefficient of determination; 1 for a perfect line, and 1 as well when the data are constant (nothing left to explain). */
  readonly r2: number;
  /** Standard error of the slope (0 for two points). */
  readonly slopeStdError: number;
}

/** Ordinary least squares y ≈ intercept + slope·x. */
export function fitLine(x: readonly number[], y: readonly number[]): LineFit {
  const n = x.length;
  if (n < 2 || y.length !== n) throw new JetcurveError(`a line needs at least two points (got ${n})`, 'give a wider order range');
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
    syy += (y[i]! - my) ** 2;
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const ssRes = Math.max(0, syy - slope * sxy);
  const r2 = syy > 0 ? 1 - ssRes / syy : 1;
  const slopeStdError = n > 2 ? Math.sqrt(ssRes / (n - 2) / sxx) : 0;
  return { slope, intercept, r2, slopeStdError };
}

/**
 * The upper envelope of points (x_i, y_i) by a model y = Σ_j p_j·basis_j(x): the parameters
 * that minimise Σ_i (model(x_i) − y_i) subject to model(x_i) ≥ y_i for every i. It is a linear
 * program in p whose optimum sits on a vertex where `basis.length` constraints are tight; with
 * a few dozen points and at most three parameters, trying every such set is fast and exact.
 * Why an envelope and not least squares: oscillating series (complex-conjugate singularities)
 * dip far below their envelope A·n^κ·R⁻ⁿ wherever cos(nθ+φ) ≈ 0, which drags a least-squares
 * line down and tilts it; the dips never reach above the envelope.
 */
export function upperEnvelope(x: readonly number[], y: readonly number[], basis: readonly ((x: number) => number)[]):
  { params: number[]; touching: number[] } | null {
  const m = basis.length;
  const n = x.length;
  if (n < m) return null;
  const rows = x.map((xi) => basis.map((b) => b(xi)));
  const mean = basis.map((_, j) => rows.reduce((s, r) => s + r[j]!, 0) / n);
  let best: { params: number[]; touching: number[]; cost: number } | null = null;
  const scale = Math.max(1, ...y.map(Math.abs));
  const tolerance = 1e-9 * scale;
  const choose = (start: number, chosen: number[]): void => {
    if (chosen.length === m) {
      const p = solve(chosen.map((i) => rows[i]!), chosen.map((i) => y[i]!));
      if (!p) return;
      for (let i = 0; i < n; i++) if (dot(rows[i]!, p) < y[i]! - tolerance) return;
      const cost = dot(mean, p);
      if (!best || cost < best.cost - tolerance) best = { params: p, touching: chosen.map((i) => x[i]!), cost };
      return;
    }
    for (let i = start; i < n; i++) choose(i + 1, [...chosen, i]);
  };
  choose(0, []);
  return best === null ? null : { params: (best as { params: number[] }).params, touching: (best as { touching: number[] }).touching };
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Gaussian elimination with partial pivoting; null when the system is (nearly) singular. */
export function solve(a: readonly (readonly number[])[], b: readonly number[]): number[] | null {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    const pivotRow = m[p]!;
    const rowScale = Math.max(...pivotRow.slice(0, n).map(Math.abs));
    if (!(Math.abs(pivotRow[c]!) > 1e-12 * rowScale)) return null;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  return m.map((row, i) => row[n]! / row[i]!);
}

/**
 * Least squares y ≈ Σ_j p_j·basis_j(x) by modified Gram–Schmidt on the design matrix (the
 * bases 1, n, log n, n·log n over n = 30..60 are nearly collinear: normal equations would
 * square their condition number). Null when the design is rank-deficient.
 */
export function fitLeastSquares(x: readonly number[], y: readonly number[], basis: readonly ((x: number) => number)[]):
  { params: number[]; rms: number } | null {
  const m = basis.length;
  const n = x.length;
  if (n < m) return null;
  const q = basis.map((b) => x.map(b));
  const r = Array.from({ length: m }, () => new Array<number>(m).fill(0));
  for (let j = 0; j < m; j++) {
    const v = q[j]!;
    for (let i = 0; i < j; i++) {
      const qi = q[i]!;
      const d = qi.reduce((s, a, k) => s + a * v[k]!, 0);
      r[i]![j] = d;
      for (let k = 0; k < n; k++) v[k]! -= d * qi[k]!;
    }
    const norm = Math.hypot(...v);
    const colNorm = Math.hypot(...x.map(basis[j]!));
    if (!(norm > 1e-13 * colNorm)) return null;
    r[j]![j] = norm;
    for (let k = 0; k < n; k++) v[k]! /= norm;
  }
  const qty = q.map((col) => col.reduce((s, a, k) => s + a * y[k]!, 0));
  const params = new Array<number>(m).fill(0);
  for (let j = m - 1; j >= 0; j--) {
    let s = qty[j]!;
    for (let i = j + 1; i < m; i++) s -= r[j]![i]! * params[i]!;
    params[j] = s / r[j]![j]!;
  }
  let ss = 0;
  for (let k = 0; k < n; k++) {
    const f = basis.reduce((s, b, j) => s + b(x[k]!) * params[j]!, 0);
    ss += (y[k]! - f) ** 2;
  }
  return { params, rms: Math.sqrt(ss / n) };
}
