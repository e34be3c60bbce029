// HOOK (item 2 of issue 6, and item 4's CRR step): the cost of a training step — plain, SAM, and
// CRR over orders 2–4 and 1–4 — on both bench models, as ratios to a plain step, and the peak
// pooled bytes of a CRR step. It needs the training step (src/train/step.ts: Trainer, gradient)
// and CRR's reverse mode through the jet pass, which are being written; when they land, fill
// trainingStepCost() in: time each step kind with interleavedBudget() (./timing.ts) on
// benchModels() (./models.ts), resetPeak() the pool around a CRR step, and return the rows —
// report.ts prints whatever rows come back.
import type { Engine } from '../src/gpu/engine.js';

export interface TrainingRow {
  readonly model: string;
  /** plain, sam, crr 2–4, crr 1–4 */
  readonly step: string;
  readonly medianMs: number;
  readonly ratioToPlain: number;
  readonly peakBytes: number;
}

export type TrainingReport =
  | { readonly status: 'pending'; readonly reason: string }
  | { readonly status: 'ok'; readonly rows: readonly TrainingRow[] };

export async function trainingStepCost(_engine: Engine): Promise<TrainingReport> {
  return { status: 'pending', reason: 'the training step (plain, SAM, CRR) is not wired into the bench yet: see bench/training.ts' };
}
