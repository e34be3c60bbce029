import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/sincos.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';
import { sinCosSeries } from '../src/reference/elementwise64.js';
import type { Random } from '../src/util/random.js';
import { unaryOp } from './op.js';

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

// s_0, c_0 within 3u (accurate_sincos); each order adds two products and a sum per term of the
// other series: 4u per order. x̄ correlates with the other series: its error plus 8u·(K+1).
const sincosTest = {
  center: (r: Random) => 2 * r.normal(),
  tolerance: (k: number) => 3 + 4 * k,
  vjpTolerance: (K: number) => 3 + 4 * K + 8 * (K + 1),
};

export const sinOp = unaryOp({
  name: 'sin', forward: sin, vjp: sinVjp, series64: (x) => sinCosSeries(x)[0], scalar: Math.sin, keepsOrder: false, expression: 'sin',
  test: sincosTest,
});

export const cosOp = unaryOp({
  name: 'cos', forward: cos, vjp: cosVjp, series64: (x) => sinCosSeries(x)[1], scalar: Math.cos, keepsOrder: false, expression: 'cos',
  test: sincosTest,
});
