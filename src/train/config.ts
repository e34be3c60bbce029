// The settings of a training run, checked in one place: what `jetcurve train`, the library's
// train(), the showcase and the reproductions all fill in.
import { JetcurveError } from '../errors.js';
import { CNN_WIDTHS, type CnnWidth } from './architectures.js';
import type { CrrRun } from './crr.js';
import { DATASETS, type DatasetName } from './data-split.js';
import { MLP_INITS, type MlpInit } from './init.js';
import type { EpochRecord } from './run-folder.js';
import { SCHEDULES, type LrSchedule } from './schedule.js';
import type { LambdaEstimator } from '../lambda/estimators.js';

export const MODELS = ['mlp', 'cnn', 'cnn-bn'] as const;
export type ModelName = (typeof MODELS)[number];
export const REGULARIZERS = ['none', 'sam', 'asam', 'crr', 'crr-target'] as const;
export type RegularizerName = (typeof REGULARIZERS)[number];

export interface TrainConfig {
  readonly dataset: DatasetName;
  readonly model: ModelName;
  readonly width: CnnWidth;
  /** Units of each of the MLP's two hidden layers (64, flatgrad's, when absent). */
  readonly hidden?: number;
  readonly reg: RegularizerName;
  readonly rho: number;
  /** CRR's settings (src/train/crr.ts), used when reg is 'crr' or 'crr-target'. */
  readonly crr?: CrrRun;
  /** λ*, the target of --reg crr-target. */
  readonly crrTarget?: number;
  readonly epochs: number;
  readonly batch: number;
  readonly lr: number;
  /** How the rate moves over the run (src/train/schedule.ts); 'constant' when absent. */
  readonly schedule?: LrSchedule;
  readonly labelNoise: number;
  /** Two Moons only: `paper` flips the labels of ALL points before the split, after a scaler fitted on all (src/data/moons.ts). */
  readonly moonsPipeline?: 'split-first' | 'paper';
  /** The MLP's initialisation (src/train/init.ts); 'xavier', the notebook's, when absent. */
  readonly init?: MlpInit;
  readonly seed: number;
  readonly out: string;
  readonly resume: boolean;
  readonly trainSize?: number;
  /** Test examples the epochs are evaluated on (all when absent). */
  readonly testSize?: number;
  /** How trainSize and testSize choose: the first n (default) or a random n seeded by the run seed (src/train/data.ts). */
  readonly subsets?: 'first' | 'random';
  /** Held-out points λ is measured on after each epoch (0: no λ). */
  readonly lambdaPoints: number;
  /** How the per-epoch λ pools over points and directions (src/lambda/estimators.ts); `rms` when absent. */
  readonly lambdaEstimator?: LambdaEstimator;
  /** Measure parameter-space curvature after every N-th epoch (src/train/epoch-curvature.ts); off when absent or 0. */
  readonly curvatureEvery?: number;
  /** Training points the curvature is measured on (default 128). */
  readonly curvaturePoints?: number;
  /** Dropout rates (after the pool, after the hidden dense layer) for the CNN; default by width. */
  readonly dropout?: readonly [number, number];
  readonly mnistDir?: string;
}

export interface Progress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  /** Mean training loss of the epoch so far. */
  readonly loss: number;
  readonly examplesPerSecond: number;
}

export interface TrainHooks {
  onStart?(info: { readonly description: string; readonly parameters: number; readonly startEpoch: number; readonly trainSize: number; readonly testSize: number }): void;
  onBatch?(progress: Progress): void;
  onEpoch?(record: EpochRecord): void;
}

export function checkConfig(c: TrainConfig): void {
  const fail = (m: string, hint: string): never => { throw new JetcurveError(m, hint); };
  if (!(DATASETS as readonly string[]).includes(c.dataset)) fail(`unknown dataset '${c.dataset}'`, `use --dataset ${DATASETS.join(' or ')}`);
  if (!(MODELS as readonly string[]).includes(c.model)) fail(`unknown model '${c.model}'`, `use --model ${MODELS.join(' or ')}`);
  if (!(REGULARIZERS as readonly string[]).includes(c.reg)) fail(`unknown regularizer '${c.reg}'`, `use --reg ${REGULARIZERS.join(', ')}`);
  if (!(c.width in CNN_WIDTHS)) fail(`unknown width '${c.width}'`, 'use --width small or paper');
  if (c.model !== 'mlp' && c.dataset !== 'mnist') fail(`the CNN takes images; ${c.dataset} has vector inputs`, 'use --model mlp');
  if (c.reg === 'crr-target' && !(typeof c.crrTarget === 'number' && Number.isFinite(c.crrTarget))) fail('--reg crr-target needs the target λ*', 'pass e.g. --crr-target 1.2');
  if (c.hidden !== undefined && !(Number.isInteger(c.hidden) && c.hidden >= 1 && c.hidden <= 1024)) fail(`--hidden ${c.hidden} is not a whole number in 1..1024`, 'pass e.g. --hidden 64');
  if (c.hidden !== undefined && c.model !== 'mlp') fail(`--hidden sets the MLP's width; the model is ${c.model}`, 'drop --hidden, or use --width for the CNN');
  if (!Number.isInteger(c.epochs) || c.epochs < 1) fail(`--epochs ${c.epochs} is not a positive integer`, 'pass e.g. --epochs 25');
  if (!Number.isInteger(c.batch) || c.batch < 1) fail(`--batch ${c.batch} is not a positive integer`, 'pass e.g. --batch 128');
  if (!(c.lr > 0 && Number.isFinite(c.lr))) fail(`--lr ${c.lr} is not a positive number`, 'pass e.g. --lr 0.001');
  if (c.schedule !== undefined && !(SCHEDULES as readonly string[]).includes(c.schedule)) fail(`unknown schedule '${c.schedule}'`, `use --schedule ${SCHEDULES.join(' or ')}`);
  if (!(c.rho > 0 && Number.isFinite(c.rho))) fail(`--rho ${c.rho} is not a positive number`, 'pass e.g. --rho 0.05');
  if (c.init !== undefined && !(MLP_INITS as readonly string[]).includes(c.init)) fail(`unknown initialisation '${c.init}'`, `use --init ${MLP_INITS.join(' or ')}`);
  if (c.init !== undefined && c.init !== 'xavier' && c.model !== 'mlp') fail(`--init ${c.init} chooses the MLP's initialisation; the model is ${c.model}`, 'drop --init (the CNN\'s initialisation follows --width), or use --model mlp');
  if (!Number.isInteger(c.seed)) fail(`--seed ${c.seed} is not an integer`, 'pass e.g. --seed 1');
  if (c.moonsPipeline !== undefined && !['split-first', 'paper'].includes(c.moonsPipeline)) fail(`unknown moons pipeline '${c.moonsPipeline}'`, 'use --moons-pipeline paper or split-first');
  if (c.moonsPipeline === 'paper' && c.dataset !== 'moons') fail(`--moons-pipeline paper is a Two Moons pipeline; the dataset is ${c.dataset}`, 'drop --moons-pipeline, or use --dataset moons');
  if (!(c.labelNoise >= 0 && c.labelNoise < 1)) fail(`label-noise rate must lie in [0, 1), got ${c.labelNoise}`, 'pass a rate such as 0.2 (20% of training labels changed)');
  if (c.curvatureEvery !== undefined && !(Number.isInteger(c.curvatureEvery) && c.curvatureEvery >= 0)) fail(`--curvature-every ${c.curvatureEvery} is not an integer ≥ 0`, 'pass e.g. --curvature-every 5');
  if (c.curvaturePoints !== undefined && !(Number.isInteger(c.curvaturePoints) && c.curvaturePoints >= 2)) fail(`--curvature-points ${c.curvaturePoints} is not an integer ≥ 2`, 'pass e.g. --curvature-points 128');
  if (c.subsets !== undefined && !['first', 'random'].includes(c.subsets)) fail(`unknown subset choice '${c.subsets}'`, 'use first or random');
  if (!Number.isInteger(c.lambdaPoints) || c.lambdaPoints < 0) fail(`--lambda-points ${c.lambdaPoints} is not an integer ≥ 0`, 'pass e.g. 64, or 0 for no λ');
}

/**
 * The settings that must match on --resume (all that change the trajectory; not the epoch count,
 * the folders, λ's points). The default init is left out, so runs from before --init resume.
 */
export function runIdentity(c: TrainConfig): Record<string, unknown> {
  const { out: _out, resume: _resume, epochs: _epochs, mnistDir: _dir, lambdaPoints: _points, lambdaEstimator: _estimator, curvatureEvery: _every, curvaturePoints: _cpoints, init, ...rest } = c;
  return JSON.parse(JSON.stringify(init !== undefined && init !== 'xavier' ? { ...rest, init } : rest)) as Record<string, unknown>;
}

