import wgsl from '../shaders/exp.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { expSeries } from '../src/reference/elementwise64.js';
import { unaryOp } from './op.js';
import { unaryKernels } from './unary.js';

export const expKernels = unaryKernels({
  name: 'exp', wgsl, preludes: ['math'], start: 'exp_start', series: ['y'], output: 'y',
  step: (e) => e.set('y', e.ode('y')),
  vjp: [{ correlate: 'y' }],
});

export function exp(x: Jet): Jet {
  return expKernels.forward(x);
}

/** Reverse mode of exp(x) for the output cotangent ȳ: x̄, a new jet. */
export function expVjp(x: Jet, ybar: Jet): Jet {
  return expKernels.vjp(x, ybar);
}

export const expOp = unaryOp({
  name: 'exp', forward: exp, vjp: expVjp, series64: expSeries, scalar: Math.exp, keepsOrder: false, expression: 'exp',
  test: {
    center: (r) => 1.5 * r.normal(),
    // y_0 within 2u (accurate_exp); each order adds two products and a sum per term: 4u per order.
    tolerance: (k) => 2 + 4 * k,
    // x̄ is the correlation with y: y's error at order K plus a K+1-term dot product, 8u·(K+1).
    vjpTolerance: (K) => 2 + 4 * K + 8 * (K + 1),
  },
});
