import wgsl from '../shaders/reciprocal.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runBinary, runBinaryVjp, runUnary, runUnaryVjp } from './elementwise.js';

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
