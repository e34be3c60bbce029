// The float64 CPU reference: the oracle of the tests. Small, obvious and slow on purpose; it
// uses the same jet layout as the GPU (src/jet/layout.ts) so results compare index by index.
import { featureCount, jetLength, type JetShape } from '../jet/layout.js';

export interface Jet64 extends JetShape {
  readonly data: Float64Array;
}

export function jet64(rows: number, order: number, shape: readonly number[], data?: Float64Array): Jet64 {
  const j = { rows, order, shape };
  const n = jetLength(j);
  if (data && data.length !== n) throw new Error(`reference jet needs ${n} values, got ${data.length}`);
  return { ...j, data: data ?? new Float64Array(n) };
}

/** Coefficients c_0..c_K of one (row, feature) series. */
export function series(j: Jet64, row: number, feature: number): Float64Array {
  const F = featureCount(j.shape);
  const out = new Float64Array(j.order + 1);
  for (let k = 0; k <= j.order; k++) out[k] = j.data[(row * (j.order + 1) + k) * F + feature]!;
  return out;
}

/** Applies a series -> series map to every (row, feature) of a jet. */
export function mapSeries(x: Jet64, f: (c: Float64Array) => Float64Array, shape: readonly number[] = x.shape): Jet64 {
  const y = jet64(x.rows, x.order, shape);
  const F = featureCount(x.shape);
  for (let row = 0; row < x.rows; row++) {
    for (let feature = 0; feature < F; feature++) {
      const c = f(series(x, row, feature));
      for (let k = 0; k <= x.order; k++) y.data[(row * (x.order + 1) + k) * F + feature] = c[k]!;
    }
  }
  return y;
}

/** Elementwise binary map over two jets of the same shape. */
export function zipSeries(a: Jet64, b: Jet64, f: (x: Float64Array, y: Float64Array) => Float64Array): Jet64 {
  const y = jet64(a.rows, a.order, a.shape);
  const F = featureCount(a.shape);
  for (let row = 0; row < a.rows; row++) {
    for (let feature = 0; feature < F; feature++) {
      const c = f(series(a, row, feature), series(b, row, feature));
      for (let k = 0; k <= a.order; k++) y.data[(row * (a.order + 1) + k) * F + feature] = c[k]!;
    }
  }
  return y;
}

// ---- series arithmetic (normalized coefficients) ----

/** Cauchy product: (x·y)_k = Σ_j x_j y_{k-j}. */
export function mulSeries(x: Float64Array, y: Float64Array): Float64Array {
  const K = x.length - 1;
  const z = new Float64Array(K + 1);
  for (let k = 0; k <= K; k++) for (let j = 0; j <= k; j++) z[k]! += x[j]! * y[k - j]!;
  return z;
}

/**
 * y = g(x) where g' = h(g)·… : the shared recurrence of the ODE-defined functions. Given the
 * derivative series d = dg/dx ∘ x (as far as known), k·y_k = Σ_{j=1..k} j·x_j·d_{k-j}.
 */
export function chainStep(x: Float64Array, d: Float64Array, k: number): number {
  let s = 0;
  for (let j = 1; j <= k; j++) s += j * x[j]! * d[k - j]!;
  return s / k;
}

export function tanhSeries(x: Float64Array): Float64Array {
  const K = x.length - 1;
  const y = new Float64Array(K + 1);
  const z = new Float64Array(K + 1); // 1 - y²
  y[0] = Math.tanh(x[0]!);
  z[0] = 1 / Math.cosh(x[0]!) ** 2; // not 1 - y²: that is 0 in f64 once |x_0| > 19
  for (let k = 1; k <= K; k++) {
    y[k] = chainStep(x, z, k);
    let q = 0;
    for (let j = 0; j <= k; j++) q += y[j]! * y[k - j]!;
    z[k] = -q;
  }
  return y;
}

export const tanh64 = (x: Jet64): Jet64 => mapSeries(x, tanhSeries);

/**
 * Dense layer with weights that may be jets: weight [J+1][out][in], bias [J+1][out];
 * y_k = Σ_{j ≤ min(k, J)} W_j·x_{k-j} + b_k.
 */
export function dense64(x: Jet64, weight: Float64Array, bias: Float64Array, inputs: number, outputs: number, weightOrder = 0): Jet64 {
  const y = jet64(x.rows, x.order, [outputs]);
  const K = x.order;
  for (let row = 0; row < x.rows; row++) {
    for (let k = 0; k <= K; k++) {
      for (let o = 0; o < outputs; o++) {
        let s = 0;
        for (let j = 0; j <= Math.min(k, weightOrder); j++) {
          const xBase = (row * (K + 1) + (k - j)) * inputs;
          const wBase = (j * outputs + o) * inputs;
          for (let i = 0; i < inputs; i++) s += weight[wBase + i]! * x.data[xBase + i]!;
        }
        if (k <= weightOrder) s += bias[k * outputs + o]!;
        y.data[(row * (K + 1) + k) * outputs + o] = s;
      }
    }
  }
  return y;
}
