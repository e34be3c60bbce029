import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/exp.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';

// The accurate elementary functions (math.wgsl) go in front of the kernel.
const wgsl = `${mathWgsl}\n${opWgsl}`;
export const expForward = { name: 'exp', wgsl, entryPoint: 'exp_forward' } as const;

export function exp(x: Jet): Jet {
  return runUnary(expForward, x);
}

export const expVjpSource = { name: 'exp', wgsl, entryPoint: 'exp_vjp' } as const;

/** Reverse mode of exp(x) for the output cotangent ȳ: x̄, a new jet. */
export function expVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(expVjpSource, x, ybar);
}
