import wgsl from '../shaders/mul.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runBinary } from './elementwise.js';

export const mulForward = { name: 'mul', wgsl, entryPoint: 'mul_forward' } as const;

export function mul(a: Jet, b: Jet): Jet {
  return runBinary(mulForward, a, b);
}
