// The networks of the λ paper's experiments, freshly initialised from a seed (src/train/init.ts:
// Glorot uniform before tanh and the logits, He normal before relu, zero biases; the paper's
// CNN and flatgrad's BatchNorm CNN with PyTorch's default initialisation).
import { JetcurveError } from '../errors.js';
import { BATCHNORM_DEFAULTS, type Layer, type ModelSpec } from '../model/spec.js';
import { tensor } from '../model/tensor.js';
import { Random } from '../util/random.js';
import { initConv2d, initDense, mlpScheme, type InitScheme, type MlpInit, type Nonlinearity } from './init.js';
import type { DropoutAt } from '../model/model.js';

/** A model spec with fresh weights, and where dropout goes while training. */
export interface Architecture {
  readonly spec: ModelSpec;
  readonly dropout: readonly DropoutAt[];
  /** One line for logs and summaries. */
  readonly description: string;
}

function denseLayer(inputs: number, outputs: number, after: Nonlinearity, random: Random, scheme: InitScheme = 'fitted'): Layer {
  const init = initDense(outputs, inputs, after, random, scheme);
  return { type: 'dense', weight: tensor([outputs, inputs], init.weight), bias: tensor([outputs], init.bias) };
}

/**
 * The Two Moons MLP (flatgrad): in → 64 → 64 → classes with tanh, Xavier init (or PyTorch's
 * default, `init`). An image input [C, H, W] is flattened first.
 */
export function mlp(input: readonly number[], classes: number, seed: number, hidden: readonly number[] = [64, 64], init: MlpInit = 'xavier'): Architecture {
  const random = new Random(seed);
  const scheme = mlpScheme(init);
  const layers: Layer[] = input.length > 1 ? [{ type: 'flatten' }] : [];
  const size = input.reduce((a, b) => a * b, 1);
  let width = size;
  for (const h of hidden) {
    layers.push(denseLayer(width, h, 'tanh', random, scheme), { type: 'tanh' });
    width = h;
  }
  layers.push(denseLayer(width, classes, 'none', random, scheme));
  return { spec: { input, layers }, dropout: [], description: `tanh MLP ${[size, ...hidden, classes].join('-')}${init === 'pytorch' ? ', PyTorch init' : ''}` };
}

export interface CnnOptions {
  /** Output channels of the two 3×3 convolutions. */
  readonly channels: readonly [number, number];
  /** Units of the hidden dense layer. */
  readonly hidden: number;
  /** Stride of the first convolution (2: a quarter of the pixels for everything after it). */
  readonly firstStride: number;
  /** Dropout rates after the max-pool and after the hidden dense layer (pytorch/examples: 0.25, 0.5; the λ paper: 0.5, 0.5). */
  readonly dropout: readonly [number, number];
  /** Weight initialisation (src/train/init.ts); 'fitted' when absent. */
  readonly init?: InitScheme;
  /**
   * conv → relu → conv → relu → pool, the layers as the paper's network has them, when true;
   * conv → relu → conv → pool → relu when absent: the same function (below), on a quarter of the values.
   */
  readonly reluBeforePool?: boolean;
}

export type CnnWidth = 'small' | 'paper';

/**
 * `paper`: the λ paper's MNIST CNN exactly (its notebooks' `CNN`, the pytorch/examples net with
 * dropout 0.5 twice): conv 1→32 3×3 → relu → conv 32→64 3×3 → relu → max-pool 2 → dropout 0.5 →
 * flatten 9216 → fc 128 → relu → dropout 0.5 → fc 10, PyTorch's default initialisation; slow on
 * a CPU adapter. `small`: 8 and 16 channels, the first convolution with stride 2 (13×13 maps
 * instead of 26×26), no dropout (a few epochs do not overfit); sized to train to ≥ 98.5% in
 * about 15 minutes on SwiftShader with 2 cores: with the CLI's defaults (Adam 3e-3, cosine to 0
 * over 5 epochs) 98.74%, and 98.57% in 4 epochs that took 16.7 minutes with the machine under
 * other jobs (README, training).
 */
export const CNN_WIDTHS: Readonly<Record<CnnWidth, CnnOptions>> = {
  small: { channels: [8, 16], hidden: 128, firstStride: 2, dropout: [0, 0] },
  paper: { channels: [32, 64], hidden: 128, firstStride: 1, dropout: [0.5, 0.5], init: 'pytorch', reluBeforePool: true },
};

/** conv 3×3 (stride s) → relu → conv 3×3 → pool 2 → relu → flatten → dense → relu → dense (or → relu → pool, reluBeforePool). */
export function cnn(input: readonly number[], classes: number, seed: number, options: CnnOptions): Architecture {
  if (input.length !== 3) throw new JetcurveError(`the CNN takes images [C, H, W], the data has inputs of shape ${input.join('×')}`, 'use --model mlp for vector data');
  const random = new Random(seed);
  const scheme = options.init ?? 'fitted';
  const [c1, c2] = options.channels;
  let [channels, height, width] = input as [number, number, number];
  const layers: Layer[] = [];
  const conv = (out: number, stride: number): void => {
    const init = initConv2d(out, channels, 3, 3, 'relu', random, scheme);
    layers.push({ type: 'conv2d', weight: tensor([out, channels, 3, 3], init.weight), bias: tensor([out], init.bias), stride, padding: 0 });
    channels = out;
    height = Math.floor((height - 3) / stride) + 1;
    width = Math.floor((width - 3) / stride) + 1;
  };
  const pool = (): void => {
    layers.push({ type: 'maxpool2d', size: 2, stride: 2 });
    height = Math.floor(height / 2);
    width = Math.floor(width / 2);
  };
  conv(c1, options.firstStride);
  layers.push({ type: 'relu' });
  conv(c2, 1);
  // pool → relu computes what relu → pool does (relu is monotone, and on jets both keep the
  // lexicographically largest series when it is positive and give 0 otherwise, the cotangent
  // going to the same element), on a quarter of the values: in training that saved most of a
  // relu's forward and reverse pass.
  if (options.reluBeforePool) {
    layers.push({ type: 'relu' });
    pool();
  } else {
    pool();
    layers.push({ type: 'relu' });
  }
  if (height < 1 || width < 1) throw new JetcurveError(`images of ${input.join('×')} are too small for this CNN`);
  const afterPool = layers.length - 1;
  layers.push({ type: 'flatten' }, denseLayer(channels * height * width, options.hidden, 'relu', random, scheme), { type: 'relu' });
  const afterHidden = layers.length - 1;
  layers.push(denseLayer(options.hidden, classes, 'none', random, scheme));
  const dropout = [{ after: afterPool, rate: options.dropout[0] }, { after: afterHidden, rate: options.dropout[1] }].filter((d) => d.rate > 0);
  const drop = dropout.length ? `, dropout ${options.dropout.join('/')}` : '';
  return {
    spec: { input, layers }, dropout,
    description: `CNN conv${c1}${options.firstStride > 1 ? `/s${options.firstStride}` : ''}-conv${c2}-pool-fc${options.hidden} (relu${drop}${scheme === 'pytorch' ? ', PyTorch init' : ''})`,
  };
}

/** A BatchNorm layer as PyTorch creates it: weight 1, bias 0, running mean 0, running variance 1. */
function freshBatchNorm(channels: number): Layer {
  return {
    type: 'batchnorm', weight: tensor([channels], new Float32Array(channels).fill(1)), bias: tensor([channels], new Float32Array(channels)),
    runningMean: tensor([channels], new Float32Array(channels)), runningVar: tensor([channels], new Float32Array(channels).fill(1)),
    ...BATCHNORM_DEFAULTS,
  };
}

/**
 * flatgrad's `MNISTConvNet` (flatgrad/sampling/vision_models.py), the library's BatchNorm CNN:
 * conv 1→32 3×3 pad 1 → BN2d → relu → pool 2 → conv 32→64 3×3 pad 1 → BN2d → relu → pool 2 →
 * flatten 3136 → fc 128 → BN1d → relu → dropout → fc 10, PyTorch's default initialisation.
 */
export function cnnBatchNorm(input: readonly number[], classes: number, seed: number, dropout = 0.5): Architecture {
  if (input.length !== 3) throw new JetcurveError(`the CNN takes images [C, H, W], the data has inputs of shape ${input.join('×')}`, 'use --model mlp for vector data');
  const random = new Random(seed);
  let [channels, height, width] = input as [number, number, number];
  const layers: Layer[] = [];
  for (const out of [32, 64]) {
    const init = initConv2d(out, channels, 3, 3, 'relu', random, 'pytorch');
    layers.push({ type: 'conv2d', weight: tensor([out, channels, 3, 3], init.weight), bias: tensor([out], init.bias), stride: 1, padding: 1 },
      freshBatchNorm(out), { type: 'relu' }, { type: 'maxpool2d', size: 2, stride: 2 });
    channels = out;
    height = Math.floor(height / 2);
    width = Math.floor(width / 2);
  }
  if (height < 1 || width < 1) throw new JetcurveError(`images of ${input.join('×')} are too small for this CNN`);
  layers.push({ type: 'flatten' }, denseLayer(channels * height * width, 128, 'relu', random, 'pytorch'), freshBatchNorm(128), { type: 'relu' });
  const afterHidden = layers.length - 1;
  layers.push(denseLayer(128, classes, 'none', random, 'pytorch'));
  return {
    spec: { input, layers }, dropout: dropout > 0 ? [{ after: afterHidden, rate: dropout }] : [],
    description: `BatchNorm CNN conv32-bn-pool-conv64-bn-pool-fc128-bn (relu, dropout ${dropout}, PyTorch init; flatgrad's MNISTConvNet)`,
  };
}
