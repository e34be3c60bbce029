import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/sigmoid.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary } from './elementwise.js';

// The accurate elementary functions (math.wgsl) go in front of the kernel.
const wgsl = `${mathWgsl}\n${opWgsl}`;
export const sigmoidForward = { name: 'sigmoid', wgsl, entryPoint: 'sigmoid_forward' } as const;

export function sigmoid(x: Jet): Jet {
  return runUnary(sigmoidForward, x);
}
