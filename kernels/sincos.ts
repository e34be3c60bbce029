import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/sincos.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';

const wgsl = `${mathWgsl}\n${opWgsl}`;
export const sinForward = { name: 'sin', wgsl, entryPoint: 'sin_forward' } as const;
export const cosForward = { name: 'cos', wgsl, entryPoint: 'cos_forward' } as const;

export function sin(x: Jet): Jet {
  return runUnary(sinForward, x);
}

export function cos(x: Jet): Jet {
  return runUnary(cosForward, x);
}

export const sinVjpSource = { name: 'sin', wgsl, entryPoint: 'sin_vjp' } as const;
export const cosVjpSource = { name: 'cos', wgsl, entryPoint: 'cos_vjp' } as const;

/** Reverse mode of sin(x) for the output cotangent ȳ: x̄, a new jet. */
export function sinVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(sinVjpSource, x, ybar);
}

/** Reverse mode of cos(x) for the output cotangent ȳ: x̄, a new jet. */
export function cosVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(cosVjpSource, x, ybar);
}
