// Seeded weight initialisation, chosen by the nonlinearity that FOLLOWS the layer:
// - tanh, sigmoid, or none (the logits layer): Glorot/Xavier uniform, U(−a, a) with
//   a = gain·√(6/(fan_in + fan_out)), gain 1 — PyTorch's nn.init.xavier_uniform_ default, and
//   flatgrad's "Xavier init" of its tanh MLP.
// - relu: He/Kaiming normal, N(0, 2/fan_in), untruncated — PyTorch's
//   kaiming_normal_(mode='fan_in', nonlinearity='relu'). NOT PyTorch's default layer init
//   (below); He normal keeps ReLU activations at unit scale.
// Biases start at zero. The scheme 'pytorch' is PyTorch's default of nn.Linear and nn.Conv2d
// instead, whatever follows: kaiming_uniform_ with a = √5, whose bound gain·√(3/fan_in) with
// gain = √(2/(1 + a²)) is 1/√fan_in, so weight U(±1/√fan_in), and bias U(±1/√fan_in) too,
// drawn weight first, then bias, as the layer's reset_parameters does. The λ paper's CNN (the
// pytorch/examples MNIST net) and flatgrad's BatchNorm CNN are initialised so.
// Shapes follow the model file: dense [out][in], conv2d [out][in][kh][kw],
// with fan_in = in·kh·kw and fan_out = out·kh·kw (as torch's _calculate_fan_in_and_fan_out).
import { JetcurveError } from '../errors.js';
import type { Random } from '../util/random.js';

export type Nonlinearity = 'tanh' | 'sigmoid' | 'relu' | 'none';

/** 'fitted': Glorot or He by the nonlinearity, zero biases; 'pytorch': PyTorch's layer default. */
export type InitScheme = 'fitted' | 'pytorch';

/**
 * The tanh MLP's initialisations by name (`jetcurve train --init`): `xavier`, the λ paper's
 * notebook code (Glorot uniform, zero biases: the 'fitted' scheme before tanh and the logits), or
 * `pytorch`, nn.Linear's default (weights and biases U(±1/√fan_in)), which the notebook's
 * Xavier lines override. The paper's Two Moons λ levels match the latter (README, reproduction).
 */
export const MLP_INITS = ['xavier', 'pytorch'] as const;
export type MlpInit = (typeof MLP_INITS)[number];
export const mlpScheme = (init: MlpInit): InitScheme => (init === 'pytorch' ? 'pytorch' : 'fitted');

export interface LayerInit {
  readonly weight: Float32Array;
  readonly bias: Float32Array;
}

export function glorotUniform(count: number, fanIn: number, fanOut: number, random: Random, gain = 1): Float32Array {
  const a = gain * Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float32Array(count);
  for (let i = 0; i < count; i++) w[i] = random.between(-a, a);
  return w;
}

export function heNormal(count: number, fanIn: number, random: Random): Float32Array {
  const std = Math.sqrt(2 / fanIn);
  const w = new Float32Array(count);
  for (let i = 0; i < count; i++) w[i] = std * random.normal();
  return w;
}

/** U(±1/√fan_in), PyTorch's default bound for both the weight and the bias of Linear and Conv2d. */
export function pytorchUniform(count: number, fanIn: number, random: Random): Float32Array {
  const bound = 1 / Math.sqrt(fanIn);
  const w = new Float32Array(count);
  for (let i = 0; i < count; i++) w[i] = random.between(-bound, bound);
  return w;
}

function init(count: number, fanIn: number, fanOut: number, outputs: number, after: Nonlinearity, random: Random, scheme: InitScheme): LayerInit {
  for (const [name, v] of [['fan_in', fanIn], ['fan_out', fanOut]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new JetcurveError(`layer initialisation: ${name} must be a positive integer, got ${v}`);
  }
  if (scheme === 'pytorch') {
    const weight = pytorchUniform(count, fanIn, random);
    return { weight, bias: pytorchUniform(outputs, fanIn, random) };
  }
  const weight = after === 'relu' ? heNormal(count, fanIn, random) : glorotUniform(count, fanIn, fanOut, random);
  return { weight, bias: new Float32Array(outputs) };
}

/** A dense layer's weight [out][in] and bias [out]. */
export function initDense(outputs: number, inputs: number, after: Nonlinearity, random: Random, scheme: InitScheme = 'fitted'): LayerInit {
  return init(outputs * inputs, inputs, outputs, outputs, after, random, scheme);
}

/** A conv2d layer's weight [out][in][kh][kw] and bias [out]. */
export function initConv2d(outputs: number, inputs: number, kh: number, kw: number, after: Nonlinearity, random: Random, scheme: InitScheme = 'fitted'): LayerInit {
  const field = kh * kw;
  return init(outputs * inputs * field, inputs * field, outputs * field, outputs, after, random, scheme);
}
