// Random models for demos and tests (training uses src/train/init.ts): dense layers with normal
// weights of standard deviation gain/√fan_in and normal biases, seeded.
import { Random } from '../util/random.js';
import type { ActivationType, Layer, ModelSpec } from './spec.js';
import { tensor } from './tensor.js';

export interface RandomMlpOptions {
  readonly activation?: ActivationType;
  readonly seed?: number;
  /** Weight std is gain/√fan_in: 1 keeps pre-activations of order one. */
  readonly gain?: number;
  /** A fixed weight std for every layer instead (1: weights of order one, whatever the width). */
  readonly weightStd?: number;
  readonly biasStd?: number;
}

/** sizes [2, 64, 64, 1]: dense 2→64, act, dense 64→64, act, dense 64→1. */
export function randomMlp(sizes: readonly number[], options: RandomMlpOptions = {}): ModelSpec {
  const random = new Random(options.seed ?? 1);
  const gain = options.gain ?? 1;
  const layers: Layer[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const [inputs, outputs] = [sizes[i]!, sizes[i + 1]!];
    layers.push({
      type: 'dense',
      weight: tensor([outputs, inputs], random.normals(outputs * inputs, options.weightStd ?? gain / Math.sqrt(inputs))),
      bias: tensor([outputs], random.normals(outputs, options.biasStd ?? 0.5)),
    });
    if (i + 2 < sizes.length) layers.push({ type: options.activation ?? 'tanh' });
  }
  return { input: [sizes[0]!], layers };
}
