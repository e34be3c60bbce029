import wgsl from '../shaders/pow.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { expSeries, logSeries } from '../src/reference/elementwise64.js';
import { unaryOp } from './op.js';
import { unaryKernels } from './unary.js';

export const powKernels = unaryKernels({
  name: 'pow', wgsl, preludes: ['math'], uniforms: ['a'], start: 'pow_start', series: ['y'], output: 'y',
  step: (e) => e.set('y', `((params.a + 1.0) * ${e.ode('y')} - ${e.dot('x', 'y', 1, 0)}) / x0`),
  vjp: [{ solve: 'x' }, { correlate: 'y' }, { scale: 'params.a' }],
});

/** x^a for a real a (rounded to f32: it travels as an f32 uniform). Needs x_0 > 0. */
export function pow(x: Jet, a: number): Jet {
  return powKernels.forward(x, { a });
}

/** Reverse mode of pow(x, a) for the output cotangent ȳ: x̄, a new jet. */
export function powVjp(x: Jet, ybar: Jet, a: number): Jet {
  return powKernels.vjp(x, ybar, { a });
}

/** The float64 rule, independent of the kernel's recurrence: exp(a·log x) of the reference series. */
function powSeries(x: Float64Array, a: number): Float64Array {
  return expSeries(logSeries(x).map((v) => Math.fround(a) * v));
}

const A = Math.fround(2.5);

export const powOp = unaryOp({
  name: 'pow', forward: pow, vjp: powVjp, series64: powSeries, scalar: (x: number, a: number) => x ** a, keepsOrder: false,
  expression: 'pow', params: ['a'],
  test: {
    params: [A],
    // x_0 in [1.5, ~3] with orders k ≥ 1 of size 2^-k: x(t) stays away from 0 (x^a's branch
    // point) beyond t = 1, so the VJP cases' finite differences stay linear at K = 60 (with orders
    // |x_0|·2^-k they were 1e-2 off, in float64 too), and y_0 = x_0^2.5 stays small enough for the
    // f32 gradient check's roundoff (at x_0 ~ 4 it reached 5e-3 at K = 1).
    center: (r) => 1.5 + 0.5 * Math.abs(r.normal()),
    // y_0: log's 2u times |a·log x_0| (≤ 2.5·3 here) plus exp's 2u: 20u; each order two product
    // sums and a division, with the earlier orders' errors: 6u per order.
    tolerance: (k) => 20 + 6 * k,
    // Back-substitution by x (as log), y recomputed, then the correlation with y.
    vjpTolerance: (K) => 2 + 4 * K + 20 + 6 * K + 8 * (K + 1),
    // (1 + t)^2.5 = Σ binom(2.5, k)·t^k.
    closedForms: [{ name: '(1+t)^2.5', input: [1, 1], order: 16, want: (k) => { let c = 1; for (let n = 1; n <= k; n++) c *= (A - n + 1) / n; return c; } }],
  },
});
