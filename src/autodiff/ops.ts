// The differentiable ops: each runs its forward kernel and records its reverse-mode rule on the
// tape. The table is typed by OpName, so an op without a rule is a compile error once the
// Partial comes off (when every op has its VJP kernel).
import { dense, denseVjp } from '../../kernels/dense.js';
import { tanh, tanhVjp } from '../../kernels/tanh.js';
import type { Jet } from '../jet/jet.js';
import type { OpName } from '../jet/ops.js';
import type { Parameter } from './parameter.js';
import type { Tape } from './tape.js';

export interface DenseParameters {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly inputs: number;
  readonly outputs: number;
}

type Rule = (tape: Tape, ...args: never[]) => Jet;

export const differentiable = {
  dense(tape: Tape, x: Jet, p: DenseParameters): Jet {
    const weights = { weight: p.weight.value, bias: p.bias.value, inputs: p.inputs, outputs: p.outputs, order: 0 };
    return tape.record([x], dense(x, weights), (ybar) => [denseVjp(x, ybar, weights, { weight: p.weight.grad, bias: p.bias.grad })]);
  },
  tanh(tape: Tape, x: Jet): Jet {
    return tape.record([x], tanh(x), (ybar) => [tanhVjp(x, ybar)]);
  },
} satisfies Partial<Record<OpName, Rule>>;

/**
 * Flatten moves the buffer into a new jet (x must not be used afterwards): forward and backward
 * are reshapes, no kernel. The tape still knows x, so the cotangent finds the op that made it.
 */
export function flatten(tape: Tape, x: Jet): Jet {
  const shape = x.shape;
  const y = x.reshape([x.features]);
  return tape.record([x], y, (ybar) => [ybar.reshape(shape)]);
}
