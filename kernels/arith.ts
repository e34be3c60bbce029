import wgsl from '../shaders/arith.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runBinary, runUnary } from './elementwise.js';

export const addForward = { name: 'add', wgsl, entryPoint: 'add_forward' } as const;
export const subForward = { name: 'sub', wgsl, entryPoint: 'sub_forward' } as const;
export const scaleForward = { name: 'scale', wgsl, entryPoint: 'scale_forward' } as const;

export function add(a: Jet, b: Jet): Jet {
  return runBinary(addForward, a, b);
}

export function sub(a: Jet, b: Jet): Jet {
  return runBinary(subForward, a, b);
}

/** s·x, with s rounded to f32 (it travels as an f32 uniform). */
export function scale(x: Jet, s: number): Jet {
  return runUnary(scaleForward, x, { s });
}
