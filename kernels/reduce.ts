import wgsl from '../shaders/reduce.wgsl';
import { Jet } from '../src/jet/jet.js';

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
