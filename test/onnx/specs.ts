// jetcurve models to export: a CNN with every image layer (conv2d with padding and with stride,
// maxpool2d with overlapping windows, flatten), seeded.
import type { ModelSpec } from '../../src/model/spec.js';
import { tensor } from '../../src/model/tensor.js';
import { Random } from '../../src/util/random.js';

export const smallCnn: ModelSpec = (() => {
  const random = new Random(31);
  const t = (shape: number[], std: number) => tensor(shape, random.normals(shape.reduce((a, b) => a * b, 1), std));
  return { input: [2, 9, 9], layers: [
    { type: 'conv2d', weight: t([4, 2, 3, 3], 0.3), bias: t([4], 0.1), stride: 1, padding: 1 },
    { type: 'relu' },
    { type: 'maxpool2d', size: 3, stride: 2 },
    { type: 'conv2d', weight: t([3, 4, 2, 2], 0.3), bias: t([3], 0.1), stride: 2, padding: 0 },
    { type: 'sigmoid' },
    { type: 'flatten' },
    { type: 'dense', weight: t([5, 12], 0.4), bias: t([5], 0.1) },
    { type: 'tanh' },
  ] };
})();
