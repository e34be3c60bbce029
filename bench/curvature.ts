// `npm run bench -- --only curvature`: the cost of parameter-space curvature on the GPU, on the
// benchmark's two networks (the 2-64-64-2 tanh MLP of Two Moons, and the small MNIST CNN that
// `train --model cnn` builds), beside TF.js's Hessian-vector product on a device of the same
// adapter. Rows: one gradient (the training pass), one Hessian-vector product (ours: the weights
// as order-1 jets, H·v and ∇L from one pass; TF.js: double backward), a batch of 8 products
// recorded back to back, and 20 Lanczos steps (the same lanczos() over either operator). All
// variants of both models are interleaved in one run; ours report the pooled GPU bytes at their
// peak, TF.js the bytes of its live tensors at their peak (tf.profile, on each variant's first,
// untimed call), both beyond what was live before the call.
import { uploadLabels } from '../kernels/softmax-xent.js';
import { GpuHessian } from '../src/curvature/gpu-hessian.js';
import { lanczos } from '../src/curvature/lanczos.js';
import type { SymmetricOperator } from '../src/curvature/operator.js';
import { relativeError } from '../src/curvature/vector.js';
import type { Engine } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { featureCount } from '../src/jet/layout.js';
import { Model } from '../src/model/model.js';
import type { ModelSpec } from '../src/model/spec.js';
import { CNN_WIDTHS, cnn } from '../src/train/architectures.js';
import { gradient } from '../src/train/gradient.js';
import { Random } from '../src/util/random.js';
import { benchInputs, cnnSpec, mlpSpec } from './models.js';
import { interleavedBudget, type Timing } from './timing.js';
import type * as TfHessianModule from './tfjs-hessian.js';

const BATCH = 8;
const LANCZOS_STEPS = 20;
/**
 * TF.js's batch of 8 on this model is left out to keep the run short: it is 8 products one after
 * another (double backward has nothing to share between them), so it costs about 8 single ones.
 */
const TF_UNBATCHED = 'cnn';
export const CURVATURE_CALLS = ['gradient', 'Hessian-vector product', `${BATCH} products, batched`, `${LANCZOS_STEPS} Lanczos steps`] as const;
export type CurvatureCall = (typeof CURVATURE_CALLS)[number];
export type Framework = 'jetcurve' | 'tfjs';

interface CurvatureModel {
  readonly name: string;
  readonly description: string;
  readonly spec: ModelSpec;
  readonly points: number;
}

/** `quick`: a smoke run's batches, far smaller. */
const curvatureModels = (quick: boolean): CurvatureModel[] => [
  { name: 'mlp', description: '2-64-64-2 tanh MLP', spec: mlpSpec(), points: quick ? 32 : 128 },
  { name: 'cnn', description: `small MNIST ${cnn([1, 28, 28], 10, 2, CNN_WIDTHS.small).description}`, spec: cnnSpec(), points: quick ? 4 : 32 },
];

export interface CurvatureRow {
  readonly model: string;
  readonly framework: Framework;
  readonly call: CurvatureCall;
  readonly timing: Timing;
  /** jetcurve: pooled GPU bytes; TF.js: bytes of live tensors; at the peak, beyond what was live before the call. */
  readonly peakBytes: number;
}

export interface CurvatureCheck {
  readonly model: string;
  /** ‖Hv_TF.js − Hv_ours‖ / ‖Hv_ours‖ on the same weights, data and v. */
  readonly hvRelError: number;
  readonly gradientRelError: number;
}

export interface CurvatureFigures {
  readonly models: readonly { readonly name: string; readonly description: string; readonly parameters: number; readonly points: number }[];
  readonly rows: readonly CurvatureRow[];
  readonly checks: readonly CurvatureCheck[];
  /** Why TF.js is missing, when it is. */
  readonly tfjsMissing: string | null;
}

export interface CurvatureOptions {
  readonly quick: boolean;
  readonly budgetMs: number;
  readonly maxRuns: number;
}

/** TF.js's side: its Hessian module (on the WebGPU backend, already selected), or why it is absent. */
export interface TfCurvatureSide {
  readonly module: typeof TfHessianModule | null;
  readonly missing: string | null;
}

export async function curvatureFigures(engine: Engine, tf: TfCurvatureSide, options: CurvatureOptions, log: (line: string) => void): Promise<CurvatureFigures> {
  const variants: Record<string, () => Promise<void>> = {};
  const keys: { key: string; model: string; framework: Framework; call: CurvatureCall }[] = [];
  const peakBytes: Record<string, number> = {};
  const checks: CurvatureCheck[] = [];
  const models: CurvatureFigures['models'][number][] = [];
  const cleanup: (() => void)[] = [];
  const warmedUp: Record<string, number> = {};
  const warmUps: (() => Promise<void>)[] = [];
  /**
   * A variant and its untimed first call, which also measures its memory. `probe`: a shorter call
   * with the same peak, run instead (its time × `scale` stands for the variant's first call).
   */
  const add = (model: string, framework: Framework, call: CurvatureCall, body: () => Promise<void>, probe?: { run: () => Promise<void>; scale: number }) => {
    const key = `${model} ${framework} ${call}`;
    keys.push({ key, model, framework, call });
    const jetcurvePeak = async (run: () => Promise<void>) => {
      const live = engine.pool.stats().liveBytes;
      engine.pool.resetPeak();
      await run();
      peakBytes[key] = Math.max(peakBytes[key] ?? 0, engine.pool.stats().peakBytes - live);
    };
    // Ours measures on every call (the pool's counters cost nothing); tf.profile watches every
    // kernel, so TF.js measures on the untimed first call only.
    variants[key] = framework === 'jetcurve' ? () => jetcurvePeak(body) : body;
    warmUps.push(async () => {
      const t0 = performance.now();
      if (framework === 'jetcurve') await jetcurvePeak(probe?.run ?? body);
      else peakBytes[key] = await tf.module!.tfPeakBytes(probe?.run ?? body);
      await engine.finish();
      warmedUp[key] = (performance.now() - t0) * (probe?.scale ?? 1);
    });
  };
  const operatorRows = (model: string, framework: Framework, op: SymmetricOperator, vectors: readonly Float64Array[]) => {
    add(model, framework, 'Hessian-vector product', async () => { await op.apply([vectors[0]!]); });
    if (!(framework === 'tfjs' && model === TF_UNBATCHED)) add(model, framework, `${BATCH} products, batched`, async () => { await op.apply(vectors); });
    const steps = (n: number) => async () => { await lanczos(op, { top: 1, bottom: 0, maxProducts: n, tolerance: 0, seed: 1 }); };
    // Each Lanczos step's tensors are gone before the next (the basis lives on the host), so 2
    // steps reach the peak of 20: TF.js's slow first call is not repeated in full.
    add(model, framework, `${LANCZOS_STEPS} Lanczos steps`, steps(LANCZOS_STEPS), framework === 'tfjs' ? { run: steps(2), scale: LANCZOS_STEPS / 2 } : undefined);
  };
  try {
    for (const m of curvatureModels(options.quick)) {
      const model = new Model(engine, m.spec);
      cleanup.push(() => model.destroy());
      const classes = featureCount(model.outputShape);
      const inputs = benchInputs(m.spec, classes, m.points, 5).points;
      const random = new Random(5);
      const labels = Uint32Array.from({ length: m.points }, () => random.int(classes));
      const op = await GpuHessian.of(model, inputs, labels);
      const vectors = Array.from({ length: BATCH }, () => Float64Array.from(random.normals(op.size)));
      models.push({ name: m.name, description: m.description, parameters: op.size, points: m.points });
      add(m.name, 'jetcurve', 'gradient', async () => {
        const input = Jet.fromArray(engine, inputs, m.points, 0, m.spec.input);
        const labelBuffer = uploadLabels(engine, labels, classes);
        await gradient(model, { input, labels: labelBuffer });
        input.release();
        engine.pool.release(labelBuffer);
      });
      operatorRows(m.name, 'jetcurve', op, vectors);
      if (!tf.module) continue;
      // TF.js's conv2d filter gradient has no gradient of its own; the CNN takes the nestable conv2d of tfjs.ts.
      const theirs = new tf.module.TfHessian(m.spec, inputs, labels, { nestableConv: true });
      cleanup.push(() => theirs.dispose());
      const [ours, grad, [hv]] = [await op.pass(vectors[0]!), await theirs.gradient(), await theirs.apply([vectors[0]!])];
      checks.push({ model: m.name, hvRelError: relativeError(hv!, ours.hv), gradientRelError: relativeError(grad.gradient, ours.gradient) });
      log(`curvature: ${m.name}, TF.js against ours: H·v ${checks.at(-1)!.hvRelError.toExponential(1)}, ∇L ${checks.at(-1)!.gradientRelError.toExponential(1)} relative`);
      add(m.name, 'tfjs', 'gradient', () => theirs.gradientOnly());
      operatorRows(m.name, 'tfjs', theirs, vectors);
    }
    log(`curvature: ${keys.length} variants interleaved, budget ${(options.budgetMs / 1000).toFixed(0)} s, at most ${options.maxRuns} runs each`);
    for (const warmUp of warmUps) await warmUp();
    const timings = await interleavedBudget(() => engine.finish(), variants, { budgetMs: options.budgetMs, maxRuns: options.maxRuns, minRuns: 1, warmedUp });
    const rows = keys.map(({ key, model, framework, call }) => ({ model, framework, call, timing: timings[key]!, peakBytes: peakBytes[key] ?? 0 }));
    return { models, rows, checks, tfjsMissing: tf.missing };
  } finally {
    for (const c of cleanup.reverse()) c();
  }
}

const ms = (v: number) => (v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${v.toFixed(1)} ms`);
const bytes = (b: number) => (b >= 2 ** 20 ? `${(b / 2 ** 20).toFixed(1)} MiB` : `${(b / 1024).toFixed(1)} KiB`);

export function curvatureTable(f: CurvatureFigures): string {
  const parts: string[] = [];
  for (const m of f.models) {
    const find = (framework: Framework, call: CurvatureCall) => f.rows.find((r) => r.model === m.name && r.framework === framework && r.call === call);
    const rows = CURVATURE_CALLS.map((call) => {
      const cells: string[] = [call];
      for (const framework of ['jetcurve', 'tfjs'] as const) {
        const r = find(framework, call);
        const g = find(framework, 'gradient');
        cells.push(...(r && g ? [`${ms(r.timing.medianMs)} (${r.timing.runs})`, (r.timing.medianMs / g.timing.medianMs).toFixed(2), bytes(r.peakBytes)] : ['—', '—', '—']));
      }
      const ours = find('jetcurve', call);
      const theirs = find('tfjs', call);
      cells.push(ours && theirs ? `${(theirs.timing.medianMs / ours.timing.medianMs).toFixed(1)}×` : '—');
      return `| ${cells.join(' | ')} |`;
    });
    const check = f.checks.find((c) => c.model === m.name);
    parts.push([
      `**${m.description}** (${m.parameters} parameters), ${m.points} ${m.name === 'cnn' ? 'images' : 'points'}, mean cross-entropy.` +
        (check ? ` TF.js's H·v differs from ours by ${check.hvRelError.toExponential(1)} relative (‖Δ‖/‖Hv‖, same weights, data and v), its ∇L by ${check.gradientRelError.toExponential(1)}.` : ''),
      '',
      '| call | jetcurve median (runs) | × its gradient | peak pooled GPU bytes | TF.js median (runs) | × its gradient | peak TF.js tensor bytes | TF.js ÷ jetcurve |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
    ].join('\n'));
  }
  if (f.rows.some((r) => r.framework === 'tfjs') && !f.rows.some((r) => r.framework === 'tfjs' && r.model === TF_UNBATCHED && r.call === `${BATCH} products, batched`)) {
    parts.push(`TF.js's ${BATCH} products on the ${TF_UNBATCHED} are not timed: they run one after another (double backward shares nothing between them), ` +
      `so they cost about ${BATCH} single products and were left out to keep the run short. TF.js's Lanczos memory is measured on a 2-step run ` +
      '(each step\'s tensors are freed before the next; the basis lives on the host), its time on the full 20 steps.');
  }
  if (f.tfjsMissing) parts.push(`TF.js not measured: ${f.tfjsMissing}.`);
  return parts.join('\n\n');
}
