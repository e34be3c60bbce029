import wgsl from '../shaders/relu.wgsl';
import { Jet } from '../src/jet/jet.js';
import { checkSameJetShape, runUnary, runUnaryVjp } from './elementwise.js';
import { reluSeries } from '../src/reference/elementwise64.js';
import { unaryOp } from './op.js';

export const reluForward = { name: 'relu', wgsl, entryPoint: 'relu_forward' } as const;
export const reluForward4 = { name: 'relu', wgsl, entryPoint: 'relu_forward4' } as const;

/** The vec4 kernels need whole aligned vec4s of features at every order. */
function fourWide(x: Jet): boolean {
  return x.features % 4 === 0;
}

export function relu(x: Jet): Jet {
  if (!fourWide(x)) return runUnary(reluForward, x);
  const y = Jet.empty(x.engine, x.rows, x.order, x.shape);
  x.engine.dispatch(reluForward4, { x4: x.buffer, y4: y.buffer }, { rows: x.rows, order: x.order, features: x.features }, x.rows * (x.features / 4));
  return y;
}

export const reluVjpSource = { name: 'relu', wgsl, entryPoint: 'relu_vjp' } as const;
export const reluVjp4Source = { name: 'relu', wgsl, entryPoint: 'relu_vjp4' } as const;

/** Reverse mode of relu(x) for the output cotangent ȳ: x̄, a new jet. */
export function reluVjp(x: Jet, ybar: Jet): Jet {
  if (!fourWide(x)) return runUnaryVjp(reluVjpSource, x, ybar);
  checkSameJetShape('relu', x, ybar);
  const xbar = Jet.empty(x.engine, x.rows, x.order, x.shape);
  x.engine.dispatch(reluVjp4Source, { x4: x.buffer, ybar4: ybar.buffer, xbar4: xbar.buffer },
    { rows: x.rows, order: x.order, features: x.features }, x.rows * (x.features / 4));
  return xbar;
}

export const reluOp = unaryOp({
  name: 'relu', forward: relu, vjp: reluVjp, series64: reluSeries, scalar: (x) => Math.max(0, x), keepsOrder: true,
  expression: 'relu', layer: true,
  test: {
    // |c_0| ≥ 0.25: the finite differences of the VJP check never cross the kink.
    center: (r) => (r.uniform() < 0.5 ? -1 : 1) * (0.25 + Math.abs(r.normal())),
    // relu copies or zeroes whole series: exact (x̄ is ȳ or 0; one U32 of headroom).
    tolerance: () => 0,
    vjpTolerance: () => 1,
  },
});
