import wgsl from '../shaders/dense.wgsl';
import { Jet } from '../src/jet/jet.js';
import { JetcurveError } from '../src/errors.js';
import type { Parameter } from '../src/autodiff/parameter.js';
import type { Recorder } from '../src/autodiff/recorder.js';
import { defineOp } from './op.js';

export const denseForward = { name: 'dense', wgsl, entryPoint: 'dense_forward' } as const;
/** inputs % 4 == 0: vec4 loads, 8 rows × 4 outputs per thread (~1.5× the scalar kernel on SwiftShader, bench/README.md). */
export const denseForwardVec4 = { name: 'dense', wgsl, entryPoint: 'dense_forward_vec4' } as const;
/** inputs % 4 == 0 and outputs % 8 == 0: 8 rows × 8 outputs per thread (1.2–1.3× the 8×4 kernel on SwiftShader, dense.wgsl). */
export const denseForwardVec4x8 = { name: 'dense', wgsl, entryPoint: 'dense_forward_vec4_8x8' } as const;

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
  const vec4 = p.inputs % 4 === 0;
  // Output blocks of 8 when they tile the outputs exactly; 4 otherwise (a 10-way logit layer
  // would waste 6 of 16 columns in 8-blocks, 2 of 12 in 4-blocks).
  const wide = vec4 && p.outputs % 8 === 0;
  const threads = Math.ceil(rowsTimesCoeffs / (vec4 ? 8 : 4)) * Math.ceil(p.outputs / (wide ? 8 : 4));
  const kernel = wide ? denseForwardVec4x8 : vec4 ? denseForwardVec4 : denseForward;
  // Weight orders above the jet's order cannot reach any output coefficient.
  const top = Math.min(p.order, x.order);
  for (let j = 0; j <= top; j++) {
    const buffers: Record<string, GPUBuffer> = vec4 ? { x4: x.buffer, w4: p.weight, bias: p.bias, y: y.buffer } : { x: x.buffer, w: p.weight, bias: p.bias, y: y.buffer };
    x.engine.dispatch(kernel, buffers, {
      rows: x.rows, order: x.order, inputs: p.inputs, outputs: p.outputs,
      shift: j, accumulate: j > 0 ? 1 : 0, w_offset: j * p.outputs * p.inputs, b_offset: j * p.outputs,
    }, threads);
  }
  return y;
}

export const denseVjpInput = { name: 'dense', wgsl, entryPoint: 'dense_vjp_input' } as const;
export const denseVjpWeight = { name: 'dense', wgsl, entryPoint: 'dense_vjp_weight' } as const;
export const denseVjpBias = { name: 'dense', wgsl, entryPoint: 'dense_vjp_bias' } as const;
/** inputs and outputs % 4 == 0: vec4 loads along the contiguous axes (8 rows × 4 inputs per thread for x̄). */
export const denseVjpInputVec4 = { name: 'dense', wgsl, entryPoint: 'dense_vjp_input_vec4' } as const;
export const denseVjpWeightVec4 = { name: 'dense', wgsl, entryPoint: 'dense_vjp_weight_vec4' } as const;

/**
 * Where a dense layer's parameter cotangents go: buffers shaped like the weights. They are
 * always added to (so gradients sum over weight orders, repeated uses and batches); the owner
 * zeroes them before a step.
 */
export interface DenseGrads {
  readonly weight: GPUBuffer;
  readonly bias: GPUBuffer;
}

/**
 * Reverse mode of dense(x, p) for the output cotangent ȳ: returns x̄ (a new jet, or null when
 * `wantInput` is false) and adds W̄, b̄ into `grads` when given.
 */
export function denseVjp(x: Jet, ybar: Jet, p: DenseWeights, grads: DenseGrads | null, wantInput = true): Jet | null {
  const engine = x.engine;
  const coeffs = x.order + 1;
  const top = Math.min(p.order, x.order);
  const base = { rows: x.rows, order: x.order, inputs: p.inputs, outputs: p.outputs };
  const vec4 = p.inputs % 4 === 0 && p.outputs % 4 === 0;
  let xbar: Jet | null = null;
  if (wantInput) {
    xbar = Jet.empty(engine, x.rows, x.order, x.shape);
    const threads = vec4 ? Math.ceil((x.rows * coeffs) / 8) * (p.inputs / 4) : Math.ceil((x.rows * coeffs) / 4) * Math.ceil(p.inputs / 4);
    const buffers: Record<string, GPUBuffer> = vec4 ? { w4: p.weight, ybar4: ybar.buffer, xbar4: xbar.buffer } : { w: p.weight, ybar: ybar.buffer, xbar: xbar.buffer };
    for (let j = 0; j <= top; j++) {
      engine.dispatch(vec4 ? denseVjpInputVec4 : denseVjpInput, buffers,
        { ...base, shift: j, accumulate: j > 0 ? 1 : 0, w_offset: j * p.outputs * p.inputs, b_offset: 0 }, threads);
    }
  }
  if (grads) {
    for (let j = 0; j <= top; j++) {
      const offsets = { shift: j, accumulate: 1, w_offset: j * p.outputs * p.inputs, b_offset: j * p.outputs };
      const buffers: Record<string, GPUBuffer> = vec4 ? { x4: x.buffer, ybar4: ybar.buffer, wbar4: grads.weight } : { x: x.buffer, ybar: ybar.buffer, wbar: grads.weight };
      engine.dispatch(vec4 ? denseVjpWeightVec4 : denseVjpWeight, buffers, { ...base, ...offsets }, Math.ceil(p.outputs / 4) * Math.ceil(p.inputs / 4));
      engine.dispatch(denseVjpBias, { ybar: ybar.buffer, bbar: grads.bias }, { ...base, ...offsets }, p.outputs);
    }
  }
  return xbar;
}

/** A dense layer's weight [out][in] and bias [out] as trainable Parameters. */
export interface DenseParameters {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly inputs: number;
  readonly outputs: number;
}

export const denseOp = defineOp({
  name: 'dense',
  arity: 1,
  record(tape: Recorder, x: Jet, p: DenseParameters): Jet {
    const weights = { weight: p.weight.value, bias: p.bias.value, inputs: p.inputs, outputs: p.outputs, order: 0 };
    return tape.record([x], dense(x, weights), (ybar, [needX]) =>
      [denseVjp(x, ybar, weights, { weight: p.weight.grad, bias: p.bias.grad }, needX)]);
  },
});
