import wgsl from '../shaders/tanh.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary } from './elementwise.js';

export const tanhForward = { name: 'tanh', wgsl, entryPoint: 'tanh_forward' } as const;

export function tanh(x: Jet): Jet {
  return runUnary(tanhForward, x);
}
