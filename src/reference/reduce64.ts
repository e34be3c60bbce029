// Float64 references of the feature and row reductions of jets.
import { featureCount } from '../jet/layout.js';
import { jet64, type Jet64 } from './jet64.js';

/** Σ (mean = false) or mean over the features of each row and order: shape [1]. */
export function sumFeatures64(x: Jet64, mean = false): Jet64 {
  const F = featureCount(x.shape);
  const y = jet64(x.rows, x.order, [1]);
  for (let t = 0; t < x.rows * (x.order + 1); t++) {
    let s = 0;
    for (let f = 0; f < F; f++) s += x.data[t * F + f]!;
    y.data[t] = mean ? s / F : s;
  }
  return y;
}

/** Σ or mean over the rows for each order and feature: one row. */
export function sumRows64(x: Jet64, mean = false): Jet64 {
  const stride = (x.order + 1) * featureCount(x.shape);
  const y = jet64(1, x.order, x.shape);
  for (let t = 0; t < stride; t++) {
    let s = 0;
    for (let b = 0; b < x.rows; b++) s += x.data[b * stride + t]!;
    y.data[t] = mean ? s / x.rows : s;
  }
  return y;
}
