// The op registry: every op the engine has, one line each. Each op is defined in its kernel
// module (kernels/op.ts says what a definition holds); everything that lists ops is derived
// from this array: OP_NAMES (src/jet/ops.ts), the tape rules (src/autodiff/ops.ts), the
// expression functions (src/expr), the activation layers (src/model, src/train) and the
// generic test cases (test/cases/generic.ts). Order matters only for the lists users read
// (the expression functions and layer types appear in this order).
import { addOp, scaleOp, subOp } from './arith.js';
import { atanOp } from './atan.js';
import { batchnormOp, batchnormTrainOp } from './batchnorm.js';
import { conv2dOp } from './conv2d.js';
import { denseOp } from './dense.js';
import { expOp } from './exp.js';
import { logOp } from './log.js';
import { maxpool2dOp } from './maxpool2d.js';
import { mulOp } from './mul.js';
import type { Op, UnaryOp } from './op.js';
import { powOp } from './pow.js';
import { powiOp } from './power.js';
import { divOp, reciprocalOp } from './reciprocal.js';
import { meanFeaturesOp, meanRowsOp, sumFeaturesOp, sumRowsOp } from './reduce.js';
import { reluOp } from './relu.js';
import { sigmoidOp } from './sigmoid.js';
import { siluOp } from './silu.js';
import { softplusOp } from './softplus.js';
import { cosOp, sinOp } from './sincos.js';
import { coshOp, sinhOp } from './sinhcosh.js';
import { logSoftmaxOp, softmaxCrossEntropyOp } from './softmax-xent.js';
import { sqrtOp } from './sqrt.js';
import { tanhOp } from './tanh.js';

export const OPS = [
  // layers
  denseOp, conv2dOp, maxpool2dOp, batchnormOp, batchnormTrainOp,
  // elementwise functions (and activation layers)
  expOp, logOp, sinOp, cosOp, tanhOp, sqrtOp, reluOp, sigmoidOp,
  softplusOp, siluOp, atanOp, sinhOp, coshOp, powOp,
  // elementwise arithmetic
  addOp, subOp, scaleOp, mulOp, reciprocalOp, divOp, powiOp,
  // losses and reductions
  logSoftmaxOp, softmaxCrossEntropyOp, sumFeaturesOp, meanFeaturesOp, sumRowsOp, meanRowsOp,
] as const;

type AnyOp = (typeof OPS)[number];
export type OpName = AnyOp['name'];
export const OP_NAMES: readonly OpName[] = OPS.map((op) => op.name);

/** Every op's tape rule, by name, with its own signature (differentiable.dense(tape, x, p), …). */
export type TapeRules = { readonly [O in AnyOp as O['name']]: O['record'] };

/** The unary elementwise ops: one jet in, one out, with a float64 rule and generic tests. */
export type ElementwiseOp = Extract<AnyOp, { readonly series64: unknown }>;
export const ELEMENTWISE_OPS: readonly ElementwiseOp[] = OPS.filter((op): op is ElementwiseOp => 'series64' in op);

/** Functions of expressions (`tanh(x)`), in registry order. */
export type FunctionName = Extract<ElementwiseOp, { readonly expression: string }>['expression'];
export const FUNCTION_OPS = ELEMENTWISE_OPS.filter((op): op is Extract<ElementwiseOp, { readonly expression: string }> => 'expression' in op);
export const FUNCTIONS: readonly FunctionName[] = FUNCTION_OPS.map((op) => op.expression);

/** The function of an expression name (its GPU op, float64 rule and plain value). */
export function functionOp(name: FunctionName): UnaryOp {
  return FUNCTION_OPS.find((op) => op.expression === name)!;
}

/** Activation layer types of model files (`{"type": "tanh"}`), in registry order. */
export type ActivationType = Extract<ElementwiseOp, { readonly layer: true }>['name'];
const ACTIVATION_OPS = ELEMENTWISE_OPS.filter((op): op is Extract<ElementwiseOp, { readonly layer: true }> => 'layer' in op && op.layer);
export const ACTIVATION_TYPES: readonly ActivationType[] = ACTIVATION_OPS.map((op) => op.name);

/** The op of an activation layer: forward, vjp, series64 and keepsOrder. */
export function activation(type: ActivationType): UnaryOp {
  return ACTIVATION_OPS.find((op) => op.name === type)!;
}

export type { Op, UnaryOp };
