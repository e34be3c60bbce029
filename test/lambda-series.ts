// Float64 Taylor series of t ↦ f(x0 + t) for the λ tests: known functions written with the
// standard recurrences on normalized coefficients. Independent of the GPU engine and of
// src/expr, so the estimators are tested on exact (to f64) inputs.
import { mulSeries, tanhSeries } from '../src/reference/jet64.js';

export type Series = Float64Array;

export const variable = (x0: number, K: number): Series => {
  const s = new Float64Array(K + 1);
  s[0] = x0;
  if (K >= 1) s[1] = 1;
  return s;
};
export const constant = (c: number, K: number): Series => {
  const s = new Float64Array(K + 1);
  s[0] = c;
  return s;
};
export const add = (a: Series, b: Series): Series => a.map((v, i) => v + b[i]!);
export const scale = (a: Series, c: number): Series => a.map((v) => v * c);
export const addConst = (a: Series, c: number): Series => a.map((v, i) => (i === 0 ? v + c : v));
export const mul = mulSeries;

export function div(a: Series, b: Series): Series {
  const q = new Float64Array(a.length);
  for (let k = 0; k < a.length; k++) {
    let s = a[k]!;
    for (let j = 1; j <= k; j++) s -= b[j]! * q[k - j]!;
    q[k] = s / b[0]!;
  }
  return q;
}

export function exp(a: Series): Series {
  const y = new Float64Array(a.length);
  y[0] = Math.exp(a[0]!);
  for (let k = 1; k < a.length; k++) {
    let s = 0;
    for (let j = 1; j <= k; j++) s += j * a[j]! * y[k - j]!;
    y[k] = s / k;
  }
  return y;
}

export function log(a: Series): Series {
  const y = new Float64Array(a.length);
  y[0] = Math.log(a[0]!);
  for (let k = 1; k < a.length; k++) {
    let s = k * a[k]!;
    for (let j = 1; j < k; j++) s -= j * y[j]! * a[k - j]!;
    y[k] = s / (k * a[0]!);
  }
  return y;
}

export function sinCos(a: Series): [Series, Series] {
  const s = new Float64Array(a.length);
  const c = new Float64Array(a.length);
  s[0] = Math.sin(a[0]!);
  c[0] = Math.cos(a[0]!);
  for (let k = 1; k < a.length; k++) {
    let ss = 0;
    let cc = 0;
    for (let j = 1; j <= k; j++) {
      ss += j * a[j]! * c[k - j]!;
      cc -= j * a[j]! * s[k - j]!;
    }
    s[k] = ss / k;
    c[k] = cc / k;
  }
  return [s, c];
}

/** a^p for real p (a_0 > 0): a·y' = p·y·a'. */
export function pow(a: Series, p: number): Series {
  const y = new Float64Array(a.length);
  y[0] = a[0]! ** p;
  for (let k = 1; k < a.length; k++) {
    let s = 0;
    for (let j = 1; j <= k; j++) s += (p * j - (k - j)) * a[j]! * y[k - j]!;
    y[k] = s / (k * a[0]!);
  }
  return y;
}

export function atan(a: Series): Series {
  const d = div(derivative(a), addConst(mul(a, a), 1));
  return integrate(d, Math.atan(a[0]!));
}

export const tanh = tanhSeries;

export function derivative(a: Series): Series {
  const d = new Float64Array(a.length);
  for (let k = 0; k + 1 < a.length; k++) d[k] = (k + 1) * a[k + 1]!;
  return d;
}

export function integrate(a: Series, c0: number): Series {
  const y = new Float64Array(a.length);
  y[0] = c0;
  for (let k = 1; k < a.length; k++) y[k] = a[k - 1]! / k;
  return y;
}

/** 1 / Π (x − p)(x − p̄) over complex poles p = re + i·im: a rational function with conjugate pole pairs. */
export function conjugatePoles(x0: number, K: number, poles: readonly (readonly [number, number])[]): Series {
  let den = constant(1, K);
  for (const [re, im] of poles) {
    const x = variable(x0, K);
    const q = addConst(mul(addConst(x, -re), addConst(x, -re)), im * im);
    den = mul(den, q);
  }
  return div(constant(1, K), den);
}
