import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/exp.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary } from './elementwise.js';

// The accurate elementary functions (math.wgsl) go in front of the kernel.
const wgsl = `${mathWgsl}\n${opWgsl}`;
export const expForward = { name: 'exp', wgsl, entryPoint: 'exp_forward' } as const;

export function exp(x: Jet): Jet {
  return runUnary(expForward, x);
}
