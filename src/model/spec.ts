// A model in memory: the validated content of a model file (README.md, "Model file"), with
// weights decoded to f32. Training builds and updates these; io.ts reads and writes them.
import type { Tensor } from './tensor.js';

export const MODEL_FORMAT = 'jetcurve-model/1';

export interface DenseLayer {
  readonly type: 'dense';
  /** [out][in], row-major as in PyTorch's nn.Linear. */
  readonly weight: Tensor;
  /** [out] */
  readonly bias: Tensor;
}

export interface Conv2dLayer {
  readonly type: 'conv2d';
  /** [out][in][kh][kw], as in PyTorch's nn.Conv2d. */
  readonly weight: Tensor;
  /** [out] */
  readonly bias: Tensor;
  readonly stride: number;
  readonly padding: number;
}

export interface MaxPool2dLayer {
  readonly type: 'maxpool2d';
  readonly size: number;
  readonly stride: number;
}

/**
 * Batch normalization over the channel axis (axis 0 of the feature shape: [C] after a dense
 * layer, as nn.BatchNorm1d; [C, H, W] after a convolution, as nn.BatchNorm2d). A model file
 * holds it in eval mode: y = (x − runningMean)/√(runningVar + eps)·weight + bias per channel.
 * Training normalizes with the batch's statistics and moves the running ones by `momentum`.
 */
export interface BatchNormLayer {
  readonly type: 'batchnorm';
  /** [C] (γ) */
  readonly weight: Tensor;
  /** [C] (β) */
  readonly bias: Tensor;
  /** [C] */
  readonly runningMean: Tensor;
  /** [C], ≥ 0 */
  readonly runningVar: Tensor;
  /** Added to the variance before the square root; PyTorch's default 1e-5. */
  readonly eps: number;
  /** running = (1 − momentum)·running + momentum·batch; PyTorch's default 0.1. */
  readonly momentum: number;
}

export const BATCHNORM_DEFAULTS = { eps: 1e-5, momentum: 0.1 } as const;

// The activation layers are the registry's ops marked `layer` (kernels/index.ts).
import { ACTIVATION_TYPES, type ActivationType } from '../../kernels/index.js';
export { ACTIVATION_TYPES, type ActivationType };

export interface ActivationLayer {
  readonly type: ActivationType;
}

export interface FlattenLayer {
  readonly type: 'flatten';
}

export type Layer = DenseLayer | Conv2dLayer | MaxPool2dLayer | BatchNormLayer | ActivationLayer | FlattenLayer;
export type LayerType = Layer['type'];

export const LAYER_TYPES: readonly LayerType[] = ['dense', 'conv2d', 'maxpool2d', 'batchnorm', 'flatten', ...ACTIVATION_TYPES];

export interface ModelSpec {
  /** [D] for vectors, [C, H, W] for images. */
  readonly input: readonly number[];
  readonly layers: readonly Layer[];
  /** Free-form notes a writer keeps (how it was trained, its accuracy); not interpreted. */
  readonly meta?: Readonly<Record<string, unknown>>;
}

/** "layer 2 (dense)": layers are counted from 0, as their index in the file's array. */
export const layerName = (index: number, type: string): string => `layer ${index} (${type})`;

/** "m.json: layer 2 (dense)"; a model that is not from a file ("model") gets no prefix. */
export const within = (source: string, where: string): string => (source === 'model' ? where : `${source}: ${where}`);
