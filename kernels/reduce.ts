import wgsl from '../shaders/reduce.wgsl';
import { Jet } from '../src/jet/jet.js';
import { describeShape } from '../src/jet/layout.js';
import { JetcurveError } from '../src/errors.js';
import type { Recorder } from '../src/autodiff/recorder.js';
import { defineOp } from './op.js';

export const sumFeaturesForward = { name: 'reduce', wgsl, entryPoint: 'sum_features_forward' } as const;
export const sumRowsForward = { name: 'reduce', wgsl, entryPoint: 'sum_rows_forward' } as const;

function overFeatures(x: Jet, scale: number): Jet {
  const y = Jet.empty(x.engine, x.rows, x.order, [1]);
  x.engine.dispatch(sumFeaturesForward, { x: x.buffer, y: y.buffer },
    { rows: x.rows, order: x.order, features: x.features, scale }, x.rows * (x.order + 1));
  return y;
}

function overRows(x: Jet, scale: number): Jet {
  const y = Jet.empty(x.engine, 1, x.order, x.shape);
  x.engine.dispatch(sumRowsForward, { x: x.buffer, y: y.buffer },
    { rows: x.rows, order: x.order, features: x.features, scale }, (x.order + 1) * x.features);
  return y;
}

/** Σ over the features of each row and order: shape [1]. */
export const sumFeatures = (x: Jet): Jet => overFeatures(x, 1);
/** Mean over the features of each row and order: shape [1]. */
export const meanFeatures = (x: Jet): Jet => overFeatures(x, 1 / x.features);
/** Σ over the rows for each order and feature: one row, same shape. */
export const sumRows = (x: Jet): Jet => overRows(x, 1);
/** Mean over the rows for each order and feature: one row, same shape. */
export const meanRows = (x: Jet): Jet => overRows(x, 1 / x.rows);

export const sumFeaturesVjpSource = { name: 'reduce', wgsl, entryPoint: 'sum_features_vjp' } as const;
export const sumRowsVjpSource = { name: 'reduce', wgsl, entryPoint: 'sum_rows_vjp' } as const;

function broadcast(x: Jet, ybar: Jet, overRows: boolean, scale: number): Jet {
  const rows = overRows ? 1 : x.rows;
  const features = overRows ? x.features : 1;
  if (ybar.rows !== rows || ybar.order !== x.order || ybar.features !== features) {
    throw new JetcurveError(`reduction vjp: the cotangent is ${describeShape(ybar)}, the output has ${rows} rows, order ${x.order}, ${features} features`,
      'pass the cotangent of this reduction\'s output');
  }
  const xbar = Jet.empty(x.engine, x.rows, x.order, x.shape);
  x.engine.dispatch(overRows ? sumRowsVjpSource : sumFeaturesVjpSource, { ybar: ybar.buffer, xbar: xbar.buffer },
    { rows: x.rows, order: x.order, features: x.features, scale }, x.length);
  return xbar;
}

/** Reverse modes for the output cotangent ȳ: x̄ (a new jet, shaped like x) is ȳ broadcast, times 1/n for the means. */
export const sumFeaturesVjp = (x: Jet, ybar: Jet): Jet => broadcast(x, ybar, false, 1);
export const meanFeaturesVjp = (x: Jet, ybar: Jet): Jet => broadcast(x, ybar, false, 1 / x.features);
export const sumRowsVjp = (x: Jet, ybar: Jet): Jet => broadcast(x, ybar, true, 1);
export const meanRowsVjp = (x: Jet, ybar: Jet): Jet => broadcast(x, ybar, true, 1 / x.rows);

/** A reduction's op: one input, its VJP a broadcast of ȳ. */
const reduction = <const N extends string>(name: N, forward: (x: Jet) => Jet, vjp: (x: Jet, ybar: Jet) => Jet) => defineOp({
  name,
  arity: 1,
  record(tape: Recorder, x: Jet): Jet {
    return tape.record([x], forward(x), (ybar) => [vjp(x, ybar)]);
  },
});

export const sumFeaturesOp = reduction('sumFeatures', sumFeatures, sumFeaturesVjp);
export const meanFeaturesOp = reduction('meanFeatures', meanFeatures, meanFeaturesVjp);
export const sumRowsOp = reduction('sumRows', sumRows, sumRowsVjp);
export const meanRowsOp = reduction('meanRows', meanRows, meanRowsVjp);
