import wgsl from '../shaders/sqrt.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary } from './elementwise.js';

export const sqrtForward = { name: 'sqrt', wgsl, entryPoint: 'sqrt_forward' } as const;

export function sqrt(x: Jet): Jet {
  return runUnary(sqrtForward, x);
}
