// Where every trainable tensor of a model sits in the flat parameter vector θ: layer by layer,
// weight then bias, row-major — the order of Model.parameters and of readParameters(). The
// GPU Hessian, the float64 oracle of parameter lines and the per-layer figures all index θ
// through this one layout, so a new layer with parameters is one more case here.
import type { Layer, ModelSpec } from './spec.js';

/** One trainable tensor: `layer<i>.weight` or `layer<i>.bias`, as the model's Parameters are named. */
export interface ParameterTensor {
  readonly name: string;
  readonly layer: number;
  readonly role: 'weight' | 'bias';
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
}

export interface ParameterLayout {
  readonly tensors: readonly ParameterTensor[];
  /** P, the length of θ. */
  readonly size: number;
}

/** The layers that hold trainable tensors (BatchNorm's running statistics are state, not parameters). */
export type ParameterLayer = Extract<Layer, { readonly weight: unknown }>;

export function hasParameters(layer: Layer): layer is ParameterLayer {
  return layer.type === 'dense' || layer.type === 'conv2d' || layer.type === 'batchnorm';
}

export function parameterLayout(spec: ModelSpec): ParameterLayout {
  const tensors: ParameterTensor[] = [];
  let offset = 0;
  spec.layers.forEach((layer, i) => {
    if (!hasParameters(layer)) return;
    for (const role of ['weight', 'bias'] as const) {
      const shape = layer[role].shape;
      const size = shape.reduce((a, b) => a * b, 1);
      tensors.push({ name: `layer${i}.${role}`, layer: i, role, shape, offset, size });
      offset += size;
    }
  });
  return { tensors, size: offset };
}

/** The spec's weights as θ, in the layout's order. */
export function parameterVector(spec: ModelSpec, layout: ParameterLayout = parameterLayout(spec)): Float64Array {
  const theta = new Float64Array(layout.size);
  for (const t of layout.tensors) theta.set((spec.layers[t.layer] as ParameterLayer)[t.role].data, t.offset);
  return theta;
}

/** A layer's weight and bias slices of a parameter vector. */
export function layerSlices(layout: ParameterLayout, layer: number, values: Float64Array | Float32Array): { weight: Float64Array | Float32Array; bias: Float64Array | Float32Array } {
  const slice = (role: 'weight' | 'bias') => {
    const t = layout.tensors.find((p) => p.layer === layer && p.role === role)!;
    return values.subarray(t.offset, t.offset + t.size);
  };
  return { weight: slice('weight'), bias: slice('bias') };
}

/** Each tensor's name and place in the vector: the per-layer blocks of a Hessian over this layout. */
export function layoutBlocks(layout: ParameterLayout): { name: string; offset: number; size: number }[] {
  return layout.tensors.map((t) => ({ name: t.name, offset: t.offset, size: t.size }));
}
