// Float64 reference of the elementwise jet ops (tanh and the shared helpers live in jet64.ts).
// Each xxxSeries maps the coefficients c_0..c_K of one series to those of the result; the
// recurrences are the plain ones, written out as in the shader comments.
import { chainStep, mapSeries, mulSeries, zipSeries, type Jet64 } from './jet64.js';

export function addSeries(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, k) => v + b[k]!);
}

export function subSeries(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, k) => v - b[k]!);
}

/** a/b: b·z = a, so z_k = (a_k - Σ_{j=1..k} b_j z_{k-j}) / b_0. */
export function divSeries(a: Float64Array, b: Float64Array): Float64Array {
  const z = new Float64Array(a.length);
  for (let k = 0; k < a.length; k++) {
    let s = a[k]!;
    for (let j = 1; j <= k; j++) s -= b[j]! * z[k - j]!;
    z[k] = s / b[0]!;
  }
  return z;
}

export function reciprocalSeries(x: Float64Array): Float64Array {
  const one = new Float64Array(x.length);
  one[0] = 1;
  return divSeries(one, x);
}

/** y' = y·x'. */
export function expSeries(x: Float64Array): Float64Array {
  const y = new Float64Array(x.length);
  y[0] = Math.exp(x[0]!);
  for (let k = 1; k < x.length; k++) y[k] = chainStep(x, y, k);
  return y;
}

/** y' = x'/x: d = 1/x is the derivative series. */
export function logSeries(x: Float64Array): Float64Array {
  const d = reciprocalSeries(x);
  const y = new Float64Array(x.length);
  y[0] = Math.log(x[0]!);
  for (let k = 1; k < x.length; k++) y[k] = chainStep(x, d, k);
  return y;
}

/** s' = c·x', c' = -s·x'. Returns [sin, cos]. */
export function sinCosSeries(x: Float64Array): [Float64Array, Float64Array] {
  const s = new Float64Array(x.length);
  const c = new Float64Array(x.length);
  s[0] = Math.sin(x[0]!);
  c[0] = Math.cos(x[0]!);
  for (let k = 1; k < x.length; k++) {
    s[k] = chainStep(x, c, k);
    c[k] = -chainStep(x, s, k);
  }
  return [s, c];
}

/** y·y = x: 2·y_0·y_k = x_k - Σ_{j=1..k-1} y_j y_{k-j}. */
export function sqrtSeries(x: Float64Array): Float64Array {
  const y = new Float64Array(x.length);
  y[0] = Math.sqrt(x[0]!);
  for (let k = 1; k < x.length; k++) {
    let s = x[k]!;
    for (let j = 1; j < k; j++) s -= y[j]! * y[k - j]!;
    y[k] = s / (2 * y[0]!);
  }
  return y;
}

/** y' = z·x' with z = y(1 - y); z_0 = 1/(4·cosh²(x_0/2)) keeps its precision where y(1 - y) cancels. */
export function sigmoidSeries(x: Float64Array): Float64Array {
  const y = new Float64Array(x.length);
  const z = new Float64Array(x.length);
  y[0] = 1 / (1 + Math.exp(-x[0]!));
  z[0] = 1 / (4 * Math.cosh(x[0]! / 2) ** 2);
  for (let k = 1; k < x.length; k++) {
    y[k] = chainStep(x, z, k);
    let q = 0;
    for (let j = 0; j <= k; j++) q += y[j]! * y[k - j]!;
    z[k] = y[k]! - q;
  }
  return y;
}

/** The one-sided derivative: keep the jet if its first nonzero coefficient is positive. */
export function reluSeries(x: Float64Array): Float64Array {
  const lead = x.find((v) => v !== 0) ?? 0;
  return lead > 0 ? Float64Array.from(x) : new Float64Array(x.length);
}

/** x^n by n-fold products (and 1/x^|n| for n < 0): slow and obviously right. */
export function powiSeries(x: Float64Array, n: number): Float64Array {
  let p: Float64Array = new Float64Array(x.length);
  p[0] = 1;
  for (let i = 0; i < Math.abs(n); i++) p = mulSeries(p, x);
  return n < 0 ? reciprocalSeries(p) : p;
}

export const add64 = (a: Jet64, b: Jet64): Jet64 => zipSeries(a, b, addSeries);
export const sub64 = (a: Jet64, b: Jet64): Jet64 => zipSeries(a, b, subSeries);
export const scale64 = (x: Jet64, s: number): Jet64 => mapSeries(x, (c) => c.map((v) => s * v));
export const mul64 = (a: Jet64, b: Jet64): Jet64 => zipSeries(a, b, mulSeries);
export const div64 = (a: Jet64, b: Jet64): Jet64 => zipSeries(a, b, divSeries);
export const reciprocal64 = (x: Jet64): Jet64 => mapSeries(x, reciprocalSeries);
export const exp64 = (x: Jet64): Jet64 => mapSeries(x, expSeries);
export const log64 = (x: Jet64): Jet64 => mapSeries(x, logSeries);
export const sin64 = (x: Jet64): Jet64 => mapSeries(x, (c) => sinCosSeries(c)[0]);
export const cos64 = (x: Jet64): Jet64 => mapSeries(x, (c) => sinCosSeries(c)[1]);
export const sqrt64 = (x: Jet64): Jet64 => mapSeries(x, sqrtSeries);
export const sigmoid64 = (x: Jet64): Jet64 => mapSeries(x, sigmoidSeries);
export const relu64 = (x: Jet64): Jet64 => mapSeries(x, reluSeries);
export const powi64 = (x: Jet64, n: number): Jet64 => mapSeries(x, (c) => powiSeries(c, n));
