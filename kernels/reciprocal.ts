import divWgsl from '../shaders/div.wgsl';
import wgsl from '../shaders/reciprocal.wgsl';
import type { Recorder } from '../src/autodiff/recorder.js';
import type { Jet } from '../src/jet/jet.js';
import { reciprocalSeries } from '../src/reference/elementwise64.js';
import { runBinary, runBinaryVjp } from './elementwise.js';
import { defineOp, unaryOp } from './op.js';
import { unaryKernels } from './unary.js';

export const reciprocalKernels = unaryKernels({
  name: 'reciprocal', wgsl, start: 'reciprocal_start', series: ['y'], output: 'y',
  step: (e) => e.set('y', `-${e.dot('x', 'y', 1, 0)} / x0`),
  vjp: [{ solve: 'x' }, { correlate: 'y' }, { scale: '-1.0' }],
});

export const divForward = { name: 'div', wgsl: divWgsl, entryPoint: 'div_forward' } as const;

/** 1/x. A zero c_0 gives inf/NaN coefficients (not checked here). */
export function reciprocal(x: Jet): Jet {
  return reciprocalKernels.forward(x);
}

/** a/b. A zero c_0 of b gives inf/NaN coefficients (not checked here). */
export function div(a: Jet, b: Jet): Jet {
  return runBinary(divForward, a, b);
}

export const divVjpSource = { name: 'div', wgsl: divWgsl, entryPoint: 'div_vjp' } as const;

/** Reverse mode of reciprocal(x) for the output cotangent ȳ: x̄, a new jet. */
export function reciprocalVjp(x: Jet, ybar: Jet): Jet {
  return reciprocalKernels.vjp(x, ybar);
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
  record(tape: Recorder, a: Jet, b: Jet): Jet {
    // One kernel makes both cotangents (b̄ is computed from ā); an unneeded one goes back at once.
    return tape.record([a, b], div(a, b), (ybar, needs) => divVjp(a, b, ybar).map((xbar, j) => {
      if (needs[j]) return xbar;
      xbar.release();
      return null;
    }));
  },
});
