// A training run's folder, and the one writer of everything in it: metrics.jsonl (one line per
// finished epoch), the checkpoint after each epoch, model.json and summary.json at the end (or a
// summary that says the run diverged). Written as it goes, so an interrupted run keeps every
// epoch it finished. Node only.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JetcurveError } from '../errors.js';
import { saveModel } from '../model/file-node.js';
import type { ModelSpec } from '../model/spec.js';
import { changedKeys } from '../util/changed-keys.js';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import type { EpochCurvature } from './epoch-curvature.js';
import type { EpochLambda } from './held-out.js';
import type { TrainerState } from './step.js';

/** What one epoch measured: one line of metrics.jsonl. */
export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly testError: number;
  readonly testAccuracy: number;
  readonly ece: number;
  readonly hardest20Accuracy: number;
  readonly pairConfusion?: Readonly<Record<string, number>>;
  readonly lambda: EpochLambda | null;
  /** Parameter-space curvature after this epoch (train --curvature-every), when measured. */
  readonly curvature?: EpochCurvature;
  /** Training (the epoch's steps), evaluation (metrics and λ), and their sum. */
  readonly trainSeconds: number;
  readonly evalSeconds: number;
  readonly seconds: number;
}

/** Where a run diverged, for its summary.json. */
export interface Divergence {
  readonly epoch: number;
  readonly batch: number;
  readonly loss: number;
  readonly penalty: number;
}

const METRICS = 'metrics.jsonl';

/** The epochs a run folder's metrics.jsonl holds (none when it has no such file). */
export async function readEpochRecords(dir: string): Promise<EpochRecord[]> {
  const path = join(dir, METRICS);
  return existsSync(path) ? (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as EpochRecord) : [];
}

export class RunFolder {
  constructor(readonly dir: string) {}

  /**
   * A fresh run (the folder must not hold one), or with `resume` the state of the interrupted
   * run whose identity must equal `identity` (the settings that shape the trajectory). Returns
   * the epochs already finished and the trainer state to go on from (null for a fresh run).
   */
  async open(identity: Readonly<Record<string, unknown>>, resume: boolean): Promise<{ records: EpochRecord[]; epoch: number; state: TrainerState | null }> {
    await mkdir(this.dir, { recursive: true });
    if (!resume) {
      if (hasCheckpoint(this.dir)) throw new JetcurveError(`${this.dir} holds a run already`, 'continue it with --resume, or give another --out folder');
      await writeFile(join(this.dir, METRICS), '');
      return { records: [], epoch: 0, state: null };
    }
    const checkpoint = await loadCheckpoint(this.dir);
    const changed = changedKeys(checkpoint.identity, identity);
    if (changed.length) {
      throw new JetcurveError(`--resume: ${changed.map((k) => `${k} was ${JSON.stringify(checkpoint.identity[k])}, now ${JSON.stringify(identity[k])}`).join('; ')}`,
        'resume with the settings of the interrupted run (only --epochs may change)');
    }
    // Lines of epochs past the checkpoint (written just before an interruption) are redone.
    const records = (await readEpochRecords(this.dir)).filter((r) => r.epoch <= checkpoint.epoch);
    await writeFile(join(this.dir, METRICS), records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    return { records, epoch: checkpoint.epoch, state: checkpoint.state };
  }

  /** One finished epoch: its metrics line, then the checkpoint that lets --resume start after it. */
  async epochDone(record: EpochRecord, identity: Readonly<Record<string, unknown>>, state: TrainerState): Promise<void> {
    await appendFile(join(this.dir, METRICS), `${JSON.stringify(record)}\n`);
    await saveCheckpoint(this.dir, { epoch: record.epoch, identity, state });
  }

  async diverged(at: Divergence): Promise<void> {
    await writeFile(join(this.dir, 'summary.json'), `${JSON.stringify({ status: 'diverged', epoch: at.epoch, batch: at.batch, loss: String(at.loss), penalty: String(at.penalty) }, null, 2)}\n`);
  }

  async finished(model: ModelSpec, summary: Readonly<Record<string, unknown>>): Promise<void> {
    await saveModel(join(this.dir, 'model.json'), model, { weights: 'base64' });
    await writeFile(join(this.dir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
  }
}
