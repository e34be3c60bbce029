import wgsl from '../shaders/log.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { logSeries } from '../src/reference/elementwise64.js';
import { unaryOp } from './op.js';
import { unaryKernels } from './unary.js';

export const logKernels = unaryKernels({
  name: 'log', wgsl, preludes: ['math'], start: 'log_start', series: ['y'], output: 'y',
  step: (e) => e.set('y', `(${e.cur('x')} - ${e.jdot('y', 'x', 1, 1)} / ${e.kf}) / x0`),
  vjp: [{ solve: 'x' }],
});

export function log(x: Jet): Jet {
  return logKernels.forward(x);
}

/** Reverse mode of log(x) for the output cotangent ȳ: x̄, a new jet. */
export function logVjp(x: Jet, ybar: Jet): Jet {
  return logKernels.vjp(x, ybar);
}

export const logOp = unaryOp({
  name: 'log', forward: log, vjp: logVjp, series64: logSeries, scalar: Math.log, keepsOrder: false, expression: 'log',
  test: {
    center: (r) => Math.exp(1.5 * r.normal()),
    around: true,
    vjpCenter: (r) => 2 + Math.abs(r.normal()),
    // y_0 within 2u (accurate_log); two products, a sum and two divisions per term: 4u per order.
    tolerance: (k) => 2 + 4 * k,
    // The back-substitution x̄ = L_x⁻ᵀ·ȳ has the forward recurrence's depth and operations.
    vjpTolerance: (K) => 2 + 4 * K,
  },
});
