import wgsl from '../shaders/sigmoid.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { sigmoidSeries } from '../src/reference/elementwise64.js';
import { unaryOp } from './op.js';
import { unaryKernels } from './unary.js';

export const sigmoidKernels = unaryKernels({
  name: 'sigmoid', wgsl, preludes: ['math'], start: 'sigmoid_start', series: ['y', 'z'], constants: ['w'], output: 'y',
  step: (e) => {
    e.set('y', e.ode('z'));
    e.set('z', `w * ${e.cur('y')} - ${e.square('y', 1)}`);
  },
  vjp: [{ correlate: 'z' }],
});

export function sigmoid(x: Jet): Jet {
  return sigmoidKernels.forward(x);
}

/** Reverse mode of sigmoid(x) for the output cotangent ȳ: x̄, a new jet. */
export function sigmoidVjp(x: Jet, ybar: Jet): Jet {
  return sigmoidKernels.vjp(x, ybar);
}

export const sigmoidOp = unaryOp({
  name: 'sigmoid', forward: sigmoid, vjp: sigmoidVjp, series64: sigmoidSeries, scalar: (x) => 1 / (1 + Math.exp(-x)),
  keepsOrder: false, expression: 'sigmoid', layer: true,
  test: {
    center: (r) => 4 * r.normal(),
    // y_0 = e/(1 + e): e's 2u and two roundings; each order goes through y and z = y(1 − y): 4u per order.
    tolerance: (k) => 4 + 4 * k,
    // Correlation with z: z's error plus a K+1-term dot product.
    vjpTolerance: (K) => 4 + 4 * K + 8 * (K + 1),
  },
});
