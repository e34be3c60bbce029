import wgsl from '../shaders/tanh.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { tanhSeries } from '../src/reference/jet64.js';
import { unaryOp } from './op.js';
import { unaryKernels } from './unary.js';

export const tanhKernels = unaryKernels({
  name: 'tanh', wgsl, preludes: ['math'], start: 'tanh_start', series: ['y', 'z'], output: 'y',
  step: (e) => {
    e.set('y', e.ode('z'));
    e.set('z', `-${e.square('y', 0)}`);
  },
  vjp: [{ correlate: 'z' }],
});

export function tanh(x: Jet): Jet {
  return tanhKernels.forward(x);
}

/** Reverse mode of tanh(x) for the output cotangent ȳ: x̄, a new jet. Four features per thread. */
export function tanhVjp(x: Jet, ybar: Jet): Jet {
  return tanhKernels.vjp(x, ybar);
}

export const tanhOp = unaryOp({
  name: 'tanh', forward: tanh, vjp: tanhVjp, series64: tanhSeries, scalar: Math.tanh, keepsOrder: false, expression: 'tanh', layer: true,
  test: {
    center: (r) => 1.5 * r.normal(),
    // Each order is a sum of k products through z = 1 − y²: linear growth, 64u·(k+1) (test/cases/tanh.ts).
    tolerance: (k) => 64 * (k + 1),
    // The reverse pass has depth ~2K, like the forward one.
    vjpTolerance: (K) => 64 * (2 * K + 2),
  },
});
