// The differentiable ops: each runs its forward kernel and records its reverse-mode rule on the
// tape. The table is typed Record<OpName, …>, so an op without a rule does not compile.
import {
  batchnormEval, batchnormEvalVjp, batchnormTrain, batchnormTrainVjp, type BatchNormWeights,
} from '../../kernels/batchnorm.js';
import { conv2d, conv2dVjp, type Conv2dWeights } from '../../kernels/conv2d.js';
import { dense, denseVjp } from '../../kernels/dense.js';
import { raiseOrder as raiseOrderKernel, truncateOrder } from '../../kernels/jet-order.js';
import { maxpool2d, maxpool2dVjp, type MaxPool2dOptions } from '../../kernels/maxpool2d.js';
import {
  meanFeatures, meanFeaturesVjp, meanRows, meanRowsVjp, sumFeatures, sumFeaturesVjp, sumRows, sumRowsVjp,
} from '../../kernels/reduce.js';
import { logSoftmax, logSoftmaxVjp, softmaxCrossEntropy, softmaxCrossEntropyVjp } from '../../kernels/softmax-xent.js';
import { tanh, tanhVjp } from '../../kernels/tanh.js';
import { add, addVjp, scale, scaleVjp, sub, subVjp } from '../../kernels/arith.js';
import { exp, expVjp } from '../../kernels/exp.js';
import { log, logVjp } from '../../kernels/log.js';
import { mul, mulVjp } from '../../kernels/mul.js';
import { powi, powiVjp } from '../../kernels/power.js';
import { div, divVjp, reciprocal, reciprocalVjp } from '../../kernels/reciprocal.js';
import { relu, reluVjp } from '../../kernels/relu.js';
import { sigmoid, sigmoidVjp } from '../../kernels/sigmoid.js';
import { cos, cosVjp, sin, sinVjp } from '../../kernels/sincos.js';
import { sqrt, sqrtVjp } from '../../kernels/sqrt.js';
import { Jet } from '../jet/jet.js';
import type { OpName } from '../jet/ops.js';
import type { Parameter } from './parameter.js';
import type { Recorder } from './tape.js';

export interface DenseParameters {
  readonly weight: Parameter;
  readonly bias: Parameter;
  readonly inputs: number;
  readonly outputs: number;
}

/** A conv2d layer's weight [out][in][kh][kw] and bias [out] as Parameters, and its geometry. */
export interface Conv2dParameters extends Omit<Conv2dWeights, 'weight' | 'bias'> {
  readonly weight: Parameter;
  readonly bias: Parameter;
}

/**
 * A BatchNorm layer's weight and bias [C] as Parameters; its running statistics [C] are state
 * (train mode moves them, eval mode reads them), not parameters.
 */
export interface BatchNormParameters extends Omit<BatchNormWeights, 'weight' | 'bias'> {
  readonly weight: Parameter;
  readonly bias: Parameter;
}

type Rule = (tape: Recorder, ...args: never[]) => Jet;

export const differentiable = {
  dense(tape: Recorder, x: Jet, p: DenseParameters): Jet {
    const weights = { weight: p.weight.value, bias: p.bias.value, inputs: p.inputs, outputs: p.outputs, order: 0 };
    return tape.record([x], dense(x, weights), (ybar, [needX]) =>
      [denseVjp(x, ybar, weights, { weight: p.weight.grad, bias: p.bias.grad }, needX)]);
  },
  tanh(tape: Recorder, x: Jet): Jet {
    return tape.record([x], tanh(x), (ybar) => [tanhVjp(x, ybar)]);
  },
  conv2d(tape: Recorder, x: Jet, p: Conv2dParameters): Jet {
    const weights = { ...p, weight: p.weight.value, bias: p.bias.value };
    return tape.record([x], conv2d(x, weights), (ybar, [needX]) =>
      [conv2dVjp(x, ybar, weights, { weight: p.weight.grad, bias: p.bias.grad }, needX)]);
  },
  /** Eval mode (the running statistics), at any order. */
  batchnorm(tape: Recorder, x: Jet, p: BatchNormParameters): Jet {
    const weights = { ...p, weight: p.weight.value, bias: p.bias.value };
    return tape.record([x], batchnormEval(x, weights), (ybar, [needX]) =>
      [batchnormEvalVjp(x, ybar, weights, { weight: p.weight.grad, bias: p.bias.grad }, needX)]);
  },
  /**
   * Train mode (order 0): normalizes with the batch's statistics and moves the running ones
   * (`updateRunning`). The statistics the reverse pass needs are recorded as a jet of their own,
   * so that the tape releases them with everything else it made.
   */
  batchnormTrain(tape: Recorder, x: Jet, p: BatchNormParameters, updateRunning = true): Jet {
    const weights = { ...p, weight: p.weight.value, bias: p.bias.value };
    const { y, stats } = batchnormTrain(x, weights, updateRunning);
    tape.record([], new Jet(x.engine, stats.buffer, 1, 0, [p.channels, 2]), () => []);
    return tape.record([x], y, (ybar, [needX]) =>
      [batchnormTrainVjp(x, ybar, weights, stats, { weight: p.weight.grad, bias: p.bias.grad }, needX)]);
  },
  maxpool2d(tape: Recorder, x: Jet, p: MaxPool2dOptions): Jet {
    const options = { size: p.size, stride: p.stride };
    return tape.record([x], maxpool2d(x, options), (ybar) => [maxpool2dVjp(x, ybar, options)]);
  },
  /** Labels (uploadLabels) are data: they get no cotangent. */
  softmaxCrossEntropy(tape: Recorder, logits: Jet, labels: GPUBuffer): Jet {
    return tape.record([logits], softmaxCrossEntropy(logits, labels), (ybar) => [softmaxCrossEntropyVjp(logits, labels, ybar)]);
  },
  logSoftmax(tape: Recorder, x: Jet): Jet {
    return tape.record([x], logSoftmax(x), (ybar) => [logSoftmaxVjp(x, ybar)]);
  },
  sumFeatures(tape: Recorder, x: Jet): Jet {
    return tape.record([x], sumFeatures(x), (ybar) => [sumFeaturesVjp(x, ybar)]);
  },
  meanFeatures(tape: Recorder, x: Jet): Jet {
    return tape.record([x], meanFeatures(x), (ybar) => [meanFeaturesVjp(x, ybar)]);
  },
  sumRows(tape: Recorder, x: Jet): Jet {
    return tape.record([x], sumRows(x), (ybar) => [sumRowsVjp(x, ybar)]);
  },
  meanRows(tape: Recorder, x: Jet): Jet {
    return tape.record([x], meanRows(x), (ybar) => [meanRowsVjp(x, ybar)]);
  },
  // Elementwise ops. Rules skip the cotangents nothing needs (`needs`, see Tape): the input of
  // a network gets none.
  add(tape: Recorder, a: Jet, b: Jet): Jet {
    return tape.record([a, b], add(a, b), (ybar, needs) => addVjp(ybar, needs));
  },
  sub(tape: Recorder, a: Jet, b: Jet): Jet {
    return tape.record([a, b], sub(a, b), (ybar, needs) => subVjp(ybar, needs));
  },
  scale(tape: Recorder, x: Jet, s: number): Jet {
    return unary(tape, x, scale(x, s), (ybar) => scaleVjp(ybar, s));
  },
  mul(tape: Recorder, a: Jet, b: Jet): Jet {
    return tape.record([a, b], mul(a, b), (ybar, needs) => mulVjp(a, b, ybar, needs));
  },
  div(tape: Recorder, a: Jet, b: Jet): Jet {
    // One kernel makes both cotangents (b̄ is computed from ā); an unneeded one goes back at once.
    return tape.record([a, b], div(a, b), (ybar, needs) => divVjp(a, b, ybar).map((xbar, j) => {
      if (needs[j]) return xbar;
      xbar.release();
      return null;
    }));
  },
  reciprocal(tape: Recorder, x: Jet): Jet {
    return unary(tape, x, reciprocal(x), (ybar) => reciprocalVjp(x, ybar));
  },
  /** n an integer. The rule recomputes x^(n-1) in the backward pass rather than keeping it. */
  powi(tape: Recorder, x: Jet, n: number): Jet {
    return unary(tape, x, powi(x, n), (ybar) => powiVjp(x, ybar, n));
  },
  exp(tape: Recorder, x: Jet): Jet {
    return unary(tape, x, exp(x), (ybar) => expVjp(x, ybar));
  },
  log(tape: Recorder, x: Jet): Jet {
    return unary(tape, x, log(x), (ybar) => logVjp(x, ybar));
  },
  sin(tape: Recorder, x: Jet): Jet {
    return unary(tape, x, sin(x), (ybar) => sinVjp(x, ybar));
  },
  cos(tape: Recorder, x: Jet): Jet {
    return unary(tape, x, cos(x), (ybar) => cosVjp(x, ybar));
  },
  sqrt(tape: Recorder, x: Jet): Jet {
    return unary(tape, x, sqrt(x), (ybar) => sqrtVjp(x, ybar));
  },
  sigmoid(tape: Recorder, x: Jet): Jet {
    return unary(tape, x, sigmoid(x), (ybar) => sigmoidVjp(x, ybar));
  },
  relu(tape: Recorder, x: Jet): Jet {
    return unary(tape, x, relu(x), (ybar) => reluVjp(x, ybar));
  },
} satisfies Record<OpName, Rule>;

/** Records a one-input op y whose x̄ is vjp(ȳ), run only when something needs x̄. */
function unary(tape: Recorder, x: Jet, y: Jet, vjp: (ybar: Jet) => Jet): Jet {
  return tape.record([x], y, (ybar, [need]) => [need ? vjp(ybar) : null]);
}

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
  return unary(tape, x, raiseOrderKernel(x, order), (ybar) => truncateOrder(ybar, low));
}
