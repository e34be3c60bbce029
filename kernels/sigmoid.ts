import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/sigmoid.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';
import { sigmoidSeries } from '../src/reference/elementwise64.js';
import { unaryOp } from './op.js';

// The accurate elementary functions (math.wgsl) go in front of the kernel.
const wgsl = `${mathWgsl}\n${opWgsl}`;
export const sigmoidForward = { name: 'sigmoid', wgsl, entryPoint: 'sigmoid_forward' } as const;

export function sigmoid(x: Jet): Jet {
  return runUnary(sigmoidForward, x);
}

export const sigmoidVjpSource = { name: 'sigmoid', wgsl, entryPoint: 'sigmoid_vjp' } as const;

/** Reverse mode of sigmoid(x) for the output cotangent ȳ: x̄, a new jet. */
export function sigmoidVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(sigmoidVjpSource, x, ybar);
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
