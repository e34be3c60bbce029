import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/sigmoid.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';

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
