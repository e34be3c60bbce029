import wgsl from '../shaders/sinhcosh.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { expSeries } from '../src/reference/elementwise64.js';
import type { Random } from '../src/util/random.js';
import { unaryOp } from './op.js';
import { unaryKernels, type UnaryRule } from './unary.js';

// One recurrence for both: the kernel keeps the series it needs.
const sinhcosh: Omit<UnaryRule, 'name' | 'output' | 'vjp'> = {
  wgsl, preludes: ['math'], start: 'sinhcosh_start', series: ['s', 'c'],
  step: (e) => {
    const [s, c] = e.odes('c', 's');
    e.set('s', s);
    e.set('c', c);
  },
};
export const sinhKernels = unaryKernels({ ...sinhcosh, name: 'sinh', output: 's', vjp: [{ correlate: 'c' }] });

export function sinh(x: Jet): Jet {
  return sinhKernels.forward(x);
}

/** Reverse mode of sinh(x) for the output cotangent ȳ: x̄, a new jet. */
export function sinhVjp(x: Jet, ybar: Jet): Jet {
  return sinhKernels.vjp(x, ybar);
}

/** The float64 rule, from the reference exp series: (exp(x) ± exp(−x))/2. */
function expPair(x: Float64Array, sign: 1 | -1): Float64Array {
  const a = expSeries(x);
  const b = expSeries(x.map((v) => -v));
  return a.map((v, k) => (v + sign * b[k]!) / 2);
}

// s_0, c_0 within 3u (two of math.wgsl's exp or expm1 and a sum of like-signed terms); each order
// adds two products and a sum per term of the other series: 4u per order. x̄ correlates with the
// other series: its error plus a K+1-term dot product, 8u·(K+1).
const sinhcoshTest = {
  center: (r: Random) => 2 * r.normal(),
  tolerance: (k: number) => 3 + 4 * k,
  vjpTolerance: (K: number) => 3 + 4 * K + 8 * (K + 1),
};

/** 1/k! */
const inverseFactorial = (k: number): number => { let c = 1; for (let n = 2; n <= k; n++) c /= n; return c; };

export const sinhOp = unaryOp({
  name: 'sinh', forward: sinh, vjp: sinhVjp, series64: (x) => expPair(x, -1), scalar: Math.sinh, keepsOrder: false, expression: 'sinh',
  // sinh(t) = Σ t^k/k! over odd k, exactly 0 at even orders (to order 30: 1/k! leaves f32 past 34).
  test: { ...sinhcoshTest, closedForms: [{ name: 'at 0', input: [0, 1], order: 30, want: (k) => (k % 2 === 1 ? inverseFactorial(k) : 0) }] },
});
export const coshKernels = unaryKernels({ ...sinhcosh, name: 'cosh', output: 'c', vjp: [{ correlate: 's' }] });

export function cosh(x: Jet): Jet {
  return coshKernels.forward(x);
}

/** Reverse mode of cosh(x) for the output cotangent ȳ: x̄, a new jet. */
export function coshVjp(x: Jet, ybar: Jet): Jet {
  return coshKernels.vjp(x, ybar);
}

export const coshOp = unaryOp({
  name: 'cosh', forward: cosh, vjp: coshVjp, series64: (x) => expPair(x, 1), scalar: Math.cosh, keepsOrder: false, expression: 'cosh',
  // cosh(t) = Σ t^k/k! over even k, exactly 0 at odd orders (to order 30: 1/k! leaves f32 past 34).
  test: { ...sinhcoshTest, closedForms: [{ name: 'at 0', input: [0, 1], order: 30, want: (k) => (k % 2 === 0 ? inverseFactorial(k) : 0) }] },
});
