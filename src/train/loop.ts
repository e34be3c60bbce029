// A training run: data, network, Adam (with SAM if asked), epochs of seeded mini-batches; after
// each epoch one JSON line in DIR/metrics.jsonl and a checkpoint; at the end DIR/model.json and
// DIR/summary.json. All randomness of epoch e comes from (seed, e), so --resume from the
// checkpoint of epoch e continues exactly as the uninterrupted run would have. Node only.
import { appendFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JetcurveError } from '../errors.js';
import { changedKeys } from '../util/changed-keys.js';
import type { Engine } from '../gpu/engine.js';
import { saveModel } from '../model/file-node.js';
import { CNN_WIDTHS, cnn, mlp, type Architecture, type CnnWidth } from './architectures.js';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { DATASETS, loadTrainingData, type DatasetName, type TrainingData } from './data.js';
import { runEpoch, type EpochRecord, type Progress } from './epoch.js';
import { Network } from './network.js';
import { Trainer, type Regularizer } from './step.js';
import type { CrrRun } from './crr.js';
import type { LambdaEstimator } from '../lambda/estimators.js';
import { SCHEDULES, type LrSchedule } from './schedule.js';

export type { EpochRecord, Progress } from './epoch.js';

export const MODELS = ['mlp', 'cnn'] as const;
export type ModelName = (typeof MODELS)[number];
export const REGULARIZERS = ['none', 'sam', 'asam', 'crr'] as const;
export type RegularizerName = (typeof REGULARIZERS)[number];

export interface TrainConfig {
  readonly dataset: DatasetName;
  readonly model: ModelName;
  readonly width: CnnWidth;
  readonly reg: RegularizerName;
  readonly rho: number;
  /** CRR's settings (src/train/crr.ts), used when reg is 'crr'. */
  readonly crr?: CrrRun;
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  /** How the rate moves over the run (src/train/schedule.ts); 'constant' when absent. */
  readonly schedule?: LrSchedule;
  readonly labelNoise: number;
  readonly seed: number;
  readonly out: string;
  readonly resume: boolean;
  readonly trainSize?: number;
  /** Held-out points λ is measured on after each epoch (0: no λ). */
  readonly lambdaPoints: number;
  /** How the per-epoch λ pools over points and directions (src/lambda/estimators.ts); `rms` when absent. */
  readonly lambdaEstimator?: LambdaEstimator;
  /** Dropout rates (after the pool, after the hidden dense layer) for the CNN; default by width. */
  readonly dropout?: readonly [number, number];
  readonly mnistDir?: string;
}

export interface TrainHooks {
  onStart?(info: { readonly description: string; readonly parameters: number; readonly startEpoch: number; readonly trainSize: number; readonly testSize: number }): void;
  onBatch?(progress: Progress): void;
  onEpoch?(record: EpochRecord): void;
}

export interface TrainSummary {
  readonly status: 'finished';
  readonly config: Omit<TrainConfig, 'out' | 'resume'>;
  readonly architecture: string;
  readonly parameters: number;
  readonly trainExamples: number;
  readonly testExamples: number;
  readonly flippedLabels: number;
  readonly epochs: number;
  readonly steps: number;
  readonly final: EpochRecord | null;
  /** Sum of the epochs' seconds, over all sessions of a resumed run. */
  readonly seconds: number;
  readonly secondsPerEpoch: number;
}

function checkConfig(c: TrainConfig): void {
  const fail = (m: string, hint: string): never => { throw new JetcurveError(m, hint); };
  if (!(DATASETS as readonly string[]).includes(c.dataset)) fail(`unknown dataset '${c.dataset}'`, `use --dataset ${DATASETS.join(' or ')}`);
  if (!(MODELS as readonly string[]).includes(c.model)) fail(`unknown model '${c.model}'`, `use --model ${MODELS.join(' or ')}`);
  if (!(REGULARIZERS as readonly string[]).includes(c.reg)) fail(`unknown regularizer '${c.reg}'`, `use --reg ${REGULARIZERS.join(', ')}`);
  if (!(c.width in CNN_WIDTHS)) fail(`unknown width '${c.width}'`, 'use --width small or paper');
  if (c.model === 'cnn' && c.dataset !== 'mnist') fail(`the CNN takes images; ${c.dataset} has vector inputs`, 'use --model mlp');
  if (!Number.isInteger(c.epochs) || c.epochs < 1) fail(`--epochs ${c.epochs} is not a positive integer`, 'pass e.g. --epochs 25');
  if (!Number.isInteger(c.batch) || c.batch < 1) fail(`--batch ${c.batch} is not a positive integer`, 'pass e.g. --batch 128');
  if (!(c.lr > 0 && Number.isFinite(c.lr))) fail(`--lr ${c.lr} is not a positive number`, 'pass e.g. --lr 0.001');
  if (c.schedule !== undefined && !(SCHEDULES as readonly string[]).includes(c.schedule)) fail(`unknown schedule '${c.schedule}'`, `use --schedule ${SCHEDULES.join(' or ')}`);
  if (!(c.rho > 0 && Number.isFinite(c.rho))) fail(`--rho ${c.rho} is not a positive number`, 'pass e.g. --rho 0.05');
  if (!Number.isInteger(c.seed)) fail(`--seed ${c.seed} is not an integer`, 'pass e.g. --seed 1');
  if (!(c.labelNoise >= 0 && c.labelNoise < 1)) fail(`label-noise rate must lie in [0, 1), got ${c.labelNoise}`, 'pass a rate such as 0.2 (20% of training labels changed)');
  if (!Number.isInteger(c.lambdaPoints) || c.lambdaPoints < 0) fail(`--lambda-points ${c.lambdaPoints} is not an integer ≥ 0`, 'pass e.g. 64, or 0 for no λ');
}

function architecture(c: TrainConfig, data: TrainingData): Architecture {
  if (c.model === 'mlp') return mlp(data.inputShape, data.classes, c.seed);
  const options = CNN_WIDTHS[c.width];
  return cnn(data.inputShape, data.classes, c.seed, c.dropout ? { ...options, dropout: c.dropout } : options);
}

/** The settings that must match on --resume (all that change the trajectory; not the epoch count, the folders, λ's points). */
function identity(c: TrainConfig): Record<string, unknown> {
  const { out: _out, resume: _resume, epochs: _epochs, mnistDir: _dir, lambdaPoints: _points, lambdaEstimator: _estimator, ...rest } = c;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** The epochs a run folder's metrics.jsonl holds (none when it has no such file). */
export async function readEpochRecords(dir: string): Promise<EpochRecord[]> {
  const path = join(dir, 'metrics.jsonl');
  return existsSync(path) ? (await readFile(path, 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l) as EpochRecord) : [];
}

export async function train(engine: Engine, config: TrainConfig, hooks: TrainHooks = {}): Promise<TrainSummary> {
  checkConfig(config);
  const data = loadTrainingData({ dataset: config.dataset, seed: config.seed, labelNoise: config.labelNoise,
    ...(config.trainSize !== undefined ? { trainSize: config.trainSize } : {}), ...(config.mnistDir !== undefined ? { mnistDir: config.mnistDir } : {}) });
  const arch = architecture(config, data);
  const out = config.out;
  await mkdir(out, { recursive: true });
  const metricsPath = join(out, 'metrics.jsonl');
  const id = identity(config);

  const network = new Network(engine, arch.spec, arch.dropout);
  // CRR changes the batch and the objective (src/train/epoch.ts), not the optimizer step.
  const regularizer: Regularizer = config.reg === 'none' || config.reg === 'crr' ? { kind: 'none' } : { kind: 'sam', rho: config.rho, adaptive: config.reg === 'asam' };
  const trainer = new Trainer(network, { lr: config.lr }, regularizer);
  try {
    let records: EpochRecord[] = [];
    let startEpoch = 0;
    if (config.resume) {
      const checkpoint = await loadCheckpoint(out);
      const changed = changedKeys(checkpoint.identity, id);
      if (changed.length) {
        throw new JetcurveError(`--resume: ${changed.map((k) => `${k} was ${JSON.stringify(checkpoint.identity[k])}, now ${JSON.stringify(id[k])}`).join('; ')}`,
          'resume with the settings of the interrupted run (only --epochs may change)');
      }
      trainer.restore(checkpoint.state);
      startEpoch = checkpoint.epoch;
      // Lines of epochs past the checkpoint (written just before an interruption) are redone.
      records = (await readEpochRecords(out)).filter((r) => r.epoch <= startEpoch);
      await writeFile(metricsPath, records.map((r) => `${JSON.stringify(r)}\n`).join(''));
    } else {
      if (hasCheckpoint(out)) throw new JetcurveError(`${out} holds a run already`, 'continue it with --resume, or give another --out folder');
      await writeFile(metricsPath, '');
    }
    hooks.onStart?.({ description: arch.description, parameters: network.parameterCount, startEpoch, trainSize: data.train.n, testSize: data.test.n });

    for (let epoch = startEpoch + 1; epoch <= config.epochs; epoch++) {
      const record = await runEpoch(engine, config, data, network, trainer, epoch, hooks);
      records.push(record);
      await appendFile(metricsPath, `${JSON.stringify(record)}\n`);
      await saveCheckpoint(out, { epoch, identity: id, state: await trainer.state() });
      hooks.onEpoch?.(record);
    }

    const final = records[records.length - 1] ?? null;
    const seconds = records.reduce((s, r) => s + r.seconds, 0);
    const { out: _o, resume: _r, ...settings } = config;
    const summary: TrainSummary = {
      status: 'finished', config: settings, architecture: arch.description, parameters: network.parameterCount,
      trainExamples: data.train.n, testExamples: data.test.n, flippedLabels: data.flipped, epochs: records.length, steps: trainer.steps,
      final, seconds, secondsPerEpoch: records.length ? seconds / records.length : 0,
    };
    const meta = { trainedBy: 'jetcurve train', architecture: arch.description, data: data.note, epochs: records.length,
      ...(final ? { testError: final.testError, lambda: final.lambda?.value ?? null } : {}) };
    await saveModel(join(out, 'model.json'), await network.toSpec(meta), { weights: 'base64' });
    await writeFile(join(out, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    return summary;
  } finally {
    trainer.release();
    network.release();
  }
}
