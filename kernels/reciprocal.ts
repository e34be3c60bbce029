import wgsl from '../shaders/reciprocal.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runBinary, runUnary } from './elementwise.js';

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
