import wgsl from '../shaders/sqrt.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';
import { sqrtSeries } from '../src/reference/elementwise64.js';
import { unaryOp } from './op.js';

export const sqrtForward = { name: 'sqrt', wgsl, entryPoint: 'sqrt_forward' } as const;

export function sqrt(x: Jet): Jet {
  return runUnary(sqrtForward, x);
}

export const sqrtVjpSource = { name: 'sqrt', wgsl, entryPoint: 'sqrt_vjp' } as const;

/** Reverse mode of sqrt(x) for the output cotangent ȳ: x̄, a new jet. */
export function sqrtVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(sqrtVjpSource, x, ybar);
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
