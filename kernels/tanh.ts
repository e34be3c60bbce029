import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/tanh.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';

// The accurate elementary functions (math.wgsl) go in front of the kernel.
const wgsl = `${mathWgsl}\n${opWgsl}`;
export const tanhForward = { name: 'tanh', wgsl, entryPoint: 'tanh_forward' } as const;

export function tanh(x: Jet): Jet {
  return runUnary(tanhForward, x, {}, 4);
}

export const tanhVjpSource = { name: 'tanh', wgsl, entryPoint: 'tanh_vjp' } as const;

/** Reverse mode of tanh(x) for the output cotangent ȳ: x̄, a new jet. */
export function tanhVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(tanhVjpSource, x, ybar);
}
