// `npm run bench -- --only curvature`: the cost of parameter-space curvature on the GPU, on the
// benchmark's 2-64-64-2 tanh MLP (the Two Moons network) at 128 points: one gradient (the
// training pass, forward and backward at order 0), one Hessian-vector product (the same network
// with the weights as order-1 jets, H·v and ∇L from one pass), a batch of 8 products recorded
// back to back, and 20 Lanczos steps; interleaved, with the pooled GPU bytes at their peak.
// The CNN is not measured: its conv2d kernel does not take weights of order 1 yet.
import { uploadLabels } from '../kernels/softmax-xent.js';
import { GpuHessian } from '../src/curvature/gpu-hessian.js';
import { lanczos } from '../src/curvature/lanczos.js';
import type { Engine } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { Model } from '../src/model/model.js';
import { gradient } from '../src/train/gradient.js';
import { Random } from '../src/util/random.js';
import { benchInputs, mlpSpec } from './models.js';
import { interleaved, type Timing } from './timing.js';

const POINTS = 128;
const BATCH = 8;
const LANCZOS_STEPS = 20;

export interface CurvatureFigures {
  readonly parameters: number;
  readonly points: number;
  readonly timings: Readonly<Record<string, Timing>>;
  /** Peak pooled bytes of each kind of call beyond the model's own weights. */
  readonly peakBytes: Readonly<Record<string, number>>;
}

export async function curvatureFigures(engine: Engine, runs: number, log: (line: string) => void): Promise<CurvatureFigures> {
  const spec = mlpSpec();
  const model = new Model(engine, spec);
  const inputs = benchInputs(spec, 2, POINTS, 5).points;
  const random = new Random(5);
  const labels = Uint32Array.from({ length: POINTS }, () => random.int(2));
  const op = await GpuHessian.of(model, inputs, labels);
  const vectors = Array.from({ length: BATCH }, () => Float64Array.from(random.normals(op.size)));
  const peakBytes: Record<string, number> = {};
  const measured = (name: string, body: () => Promise<void>) => async (): Promise<void> => {
    const live = engine.pool.stats().liveBytes;
    engine.pool.resetPeak();
    await body();
    peakBytes[name] = Math.max(peakBytes[name] ?? 0, engine.pool.stats().peakBytes - live);
  };
  const variants = {
    gradient: measured('gradient', async () => {
      const input = Jet.fromArray(engine, inputs, POINTS, 0, spec.input);
      const labelBuffer = uploadLabels(engine, labels, 2);
      await gradient(model, { input, labels: labelBuffer });
      input.release();
      engine.pool.release(labelBuffer);
    }),
    'Hessian-vector product': measured('Hessian-vector product', async () => { await op.apply([vectors[0]!]); }),
    [`${BATCH} products, batched`]: measured(`${BATCH} products, batched`, async () => { await op.apply(vectors); }),
    [`${LANCZOS_STEPS} Lanczos steps`]: measured(`${LANCZOS_STEPS} Lanczos steps`, async () => {
      await lanczos(op, { top: 1, bottom: 0, maxProducts: LANCZOS_STEPS, tolerance: 0, seed: 1 });
    }),
  };
  log(`curvature: ${Object.keys(variants).join(', ')} on the ${op.size}-parameter MLP at ${POINTS} points, ${runs} interleaved runs`);
  const timings = await interleaved(engine, variants, runs);
  model.destroy();
  return { parameters: op.size, points: POINTS, timings, peakBytes };
}

export function curvatureTable(f: CurvatureFigures): string {
  const gradientMs = f.timings['gradient']!.medianMs;
  const kib = (b: number) => `${(b / 1024).toFixed(1)} KiB`;
  const rows = Object.entries(f.timings).map(([name, t]) =>
    `| ${name} | ${t.medianMs.toFixed(1)} ms | ${t.minMs.toFixed(1)} ms | ${t.runs} | ${(t.medianMs / gradientMs).toFixed(2)} | ${kib(f.peakBytes[name] ?? 0)} |`);
  return [
    `2-64-64-2 tanh MLP (${f.parameters} parameters), ${f.points} points, mean cross-entropy; each call waits for its results.`,
    '',
    '| call | median | min | runs | × gradient | peak pooled bytes |',
    '|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}
