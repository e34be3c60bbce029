import sigmoidWgsl from '../shaders/sigmoid.wgsl';
import wgsl from '../shaders/silu.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { sigmoidSeries } from '../src/reference/elementwise64.js';
import { mulSeries } from '../src/reference/jet64.js';
import { unaryOp } from './op.js';
import { unaryKernels } from './unary.js';

export const siluKernels = unaryKernels({
  name: 'silu', wgsl: [sigmoidWgsl, wgsl], preludes: ['math'], start: 'silu_start', series: ['y', 's', 'z', 'd'], constants: ['w'],
  output: 'y',
  step: (e) => {
    e.set('s', e.ode('z'));
    e.set('z', `w * ${e.cur('s')} - ${e.square('s', 1)}`);
    e.set('y', e.dot('x', 's', 0, 0));
    e.vjpOnly(() => e.set('d', `${e.cur('s')} + ${e.dot('x', 'z', 0, 0)}`));
  },
  vjp: [{ correlate: 'd' }],
});

export function silu(x: Jet): Jet {
  return siluKernels.forward(x);
}

/** Reverse mode of silu(x) for the output cotangent ȳ: x̄, a new jet. */
export function siluVjp(x: Jet, ybar: Jet): Jet {
  return siluKernels.vjp(x, ybar);
}

export const siluOp = unaryOp({
  name: 'silu', forward: silu, vjp: siluVjp,
  // The float64 rule: the Cauchy product of x and the reference sigmoid series.
  series64: (x) => mulSeries(x, sigmoidSeries(x)),
  scalar: (x) => x / (1 + Math.exp(-x)), keepsOrder: false, expression: 'silu', layer: true,
  test: {
    center: (r) => 3 * r.normal(),
    // s as sigmoid (4u + 4u per order), then a k+1-term product sum: 6u + 6u per order.
    tolerance: (k) => 6 + 6 * k,
    // d = s + x·z carries s's and z's errors and a product sum, then the K+1-term correlation.
    vjpTolerance: (K) => 6 + 6 * K + 8 * (K + 1),
    // silu(t) at 0 = t·(1/2 + t/4 − t³/48 + t⁵/480): 0, 1/2, 1/4, 0, −1/48, 0, 1/480.
    closedForms: [{ name: 'at 0', input: [0, 1], order: 6, want: (k) => [0, 0.5, 0.25, 0, -1 / 48, 0, 1 / 480][k]! }],
  },
});
