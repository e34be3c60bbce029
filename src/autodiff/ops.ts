// The differentiable ops: each runs its forward kernel and records its reverse-mode rule on the
// tape. The rules are the op registry's (kernels/index.ts), each defined in its kernel module.
import { raiseOrder as raiseOrderKernel, truncateOrder } from '../../kernels/jet-order.js';
import { OPS, type TapeRules } from '../../kernels/index.js';
import { recordUnary } from '../../kernels/op.js';
import type { Jet } from '../jet/jet.js';
import type { Recorder } from './tape.js';

export type { Conv2dParameters } from '../../kernels/conv2d.js';
export type { DenseParameters } from '../../kernels/dense.js';
export type { BatchNormParameters } from '../../kernels/batchnorm.js';

export const differentiable = Object.fromEntries(OPS.map((op) => [op.name, op.record.bind(op)])) as unknown as TapeRules;

/**
 * Flatten moves the buffer into a new jet (x must not be used afterwards): forward and backward
 * are reshapes, no kernel. The tape still knows x, so the cotangent finds the op that made it.
 */
export function flatten(tape: Recorder, x: Jet): Jet {
  const shape = x.shape;
  const y = x.reshape([x.features]);
  return tape.record([x], y, (ybar) => [ybar.reshape(shape)]);
}

/**
 * x (order d) as a jet of order `order` whose coefficients above d are zero; the cotangent is
 * truncated back to order d. A pass whose input has zero coefficients above d (CRR's points ×
 * directions: d = 1) runs its piecewise-linear layers at order d and raises before the first
 * layer that makes higher coefficients (Model.record).
 */
export function raiseOrder(tape: Recorder, x: Jet, order: number): Jet {
  const low = x.order;
  return recordUnary(tape, x, raiseOrderKernel(x, order), (ybar) => truncateOrder(ybar, low));
}
