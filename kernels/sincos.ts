import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/sincos.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary } from './elementwise.js';

const wgsl = `${mathWgsl}\n${opWgsl}`;
export const sinForward = { name: 'sin', wgsl, entryPoint: 'sin_forward' } as const;
export const cosForward = { name: 'cos', wgsl, entryPoint: 'cos_forward' } as const;

export function sin(x: Jet): Jet {
  return runUnary(sinForward, x);
}

export function cos(x: Jet): Jet {
  return runUnary(cosForward, x);
}
