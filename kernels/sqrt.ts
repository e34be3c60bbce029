import wgsl from '../shaders/sqrt.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';

export const sqrtForward = { name: 'sqrt', wgsl, entryPoint: 'sqrt_forward' } as const;

export function sqrt(x: Jet): Jet {
  return runUnary(sqrtForward, x);
}

export const sqrtVjpSource = { name: 'sqrt', wgsl, entryPoint: 'sqrt_vjp' } as const;

/** Reverse mode of sqrt(x) for the output cotangent ȳ: x̄, a new jet. */
export function sqrtVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(sqrtVjpSource, x, ybar);
}
