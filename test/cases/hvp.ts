// Hessian-vector products on the GPU (src/curvature/gpu-hessian.ts) against the float64 oracle
// (src/reference/parameter-line64.ts: the dense Hessian by polarization of order-2 parameter
// jets), in Node and in Chromium alike: an MLP, a CNN with max-pool, a CNN with BatchNorm in
// eval mode; cross-entropy and squared error. Two products batched in one read-back, ∇L beside
// them. Tolerance: 1e-5 of ‖Hv‖ (f32 through a few layers measures ≤ ~3e-7).
import { GpuHessian, type HessianLoss } from '../../src/curvature/gpu-hessian.js';
import { DenseOperator } from '../../src/curvature/operator.js';
import type { Engine } from '../../src/gpu/engine.js';
import { Model } from '../../src/model/model.js';
import { parameterVector } from '../../src/model/parameter-layout.js';
import type { ModelSpec } from '../../src/model/spec.js';
import { ParameterLoss64 } from '../../src/reference/parameter-line64.js';
import { Random } from '../../src/util/random.js';
import { relativeError, type CaseOutcome, type KernelCase } from './harness.js';
import { batchNormCnn, plainCnn, tinyMlp } from './tiny-models.js';

const TOLERANCE = 1e-5;

interface Problem { readonly name: string; readonly spec: () => ModelSpec; readonly points: number; readonly loss: HessianLoss; readonly seed: number }

const problems: Problem[] = [
  { name: 'tanh MLP 2-8-8-3, cross-entropy', spec: () => tinyMlp(9101), points: 7, loss: 'xent', seed: 9102 },
  { name: 'conv/tanh/max-pool/softplus CNN, cross-entropy', spec: () => plainCnn(9111), points: 4, loss: 'xent', seed: 9112 },
  { name: 'conv/BatchNorm/relu CNN, squared error', spec: () => batchNormCnn(9121), points: 3, loss: 'mse', seed: 9122 },
];

function hvpCase(p: Problem): KernelCase {
  return {
    name: `H·v ${p.name}`,
    async run(engine: Engine): Promise<CaseOutcome> {
      const spec = p.spec();
      const random = new Random(p.seed);
      const size = spec.input.reduce((a, b) => a * b, 1);
      const inputs = Float64Array.from(random.normals(p.points * size), Math.fround);
      const labels = Uint32Array.from({ length: p.points }, () => random.int(3));
      const oracle = new ParameterLoss64(spec, parameterVector(spec), inputs, { loss: p.loss, labels });
      const model = new Model(engine, spec);
      try {
        const gpu = await GpuHessian.of(model, inputs, labels, p.loss);
        const vs = [0, 1].map(() => Float64Array.from(random.normals(gpu.size), Math.fround));
        const passes = await gpu.passes(vs);
        const want = await new DenseOperator(gpu.size, oracle.hessian()).apply(vs);
        const errors = [...passes.map((q, i) => relativeError(q.hv, want[i]!)), relativeError(passes[0]!.gradient, oracle.gradient())];
        const tolerances = errors.map(() => TOLERANCE);
        return { name: `H·v ${p.name}`, errors, tolerances, ok: errors.every((e) => e <= TOLERANCE),
          detail: `P = ${gpu.size}; ‖Hv − Hv₆₄‖/‖Hv₆₄‖ for two vectors, then ‖∇L − ∇L₆₄‖/‖∇L₆₄‖: ${errors.map((e) => e.toExponential(1)).join(', ')} (tolerance ${TOLERANCE})` };
      } finally {
        model.destroy();
      }
    },
  };
}

export const hvpCases: readonly KernelCase[] = problems.map(hvpCase);
