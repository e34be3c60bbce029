import wgsl from '../shaders/softmax-xent.wgsl';
import type { Engine } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { describeShape } from '../src/jet/layout.js';
import { JetcurveError } from '../src/errors.js';
import type { Recorder } from '../src/autodiff/recorder.js';
import { defineOp } from './op.js';

export const logSoftmaxForward = { name: 'softmax-xent', wgsl, entryPoint: 'log_softmax_forward' } as const;
export const softmaxXentForward = { name: 'softmax-xent', wgsl, entryPoint: 'softmax_xent_forward' } as const;

function checkLogits(op: string, x: Jet): void {
  if (x.shape.length !== 1) {
    throw new JetcurveError(`${op} takes a flat vector of logits per row, the jet is ${describeShape(x)}`,
      'put a flatten (and a dense layer to the class count) before the loss');
  }
}

/** log-softmax over the features of each row; same shape as x. */
export function logSoftmax(x: Jet): Jet {
  checkLogits('logSoftmax', x);
  const y = Jet.empty(x.engine, x.rows, x.order, x.shape);
  x.engine.dispatch(logSoftmaxForward, { x: x.buffer, y: y.buffer },
    { rows: x.rows, order: x.order, features: x.features }, x.rows);
  return y;
}

/** Labels on the GPU as u32, one per jet row (repeat a point's label for each of its directions). */
export function uploadLabels(engine: Engine, labels: Uint32Array, classes: number): GPUBuffer {
  const bad = labels.findIndex((v) => v >= classes);
  if (bad >= 0) {
    throw new JetcurveError(`label ${labels[bad]} at index ${bad} is not below the class count ${classes}`,
      'number the classes 0..classes−1 and match the model\'s output size');
  }
  return engine.upload(labels);
}

/** Per-row loss logsumexp(z) − z_label as a jet of shape [1]; `labels` from uploadLabels. */
export function softmaxCrossEntropy(logits: Jet, labels: GPUBuffer): Jet {
  checkLogits('softmaxCrossEntropy', logits);
  if (labels.size < logits.rows * 4) {
    throw new JetcurveError(`softmaxCrossEntropy: ${logits.rows} rows need ${logits.rows} labels, the label buffer has room for ${labels.size / 4}`,
      'upload one label per jet row');
  }
  const y = Jet.empty(logits.engine, logits.rows, logits.order, [1]);
  logits.engine.dispatch(softmaxXentForward, { x: logits.buffer, labels, y: y.buffer },
    { rows: logits.rows, order: logits.order, features: logits.features }, logits.rows);
  return y;
}

export const logSoftmaxVjpSource = { name: 'softmax-xent', wgsl, entryPoint: 'log_softmax_vjp' } as const;
export const softmaxXentVjpSource = { name: 'softmax-xent', wgsl, entryPoint: 'softmax_xent_vjp' } as const;

function checkCotangent(op: string, ybar: Jet, rows: number, order: number, features: number): void {
  if (ybar.rows !== rows || ybar.order !== order || ybar.features !== features) {
    throw new JetcurveError(`${op} vjp: the cotangent is ${describeShape(ybar)}, the output has ${rows} rows, order ${order}, ${features} features`,
      `pass the cotangent of this ${op}'s output`);
  }
}

/** Reverse mode of logSoftmax(x) for the output cotangent ȳ: x̄, a new jet. */
export function logSoftmaxVjp(x: Jet, ybar: Jet): Jet {
  checkLogits('logSoftmax', x);
  checkCotangent('logSoftmax', ybar, x.rows, x.order, x.features);
  const xbar = Jet.empty(x.engine, x.rows, x.order, x.shape);
  x.engine.dispatch(logSoftmaxVjpSource, { x: x.buffer, ybar: ybar.buffer, xbar: xbar.buffer },
    { rows: x.rows, order: x.order, features: x.features }, x.rows);
  return xbar;
}

/** Reverse mode of softmaxCrossEntropy(logits, labels) for the loss cotangent ȳ [rows, K+1, 1]: the logits' x̄ (labels get none). */
export function softmaxCrossEntropyVjp(logits: Jet, labels: GPUBuffer, ybar: Jet): Jet {
  checkLogits('softmaxCrossEntropy', logits);
  checkCotangent('softmaxCrossEntropy', ybar, logits.rows, logits.order, 1);
  const xbar = Jet.empty(logits.engine, logits.rows, logits.order, logits.shape);
  logits.engine.dispatch(softmaxXentVjpSource, { x: logits.buffer, labels, ybar: ybar.buffer, xbar: xbar.buffer },
    { rows: logits.rows, order: logits.order, features: logits.features }, logits.rows);
  return xbar;
}

export const softmaxCrossEntropyOp = defineOp({
  name: 'softmaxCrossEntropy',
  arity: 1,
  /** Labels (uploadLabels) are data: they get no cotangent. */
  record(tape: Recorder, logits: Jet, labels: GPUBuffer): Jet {
    return tape.record([logits], softmaxCrossEntropy(logits, labels), (ybar) => [softmaxCrossEntropyVjp(logits, labels, ybar)]);
  },
});

export const logSoftmaxOp = defineOp({
  name: 'logSoftmax',
  arity: 1,
  record(tape: Recorder, x: Jet): Jet {
    return tape.record([x], logSoftmax(x), (ybar) => [logSoftmaxVjp(x, ybar)]);
  },
});
