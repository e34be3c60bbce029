// Hessian-vector products on the GPU (src/curvature/gpu-hessian.ts: reverse mode through an
// order-1 parameter jet) against the independent float64 R-operator of src/curvature/mlp64.ts,
// on MLPs with tanh, sigmoid and relu hidden layers the other tests never saw; the gradient
// of the same pass against the float64 gradient; the dense Hessian from P products is symmetric;
// and the layers the GPU product does not take yet are refused by name.
import { describe, expect, it } from 'vitest';
import { denseHessian } from '../src/curvature/dense-hessian.js';
import { GpuHessian } from '../src/curvature/gpu-hessian.js';
import { mlpLoss } from '../src/curvature/mlp64.js';
import { Model } from '../src/model/model.js';
import { randomMlp } from '../src/model/random-mlp.js';
import type { ModelSpec } from '../src/model/spec.js';
import { tensor } from '../src/model/tensor.js';
import { Random } from '../src/util/random.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

const relative = (a: Float64Array, b: Float64Array) => {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) { num += (a[i]! - b[i]!) ** 2; den += b[i]! ** 2; }
  return Math.sqrt(num / den);
};

function problem(spec: ModelSpec, points: number, seed: number) {
  const random = new Random(seed);
  const size = spec.input.reduce((a, b) => a * b, 1);
  const inputs = Float32Array.from(random.normals(points * size));
  const last = spec.layers.at(-1);
  const classes = last?.type === 'dense' ? last.weight.shape[0]! : 2;
  const labels = Uint32Array.from({ length: points }, () => random.int(classes));
  return { inputs, labels, random };
}

describe('Hessian-vector products on the GPU', () => {
  for (const activation of ['tanh', 'sigmoid', 'relu'] as const) {
    it(`match the float64 R-operator on a ${activation} MLP (H·v and ∇L from one pass)`, async () => {
      const spec = randomMlp([3, 7, 5, 3], { seed: 41, activation, gain: 1.3 });
      const { inputs, labels, random } = problem(spec, 24, 42);
      const model = new Model(engine(), spec);
      const gpu = await GpuHessian.of(model, inputs, labels);
      const ref = mlpLoss(spec, inputs, labels);
      for (let trial = 0; trial < 3; trial++) {
        const v = Float64Array.from(random.normals(gpu.size));
        const pass = await gpu.pass(v);
        const [want] = await ref.apply([v]);
        // f32 forward and backward through three layers and the loss: ~1e-6 relative, far below 1e-4.
        expect(relative(pass.hv, want!)).toBeLessThan(1e-4);
        expect(relative(pass.gradient, ref.gradient())).toBeLessThan(1e-5);
        expect(Math.abs(pass.loss - ref.loss())).toBeLessThan(1e-5 * ref.loss());
      }
      model.destroy();
    });
  }

  it('give a symmetric dense Hessian whose spectrum is the float64 one', async () => {
    const spec = randomMlp([2, 6, 2], { seed: 5, gain: 1.5 });
    const { inputs, labels } = problem(spec, 16, 6);
    const model = new Model(engine(), spec);
    const gpu = await GpuHessian.of(model, inputs, labels);
    const dense = await denseHessian(gpu);
    const want = await denseHessian(mlpLoss(spec, inputs, labels));
    expect(dense.asymmetry).toBeLessThan(1e-5);
    expect(relative(dense.matrix, want.matrix)).toBeLessThan(1e-4);
    model.destroy();
  });

  it('refuse conv2d layers by name', async () => {
    const spec: ModelSpec = {
      input: [1, 4, 4],
      layers: [{ type: 'conv2d', weight: tensor([2, 1, 3, 3], new Float32Array(18).fill(0.1)), bias: tensor([2], new Float32Array(2)), stride: 1, padding: 0 },
        { type: 'flatten' }, { type: 'dense', weight: tensor([2, 8], new Float32Array(16).fill(0.1)), bias: tensor([2], new Float32Array(2)) }],
    };
    const model = new Model(engine(), spec);
    await expect(GpuHessian.of(model, new Float32Array(16), [0])).rejects.toThrow(/layer 0 \(conv2d\): Hessian-vector products on the GPU take dense layers/);
    model.destroy();
  });
});
