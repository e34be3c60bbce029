import wgsl from '../shaders/sqrt.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { sqrtSeries } from '../src/reference/elementwise64.js';
import { unaryOp } from './op.js';
import { unaryKernels } from './unary.js';

export const sqrtKernels = unaryKernels({
  name: 'sqrt', wgsl, start: 'sqrt_start', series: ['y'], output: 'y',
  step: (e) => e.set('y', `(${e.cur('x')} - ${e.square('y', 1)}) / (2.0 * y0)`),
  vjp: [{ solve: 'y' }, { scale: '0.5' }],
});

export function sqrt(x: Jet): Jet {
  return sqrtKernels.forward(x);
}

/** Reverse mode of sqrt(x) for the output cotangent ȳ: x̄, a new jet. */
export function sqrtVjp(x: Jet, ybar: Jet): Jet {
  return sqrtKernels.vjp(x, ybar);
}

export const sqrtOp = unaryOp({
  name: 'sqrt', forward: sqrt, vjp: sqrtVjp, series64: sqrtSeries, scalar: Math.sqrt, keepsOrder: false, expression: 'sqrt',
  test: {
    center: (r) => Math.exp(1.5 * r.normal()),
    around: true,
    vjpCenter: (r) => 2 + Math.abs(r.normal()),
    // y_0 within 2u (builtin sqrt); a product, a sum and a division per term: 4u per order.
    tolerance: (k) => 2 + 4 * k,
    // Back-substitution by the recomputed y (y's error plus the solve's, same depth).
    vjpTolerance: (K) => 2 * (2 + 4 * K),
  },
});
