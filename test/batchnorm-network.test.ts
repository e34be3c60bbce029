// BatchNorm in the one GPU network: eval-mode jets of a model with BatchNorm layers against the
// float64 forward (orders 0, 8, 60), and a training step in train mode that normalizes with the
// batch's statistics and moves the running ones as PyTorch does (unbiased variance, momentum),
// read back through toSpec.
import { describe, expect, it } from 'vitest';
import { uploadLabels } from '../kernels/softmax-xent.js';
import { Jet } from '../src/jet/jet.js';
import { Model } from '../src/model/model.js';
import type { BatchNormLayer, ModelSpec } from '../src/model/spec.js';
import { tensor } from '../src/model/tensor.js';
import { batchStatistics64, runningUpdate64 } from '../src/reference/batchnorm64.js';
import { dense64, jet64 } from '../src/reference/jet64.js';
import { referenceJets } from '../src/reference/model64.js';
import { Trainer } from '../src/train/step.js';
import { Random } from '../src/util/random.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const random = new Random(31);
const f32 = (n: number, std = 1) => Float32Array.from(random.normals(n, std));
const batchnorm = (c: number): BatchNormLayer => ({
  type: 'batchnorm', weight: tensor([c], f32(c)), bias: tensor([c], f32(c, 0.3)),
  runningMean: tensor([c], f32(c, 0.5)), runningVar: tensor([c], Float32Array.from(random.normals(c), (v) => Math.fround(0.5 + v * v))),
  eps: 1e-5, momentum: 0.1,
});

const cnn: ModelSpec = {
  input: [2, 5, 5],
  layers: [
    { type: 'conv2d', weight: tensor([3, 2, 3, 3], f32(54, 0.4)), bias: tensor([3], f32(3, 0.1)), stride: 1, padding: 1 },
    batchnorm(3), { type: 'tanh' }, { type: 'maxpool2d', size: 2, stride: 2 }, { type: 'flatten' },
    { type: 'dense', weight: tensor([4, 12], f32(48, 0.3)), bias: tensor([4], f32(4, 0.1)) }, batchnorm(4), { type: 'tanh' },
    { type: 'dense', weight: tensor([2, 4], f32(8, 0.5)), bias: tensor([2], f32(2, 0.1)) },
  ],
};

describe('BatchNorm in the GPU network', () => {
  for (const order of [0, 8, 60]) {
    it(`eval-mode jets match the float64 forward at order ${order}`, async () => {
      const model = new Model(engine(), cnn);
      const points = Float64Array.from(f32(3 * 50));
      const directions = Float64Array.from(f32(3 * 50, 0.5));
      const got = await model.jets({ points, directions, order, scale: 1 });
      const want = referenceJets(cnn, points, directions, order);
      // Per order over rows and outputs: the tanh network's order-60 budget of model-jets.test.ts.
      for (let k = 0; k <= order; k++) {
        let num = 0;
        let den = 0;
        for (let r = 0; r < 3; r++) for (let o = 0; o < 2; o++) {
          const i = (r * (order + 1) + k) * 2 + o;
          num += (got.coefficients[i]! - want.data[i]!) ** 2;
          den += want.data[i]! ** 2;
        }
        expect(Math.sqrt(num / den)).toBeLessThan(2e-5);
      }
      model.destroy();
    });
  }

  it('a training step normalizes with the batch and moves the running statistics as PyTorch does', async () => {
    const spec: ModelSpec = {
      input: [3],
      layers: [{ type: 'dense', weight: tensor([4, 3], f32(12)), bias: tensor([4], f32(4)) }, batchnorm(4), { type: 'tanh' },
        { type: 'dense', weight: tensor([2, 4], f32(8)), bias: tensor([2], f32(2)) }],
    };
    const model = new Model(engine(), spec);
    const trainer = new Trainer(model, { lr: 1e-3 });
    const x = f32(8 * 3);
    const input = Jet.fromArray(engine(), x, 8, 0, [3]);
    const labels = uploadLabels(engine(), Uint32Array.from({ length: 8 }, (_, i) => i % 2), 2);
    await trainer.step({ input, labels });
    // The statistics the step saw: the first dense layer's outputs at the weights before the update.
    const d = spec.layers[0] as { weight: { data: Float32Array }; bias: { data: Float32Array } };
    const pre = dense64(jet64(8, 0, [3], Float64Array.from(x)), Float64Array.from(d.weight.data), Float64Array.from(d.bias.data), 3, 4);
    const bn = spec.layers[1] as BatchNormLayer;
    const want = runningUpdate64(Float64Array.from(bn.runningMean.data), Float64Array.from(bn.runningVar.data), batchStatistics64(pre), 0.1);
    const after = (await model.toSpec()).layers[1] as BatchNormLayer;
    after.runningMean.data.forEach((v, c) => expect(Math.abs(v - want.mean[c]!)).toBeLessThan(1e-5 * (1 + Math.abs(want.mean[c]!))));
    after.runningVar.data.forEach((v, c) => expect(Math.abs(v - want.variance[c]!)).toBeLessThan(1e-5 * want.variance[c]!));
    // And the running statistics travel in the trainer's state (checkpoints, --resume).
    expect((await trainer.state()).buffers).toHaveLength(2);
    input.release();
    engine().pool.release(labels);
    trainer.release();
    model.destroy();
  });
});
