// The two networks of the benchmark, with seeded random weights and inputs: the λ paper's
// 2-64-64-2 tanh MLP on 2-D points, and the MNIST CNN that training builds (src/train/
// architectures.ts, width `small`: conv 1→8, pool, conv 8→16, pool, dense 128, relu) on 28×28 images.
import { randomMlp } from '../src/model/random-mlp.js';
import type { ModelSpec } from '../src/model/spec.js';
import { CNN_WIDTHS, cnn } from '../src/train/architectures.js';
import { Random } from '../src/util/random.js';

export interface BenchModel {
  readonly name: string;
  readonly description: string;
  readonly spec: ModelSpec;
  readonly batch: number;
}

export function mlpSpec(): ModelSpec {
  return randomMlp([2, 64, 64, 2], { activation: 'tanh', seed: 1 });
}

export function cnnSpec(): ModelSpec {
  return cnn([1, 28, 28], 10, 2, CNN_WIDTHS.small).spec;
}

export const benchModels = (): BenchModel[] => [
  { name: 'mlp', description: '2-64-64-2 tanh MLP, 1024 points', spec: mlpSpec(), batch: 1024 },
  { name: 'cnn', description: `${cnn([1, 28, 28], 10, 2, CNN_WIDTHS.small).description}, 64 images`, spec: cnnSpec(), batch: 64 },
];

export interface BenchInputs {
  /** [batch][input], row-major (C,H,W for images). */
  readonly points: Float32Array;
  /** Unit directions, one per point. */
  readonly directions: Float32Array;
  /** A unit covector on the outputs: the scalar differentiated is u·f. */
  readonly covector: Float32Array;
}

export function benchInputs(spec: ModelSpec, outputs: number, batch: number, seed = 3): BenchInputs {
  const random = new Random(seed);
  const size = spec.input.reduce((a, b) => a * b, 1);
  const image = spec.input.length === 3;
  const points = Float32Array.from({ length: batch * size }, () => (image ? random.uniform() : random.normal()));
  const directions = new Float32Array(batch * size);
  for (let p = 0; p < batch; p++) {
    const d = random.normals(size, 1);
    const norm = Math.hypot(...d);
    for (let i = 0; i < size; i++) directions[p * size + i] = d[i]! / norm;
  }
  const u = random.normals(outputs, 1);
  const un = Math.hypot(...u);
  return { points, directions, covector: Float32Array.from(u, (x) => x / un) };
}
