import wgsl from '../shaders/relu.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary } from './elementwise.js';

export const reluForward = { name: 'relu', wgsl, entryPoint: 'relu_forward' } as const;

export function relu(x: Jet): Jet {
  return runUnary(reluForward, x);
}
