// Item 2 of the benchmark: the cost of one training step — plain, SAM (ρ = 0.05), and CRR over
// orders 2–4 and 1–4 — on both bench models, each step the whole of a training step (the
// regularizer's rows — CRR's input jets of points × directions —, forward on the tape, the
// objective and its seed on the GPU, backward, Adam; SAM's second gradient), measured interleaved in one run after a warm-up, with the peak pooled
// GPU bytes of each kind of step. Ratios are to the plain step and to SAM (issue 5's criterion:
// one CRR step over orders 1–4 at most 1.5× a SAM step on the same batch and model). CRR runs
// with the default R = 1 direction per sample (src/train/crr.ts), and once more with flatgrad's
// library default R = 5 for comparison.
import { loadavg } from 'node:os';
import { uploadLabels } from '../kernels/softmax-xent.js';
import type { Engine } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { featureCount } from '../src/jet/layout.js';
import { inferShapes } from '../src/model/shapes.js';
import { CRR_DEFAULTS, parseOrders, type CrrSettings } from '../src/train/crr.js';
import { Model } from '../src/model/model.js';
import { Trainer, type Batch, type RegularizerSpec } from '../src/train/step.js';
import { Random } from '../src/util/random.js';
import { benchInputs, benchModels, type BenchModel } from './models.js';
import { interleavedBudget } from './timing.js';

export interface TrainingRow {
  readonly model: string;
  /** Points (or images) per batch. */
  readonly batch: number;
  /** plain, sam, crr 2–4, crr 1–4 (and crr 1–4 with R = 5) */
  readonly step: string;
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
  readonly ratioToPlain: number;
  readonly ratioToSam: number;
  /**
   * Most pooled bytes held at once during one such step: its network's weights, gradients and
   * optimizer state (SAM's copies included) plus the most its jets and cotangents held at once.
   */
  readonly peakBytes: number;
}

export type TrainingReport =
  | { readonly status: 'pending'; readonly reason: string }
  | {
    readonly status: 'ok';
    readonly rows: readonly TrainingRow[];
    /** When this section was measured (`--only training` re-measures it alone) and the 1-minute load average before and after. */
    readonly measuredAt: string;
    readonly load: readonly [number, number];
  };

export interface TrainingOptions {
  /** Timed time per model for all step kinds together, after the warm-up. */
  readonly budgetMs: number;
  readonly maxRuns: number;
}

/** The batches timed: the training batch of Two Moons (128, flatgrad's), 64 images for the CNN. */
const BATCH: Readonly<Record<string, number>> = { mlp: 128, cnn: 64 };

interface StepKind {
  readonly name: string;
  readonly crr: CrrSettings | null;
  readonly sam: boolean;
}

const KINDS: readonly StepKind[] = [
  { name: 'plain', crr: null, sam: false },
  { name: 'sam', crr: null, sam: true },
  { name: 'crr 2–4', crr: { ...CRR_DEFAULTS, orders: parseOrders('2-4') }, sam: false },
  { name: 'crr 1–4', crr: { ...CRR_DEFAULTS, orders: parseOrders('1-4') }, sam: false },
  { name: 'crr 1–4, R = 5', crr: { ...CRR_DEFAULTS, orders: parseOrders('1-4'), directions: 5 }, sam: false },
];

async function modelRows(engine: Engine, bench: BenchModel, options: TrainingOptions): Promise<TrainingRow[]> {
  const batch = BATCH[bench.name] ?? bench.batch;
  const shapes = inferShapes(bench.spec);
  const size = featureCount(shapes[0]!);
  const classes = featureCount(shapes[shapes.length - 1]!);
  const inputs = benchInputs(bench.spec, classes, batch, 11).points;
  const random = new Random(11);
  const labels = Uint32Array.from({ length: batch }, () => random.int(classes));
  // One network per kind, so that SAM's buffers do not ride along in the other kinds' peaks and
  // every kind steps from the same weights (a small learning rate keeps them near there).
  const own = new Map<string, number>();
  const trainers = KINDS.map((kind) => {
    const before = engine.pool.stats().liveBytes;
    const regularizer: RegularizerSpec = kind.sam ? { kind: 'sam', rho: 0.05, adaptive: false }
      : kind.crr ? { kind: 'crr', crr: { ...kind.crr, every: 1 } } : { kind: 'none' };
    const trainer = new Trainer(new Model(engine, bench.spec), { lr: 1e-4 }, regularizer);
    own.set(kind.name, engine.pool.stats().liveBytes - before);
    return trainer;
  });
  const peaks = new Map<string, number>();
  const step = (kind: StepKind, trainer: Trainer) => async (): Promise<void> => {
    // The step's own work: its rows (with CRR's random directions) are made inside the timing,
    // and the timing waits for all of the step's GPU work (no overlap with the next step is credited).
    const made = trainer.regularizer.prepare(inputs, labels, size, random, trainer.steps);
    const input = Jet.fromArray(engine, made.data, made.rows, made.order, bench.spec.input);
    const labelBuffer = uploadLabels(engine, made.labels, classes);
    const data: Batch = { input, labels: labelBuffer, order: made.lossOrder };
    // The other kinds' networks are live too: only what this step adds on top counts, plus its own state.
    const live = engine.pool.stats().liveBytes - input.buffer.size - labelBuffer.size;
    engine.pool.resetPeak();
    try {
      await trainer.record(data, made.objective);
      await engine.finish();
    } finally {
      input.release();
      engine.pool.release(labelBuffer);
    }
    const peak = engine.pool.stats().peakBytes - live + own.get(kind.name)!;
    peaks.set(kind.name, Math.max(peaks.get(kind.name) ?? 0, peak));
  };
  try {
    const variants = Object.fromEntries(KINDS.map((kind, i) => [kind.name, step(kind, trainers[i]!)]));
    const times = await interleavedBudget(() => engine.finish(), variants, { budgetMs: options.budgetMs, maxRuns: options.maxRuns, minRuns: 3 });
    const plain = times.plain!.medianMs;
    const sam = times.sam!.medianMs;
    return KINDS.map((kind) => {
      const t = times[kind.name]!;
      return {
        model: bench.name, batch, step: kind.name, medianMs: t.medianMs, minMs: t.minMs, runs: t.runs,
        ratioToPlain: t.medianMs / plain, ratioToSam: t.medianMs / sam, peakBytes: peaks.get(kind.name) ?? 0,
      };
    });
  } finally {
    for (const t of trainers) {
      t.release();
      t.network.release();
    }
  }
}

export async function trainingStepCost(engine: Engine, options: TrainingOptions, log: (line: string) => void): Promise<TrainingReport> {
  const rows: TrainingRow[] = [];
  const measuredAt = new Date().toISOString();
  const load0 = loadavg()[0]!;
  for (const bench of benchModels()) {
    log(`training step cost: ${bench.name} (plain, SAM, CRR)…`);
    rows.push(...await modelRows(engine, bench, options));
  }
  return { status: 'ok', rows, measuredAt, load: [load0, loadavg()[0]!] };
}
