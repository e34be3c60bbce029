// The float64 forward pass of a model on jets, built from the reference ops of src/reference and
// walked by the same interpret() as the GPU network: the oracle the model tests compare against.
import { batchnormEval64 } from './batchnorm64.js';
import { conv2d64, maxpool2d64 } from './conv64.js';
import { activation } from '../../kernels/index.js';
import { dense64, jet64, mapSeries, type Jet64 } from './jet64.js';
import { featureCount } from '../jet/layout.js';
import { interpret } from '../model/interpret.js';
import { inferShapes } from '../model/shapes.js';
import type { ModelSpec } from '../model/spec.js';

/** The float64 forward pass of a model on jets: the oracle the GPU network is held to. */
export function forward64(spec: ModelSpec, x: Jet64): Jet64 {
  const shapes = inferShapes(spec);
  return interpret<Jet64>(spec, shapes, { ...x, shape: shapes[0]! }, {
    dense(h, layer) {
      const [outputs, inputs] = layer.weight.shape as [number, number];
      return dense64(h, Float64Array.from(layer.weight.data), Float64Array.from(layer.bias.data), inputs, outputs);
    },
    conv2d(h, layer) {
      const [outChannels, inChannels, kernelH, kernelW] = layer.weight.shape as [number, number, number, number];
      return conv2d64(h, Float64Array.from(layer.weight.data), Float64Array.from(layer.bias.data),
        { inChannels, outChannels, kernelH, kernelW, stride: layer.stride, padding: layer.padding });
    },
    maxpool2d: (h, layer) => maxpool2d64(h, layer.size, layer.stride),
    // A model file's BatchNorm is in eval mode (its running statistics), as the λ paper's library measures.
    batchnorm: (h, layer) => batchnormEval64(h, {
      weight: Float64Array.from(layer.weight.data), bias: Float64Array.from(layer.bias.data),
      runningMean: Float64Array.from(layer.runningMean.data), runningVar: Float64Array.from(layer.runningVar.data), eps: Math.fround(layer.eps),
    }),
    flatten: (h, shape) => ({ ...h, shape }),
    activation: (h, type) => { const op = activation(type); return mapSeries(h, (c) => op.series64(c)); },
  });
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
