// The float64 forward pass of a model on jets, built from the reference ops of src/reference:
// and the activations' float64 rules (kernels/index.ts): the oracle the model tests compare the GPU against.
import { conv2d64, maxpool2d64 } from '../reference/conv64.js';
import { activation } from '../../kernels/index.js';
import { dense64, jet64, mapSeries, type Jet64 } from '../reference/jet64.js';
import { featureCount } from '../jet/layout.js';
import { inferShapes } from './shapes.js';
import type { ModelSpec } from './spec.js';

export function forward64(spec: ModelSpec, x: Jet64): Jet64 {
  const shapes = inferShapes(spec);
  let h: Jet64 = { ...x, shape: shapes[0]! };
  spec.layers.forEach((layer, i) => {
    switch (layer.type) {
      case 'dense': {
        const [outputs, inputs] = layer.weight.shape as [number, number];
        h = dense64(h, Float64Array.from(layer.weight.data), Float64Array.from(layer.bias.data), inputs, outputs);
        break;
      }
      case 'conv2d': {
        const [outChannels, inChannels, kernelH, kernelW] = layer.weight.shape as [number, number, number, number];
        h = conv2d64(h, Float64Array.from(layer.weight.data), Float64Array.from(layer.bias.data),
          { inChannels, outChannels, kernelH, kernelW, stride: layer.stride, padding: layer.padding });
        break;
      }
      case 'maxpool2d': h = maxpool2d64(h, layer.size, layer.stride); break;
      case 'flatten': h = { ...h, shape: shapes[i + 1]! }; break;
      default: { const op = activation(layer.type); h = mapSeries(h, (c) => op.series64(c)); }
    }
  });
  return h;
}

/**
 * The reference jets at points along directions (flat, row-major), rounded to f32 first as the
 * GPU sees them: c_0 = point, c_1 = direction, higher orders 0.
 */
export function referenceJets(spec: ModelSpec, points: ArrayLike<number>, directions: ArrayLike<number>, order: number): Jet64 {
  const size = featureCount(spec.input);
  const rows = points.length / size;
  const x = jet64(rows, order, spec.input);
  for (let row = 0; row < rows; row++) {
    for (let i = 0; i < size; i++) {
      x.data[row * (order + 1) * size + i] = Math.fround(points[row * size + i]!);
      if (order >= 1) x.data[(row * (order + 1) + 1) * size + i] = Math.fround(directions[row * size + i]!);
    }
  }
  return forward64(spec, x);
}
