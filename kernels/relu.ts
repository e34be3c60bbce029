import wgsl from '../shaders/relu.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';

export const reluForward = { name: 'relu', wgsl, entryPoint: 'relu_forward' } as const;

export function relu(x: Jet): Jet {
  return runUnary(reluForward, x);
}

export const reluVjpSource = { name: 'relu', wgsl, entryPoint: 'relu_vjp' } as const;

/** Reverse mode of relu(x) for the output cotangent ȳ: x̄, a new jet. */
export function reluVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(reluVjpSource, x, ybar);
}
