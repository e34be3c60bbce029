import wgsl from '../shaders/reciprocal.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runBinary, runBinaryVjp, runUnary, runUnaryVjp } from './elementwise.js';
import type { Tape } from '../src/autodiff/tape.js';
import { reciprocalSeries } from '../src/reference/elementwise64.js';
import { defineOp, unaryOp } from './op.js';

export const reciprocalForward = { name: 'reciprocal', wgsl, entryPoint: 'reciprocal_forward' } as const;
export const divForward = { name: 'div', wgsl, entryPoint: 'div_forward' } as const;

/** 1/x. A zero c_0 gives inf/NaN coefficients (not checked here). */
export function reciprocal(x: Jet): Jet {
  return runUnary(reciprocalForward, x);
}

/** a/b. A zero c_0 of b gives inf/NaN coefficients (not checked here). */
export function div(a: Jet, b: Jet): Jet {
  return runBinary(divForward, a, b);
}

export const reciprocalVjpSource = { name: 'reciprocal', wgsl, entryPoint: 'reciprocal_vjp' } as const;
export const divVjpSource = { name: 'div', wgsl, entryPoint: 'div_vjp' } as const;

/** Reverse mode of reciprocal(x) for the output cotangent ȳ: x̄, a new jet. */
export function reciprocalVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(reciprocalVjpSource, x, ybar);
}

/** Reverse mode of div(a, b) for the output cotangent ȳ: [ā, b̄], new jets. */
export function divVjp(a: Jet, b: Jet, ybar: Jet): [Jet, Jet] {
  return runBinaryVjp(divVjpSource, a, b, ybar);
}

export const reciprocalOp = unaryOp({
  name: 'reciprocal', forward: reciprocal, vjp: reciprocalVjp, series64: reciprocalSeries, scalar: (x) => 1 / x, keepsOrder: false,
  test: {
    center: (r) => (r.uniform() < 0.5 ? -1 : 1) * (2 + Math.abs(r.normal())),
    around: true,
    // z_0 one division; a product, a sum and a division per term: 4u per order.
    tolerance: (k) => 2 + 4 * k,
    // Back-substitution, z recomputed, then the correlation with z.
    vjpTolerance: (K) => 2 * (2 + 4 * K) + 8 * (K + 1),
  },
});

export const divOp = defineOp({
  name: 'div',
  arity: 2,
  record(tape: Tape, a: Jet, b: Jet): Jet {
    // One kernel makes both cotangents (b̄ is computed from ā); an unneeded one goes back at once.
    return tape.record([a, b], div(a, b), (ybar, needs) => divVjp(a, b, ybar).map((xbar, j) => {
      if (needs[j]) return xbar;
      xbar.release();
      return null;
    }));
  },
});
