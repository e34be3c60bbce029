// Tiny models for the parameter-space tests (test/curvature-cnn.test.ts and the Hessian-vector
// cases that run in Node and Chromium): every layer the GPU Hessian covers, small enough that
// the float64 oracle's dense Hessian takes well under a second.
import type { Layer, ModelSpec } from '../../src/model/spec.js';
import { tensor } from '../../src/model/tensor.js';
import { Random } from '../../src/util/random.js';

export function conv(random: Random, inC: number, outC: number, k: number, stride: number, padding: number): Layer {
  return { type: 'conv2d', weight: tensor([outC, inC, k, k], random.normals(outC * inC * k * k, 1.2 / Math.sqrt(inC * k * k))),
    bias: tensor([outC], random.normals(outC, 0.3)), stride, padding };
}
export function dense(random: Random, inputs: number, outputs: number): Layer {
  return { type: 'dense', weight: tensor([outputs, inputs], random.normals(outputs * inputs, 1.2 / Math.sqrt(inputs))), bias: tensor([outputs], random.normals(outputs, 0.3)) };
}
export function batchnorm(random: Random, channels: number): Layer {
  return { type: 'batchnorm', weight: tensor([channels], random.normals(channels, 0.3).map((x) => 1 + x)), bias: tensor([channels], random.normals(channels, 0.3)),
    runningMean: tensor([channels], random.normals(channels, 0.3)), runningVar: tensor([channels], Array.from({ length: channels }, () => random.between(0.5, 2))),
    eps: 1e-5, momentum: 0.1 };
}

/** 1×6×6 → conv 3×3 (3) → tanh → max-pool 2 → flatten → dense 6 → softplus → dense 3: 129 parameters. */
export function plainCnn(seed: number): ModelSpec {
  const r = new Random(seed);
  return { input: [1, 6, 6], layers: [conv(r, 1, 3, 3, 1, 0), { type: 'tanh' }, { type: 'maxpool2d', size: 2, stride: 2 }, { type: 'flatten' },
    dense(r, 12, 6), { type: 'softplus' }, dense(r, 6, 3)] };
}

/** 2×6×6 → conv 3×3 stride 2 padding 1 (2) → BatchNorm2d → relu → flatten → dense 4 → BatchNorm1d → tanh → dense 3: 141 parameters. */
export function batchNormCnn(seed: number): ModelSpec {
  const r = new Random(seed);
  return { input: [2, 6, 6], layers: [conv(r, 2, 2, 3, 2, 1), batchnorm(r, 2), { type: 'relu' }, { type: 'flatten' },
    dense(r, 18, 4), batchnorm(r, 4), { type: 'tanh' }, dense(r, 4, 3)] };
}

/** 2 → dense 8 → tanh → dense 8 → tanh → dense 3: 123 parameters, the Two Moons MLP's shape in small. */
export function tinyMlp(seed: number): ModelSpec {
  const r = new Random(seed);
  return { input: [2], layers: [dense(r, 2, 8), { type: 'tanh' }, dense(r, 8, 8), { type: 'tanh' }, dense(r, 8, 3)] };
}
