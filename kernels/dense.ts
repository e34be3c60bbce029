import wgsl from '../shaders/dense.wgsl';
import { Jet } from '../src/jet/jet.js';
import { JetcurveError } from '../src/errors.js';

export const denseForward = { name: 'dense', wgsl, entryPoint: 'dense_forward' } as const;

/**
 * Weights on the GPU. `order` 0: constant weights, weight [out][in] and bias [out].
 * `order` J > 0: the weights are jets W(t) = Σ_j W_j t^j, stored as weight [J+1][out][in] and
 * bias [J+1][out] (what a Hessian-vector product along a parameter direction needs).
 */
export interface DenseWeights {
  readonly weight: GPUBuffer;
  readonly bias: GPUBuffer;
  readonly inputs: number;
  readonly outputs: number;
  readonly order: number;
}

export function dense(x: Jet, p: DenseWeights): Jet {
  if (x.features !== p.inputs) {
    throw new JetcurveError(`dense layer takes ${p.inputs} inputs, the jet has ${x.features} features (shape ${x.shape.join('×')})`,
      'check the model\'s layer sizes against its input');
  }
  const y = Jet.empty(x.engine, x.rows, x.order, [p.outputs]);
  const rowsTimesCoeffs = x.rows * (x.order + 1);
  const threads = Math.ceil(rowsTimesCoeffs / 4) * Math.ceil(p.outputs / 4);
  // Weight orders above the jet's order cannot reach any output coefficient.
  const top = Math.min(p.order, x.order);
  for (let j = 0; j <= top; j++) {
    x.engine.dispatch(denseForward, { x: x.buffer, w: p.weight, bias: p.bias, y: y.buffer }, {
      rows: x.rows, order: x.order, inputs: p.inputs, outputs: p.outputs,
      shift: j, accumulate: j > 0 ? 1 : 0, w_offset: j * p.outputs * p.inputs, b_offset: j * p.outputs,
    }, threads);
  }
  return y;
}
