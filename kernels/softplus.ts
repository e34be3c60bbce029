import sigmoidWgsl from '../shaders/sigmoid.wgsl';
import wgsl from '../shaders/softplus.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { expSeries, logSeries } from '../src/reference/elementwise64.js';
import { unaryOp } from './op.js';
import { unaryKernels } from './unary.js';

export const softplusKernels = unaryKernels({
  name: 'softplus', wgsl: [sigmoidWgsl, wgsl], preludes: ['math'], start: 'softplus_start', series: ['y', 's', 'z'], constants: ['w'],
  output: 'y',
  step: (e) => {
    e.set('y', e.ode('s'));
    e.set('s', e.ode('z'));
    e.set('z', `w * ${e.cur('s')} - ${e.square('s', 1)}`);
  },
  vjp: [{ correlate: 's' }],
});

export function softplus(x: Jet): Jet {
  return softplusKernels.forward(x);
}

/** Reverse mode of softplus(x) for the output cotangent ȳ: x̄, a new jet. */
export function softplusVjp(x: Jet, ybar: Jet): Jet {
  return softplusKernels.vjp(x, ybar);
}

/** The float64 rule, independent of the kernel's recurrence: log of the series 1 + exp(x). */
function softplusSeries(x: Float64Array): Float64Array {
  const onePlusExp = expSeries(x);
  onePlusExp[0] += 1;
  return logSeries(onePlusExp);
}

export const softplusOp = unaryOp({
  name: 'softplus', forward: softplus, vjp: softplusVjp, series64: softplusSeries,
  scalar: (x) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))), keepsOrder: false, expression: 'softplus', layer: true,
  test: {
    center: (r) => 3 * r.normal(),
    // y_0: exp's 2u, log1p's 3u and the sum; order k goes through s (sigmoid's 4u + 4u per
    // order) and one more product sum: 6u + 4u per order.
    tolerance: (k) => 6 + 4 * k,
    // Correlation with s: s's error plus a K+1-term dot product, 8u·(K+1).
    vjpTolerance: (K) => 4 + 4 * K + 8 * (K + 1),
    // softplus(t) at 0: log 2, 1/2, 1/8, 0, −1/192 (the sigmoid series 1/2 + t/4 − t³/48 integrated).
    closedForms: [{ name: 'at 0', input: [0, 1], order: 5, want: (k) => [Math.LN2, 0.5, 0.125, 0, -1 / 192, 0][k]! }],
  },
});
