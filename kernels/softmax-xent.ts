import wgsl from '../shaders/softmax-xent.wgsl';
import type { Engine } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { describeShape } from '../src/jet/layout.js';
import { JetcurveError } from '../src/errors.js';

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
