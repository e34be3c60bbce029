import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/log.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';

// The accurate elementary functions (math.wgsl) go in front of the kernel.
const wgsl = `${mathWgsl}\n${opWgsl}`;
export const logForward = { name: 'log', wgsl, entryPoint: 'log_forward' } as const;

export function log(x: Jet): Jet {
  return runUnary(logForward, x);
}

export const logVjpSource = { name: 'log', wgsl, entryPoint: 'log_vjp' } as const;

/** Reverse mode of log(x) for the output cotangent ȳ: x̄, a new jet. */
export function logVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(logVjpSource, x, ybar);
}
