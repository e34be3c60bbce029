// The one walk over a model's layers. Every consumer — the GPU network (jets, λ and training,
// src/model/model.ts), the float64 reference (src/reference/model64.ts) and the browser — runs a
// model through interpret() with its own LayerOps; the switch over layer types is written here
// only, so a new layer type is one more case here and one more method on each LayerOps.
import type { ActivationType, BatchNormLayer, Conv2dLayer, DenseLayer, Layer, MaxPool2dLayer, ModelSpec } from './spec.js';

/** How one consumer applies each kind of layer to its value type T (a GPU jet, a float64 jet, …). */
export interface LayerOps<T> {
  dense(x: T, layer: DenseLayer, index: number): T;
  conv2d(x: T, layer: Conv2dLayer, index: number): T;
  maxpool2d(x: T, layer: MaxPool2dLayer, index: number): T;
  batchnorm(x: T, layer: BatchNormLayer, index: number): T;
  /** `shape` is the flattened feature shape ([features]). */
  flatten(x: T, shape: readonly number[], index: number): T;
  activation(x: T, type: ActivationType, index: number): T;
}

/** Runs x through the layers; `shapes` from inferShapes (shapes[i + 1] is layer i's output). */
export function interpret<T>(spec: ModelSpec, shapes: readonly (readonly number[])[], x: T, ops: LayerOps<T>): T {
  return spec.layers.reduce((h, layer, i) => applyLayer(ops, h, layer, i, shapes[i + 1]!), x);
}

function applyLayer<T>(ops: LayerOps<T>, x: T, layer: Layer, index: number, output: readonly number[]): T {
  switch (layer.type) {
    case 'dense': return ops.dense(x, layer, index);
    case 'conv2d': return ops.conv2d(x, layer, index);
    case 'maxpool2d': return ops.maxpool2d(x, layer, index);
    case 'batchnorm': return ops.batchnorm(x, layer, index);
    case 'flatten': return ops.flatten(x, output, index);
    default: return ops.activation(x, layer.type, index);
  }
}
