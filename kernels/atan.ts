import wgsl from '../shaders/atan.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { reciprocalSeries } from '../src/reference/elementwise64.js';
import { chainStep, mulSeries } from '../src/reference/jet64.js';
import { unaryOp } from './op.js';
import { unaryKernels } from './unary.js';

export const atanKernels = unaryKernels({
  name: 'atan', wgsl, start: 'atan_start', series: ['y', 'q', 'd'], output: 'y',
  step: (e) => {
    e.set('q', e.square('x', 0));
    e.set('d', `-${e.dot('q', 'd', 1, 0)} / q0`);
    e.set('y', e.ode('d'));
  },
  vjp: [{ correlate: 'd' }],
});

export function atan(x: Jet): Jet {
  return atanKernels.forward(x);
}

/** Reverse mode of atan(x) for the output cotangent ȳ: x̄, a new jet. */
export function atanVjp(x: Jet, ybar: Jet): Jet {
  return atanKernels.vjp(x, ybar);
}

/** The float64 rule: y' = x'/(1 + x²), with 1/(1 + x²) from the reference series ops. */
function atanSeries(x: Float64Array): Float64Array {
  const q = mulSeries(x, x);
  q[0] += 1;
  const d = reciprocalSeries(q);
  const y = new Float64Array(x.length);
  y[0] = Math.atan(x[0]!);
  for (let k = 1; k < x.length; k++) y[k] = chainStep(x, d, k);
  return y;
}

export const atanOp = unaryOp({
  name: 'atan', forward: atan, vjp: atanVjp, series64: atanSeries, scalar: Math.atan, keepsOrder: false, expression: 'atan',
  test: {
    center: (r) => 2 * r.normal(),
    // y_0 within 4u (accurate_atan: reduction, series, folding); d goes through q and a division
    // per order (4u per order, as reciprocal), y through one more product sum: 4u + 8u per order.
    tolerance: (k) => 4 + 8 * k,
    // Correlation with d: d's error plus a K+1-term dot product.
    vjpTolerance: (K) => 4 + 8 * K + 8 * (K + 1),
    // atan(t) = t − t³/3 + t⁵/5 − …, exactly 0 at even orders; and atan(1 + t) at order 0 is π/4.
    closedForms: [
      { name: 'at 0', input: [0, 1], order: 60, want: (k) => (k % 2 === 0 ? 0 : (k % 4 === 1 ? 1 : -1) / k) },
      { name: 'at 1', input: [1, 1], order: 2, want: (k) => [Math.PI / 4, 0.5, -0.25][k]! },
    ],
  },
});
