import wgsl from '../shaders/sincos.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { sinCosSeries } from '../src/reference/elementwise64.js';
import type { Random } from '../src/util/random.js';
import { unaryOp } from './op.js';
import { unaryKernels, type UnaryRule } from './unary.js';

// One recurrence for both: the kernel keeps the series it needs.
const sincos: Omit<UnaryRule, 'name' | 'output' | 'vjp'> = {
  wgsl, preludes: ['math'], start: 'sincos_start', series: ['s', 'c'],
  step: (e) => {
    const [s, c] = e.odes('c', 's');
    e.set('s', s);
    e.set('c', `-${c}`);
  },
};
export const sinKernels = unaryKernels({ ...sincos, name: 'sin', output: 's', vjp: [{ correlate: 'c' }] });
export const cosKernels = unaryKernels({ ...sincos, name: 'cos', output: 'c', vjp: [{ correlate: 's' }, { scale: '-1.0' }] });

export function sin(x: Jet): Jet {
  return sinKernels.forward(x);
}

export function cos(x: Jet): Jet {
  return cosKernels.forward(x);
}

/** Reverse mode of sin(x) for the output cotangent ȳ: x̄, a new jet. */
export function sinVjp(x: Jet, ybar: Jet): Jet {
  return sinKernels.vjp(x, ybar);
}

/** Reverse mode of cos(x) for the output cotangent ȳ: x̄, a new jet. */
export function cosVjp(x: Jet, ybar: Jet): Jet {
  return cosKernels.vjp(x, ybar);
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
