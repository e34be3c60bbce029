import wgsl from '../shaders/relu.wgsl';
import { Jet } from '../src/jet/jet.js';
import { checkSameJetShape, runUnary, runUnaryVjp } from './elementwise.js';

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
