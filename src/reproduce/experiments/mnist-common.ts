// What the MNIST experiments share: per-scale settings (the small CNN and a training subset at
// quick scale, the paper's CNN and protocol at paper scale), "train, then measure" for one run,
// and λ over orders 2..4 on held-out images (§5.3).
import type { CrrRun } from '../../train/crr.js';
import { readEpochRecords } from '../../train/run-folder.js';
import type { LrSchedule } from '../../train/schedule.js';
import { loadRunModel, measureLambda, subset, testSet, type LambdaMeasurement } from '../measure.js';
import { trainRun, type RunSpec } from '../runs.js';
import { paragraph, type Block } from '../report.js';
import type { ScaleName, UnitContext } from '../types.js';

export interface MnistScale {
  readonly seeds: number;
  readonly epochs: number;
  readonly width: 'small' | 'paper';
  /** Training images (of 60 000); all when absent. */
  readonly trainSize?: number;
  /** Held-out images λ is measured on (the first ones of the test split, or of a digit pair). */
  readonly lambdaPoints: number;
  readonly lambdaDirections: number;
  /** CRR per step: directions per sample, and how many samples of each batch carry the penalty (all when absent). */
  readonly crrDirections: number;
  readonly crrSubset?: number;
  /** Adam's learning rate, and whether it decays to 0 along a cosine (quick) or stays (the paper). */
  readonly lr: number;
  readonly schedule: LrSchedule;
}

export const MNIST_SCALES: Record<ScaleName, MnistScale> = {
  smoke: { seeds: 1, epochs: 1, width: 'small', trainSize: 256, lambdaPoints: 8, lambdaDirections: 2, crrDirections: 1, crrSubset: 4, lr: 3e-3, schedule: 'cosine' },
  // 3 epochs of 20 000 images at 3e-3 cosine reach ~97.4% (the paper's 1e-3 constant: ~93% on
  // 6 000 images, at the same time per run), so the tables compare models near the paper's 97.8%.
  quick: { seeds: 2, epochs: 3, width: 'small', trainSize: 20000, lambdaPoints: 64, lambdaDirections: 4, crrDirections: 1, crrSubset: 16, lr: 3e-3, schedule: 'cosine' },
  paper: { seeds: 3, epochs: 30, width: 'paper', lambdaPoints: 1000, lambdaDirections: 4, crrDirections: 5, lr: 1e-3, schedule: 'constant' },
};

/** MNIST training: Adam, batch 128 (§5.6); the paper's lr 1e-3 and the pytorch/examples CNN at paper scale. */
export function mnistSpec(s: MnistScale, seed: number, labelNoise: number, reg: { kind: 'none' } | { kind: 'sam'; rho: number } | { kind: 'crr'; scale: number; orders: readonly number[] }): RunSpec {
  const crr: CrrRun | undefined = reg.kind === 'crr'
    ? { scale: reg.scale, orders: reg.orders, directions: s.crrDirections, every: 1, ...(s.crrSubset !== undefined ? { subset: s.crrSubset } : {}) } : undefined;
  return {
    dataset: 'mnist', model: 'cnn', width: s.width, reg: reg.kind, rho: reg.kind === 'sam' ? reg.rho : 0.05, ...(crr ? { crr } : {}),
    epochs: s.epochs, batch: 128, lr: s.lr, schedule: s.schedule, labelNoise, seed, ...(s.trainSize !== undefined ? { trainSize: s.trainSize } : {}),
  };
}

/** 20000 → "20 000", as the paper and our reports write counts. */
const spaced = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

export function mnistSettings(scale: ScaleName, s: MnistScale, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    scale, seeds: `${s.seeds} (1..${s.seeds})`, epochs: s.epochs,
    model: s.width === 'small' ? 'small CNN: conv 8 (stride 2), conv 16, max-pool, fc 128, relu, no dropout (src/train/architectures.ts)' : 'the paper\'s CNN (its notebooks\' CNN, the pytorch/examples net with dropout 0.5 twice): conv 32, relu, conv 64, relu, max-pool, dropout 0.5, fc 128, relu, dropout 0.5, fc 10, PyTorch\'s default initialisation',
    data: `MNIST, ${s.trainSize !== undefined ? `first ${spaced(s.trainSize)} of the 60 000 training images` : 'all 60 000 training images'}, 10 000 test images, normalized (p/255 − 0.1307)/0.3081`,
    optimizer: s.schedule === 'constant' ? `Adam, lr ${s.lr}, batch 128` : `Adam, lr ${s.lr} decaying to 0 along a cosine, batch 128 (the paper: 0.001 constant; see "Where we differ")`,
    λ: `cross-entropy with the test label, first ${s.lambdaPoints} test images, ${s.lambdaDirections} random unit directions each (seed 0), raw derivatives of orders 2–4, pooled by the paper's notebook estimator: the least-squares slope over n of the mean over (image, direction) pairs of log max(|Dⁿ|, 1e-12), which is also the mean of per-image slopes (the paper: "fitting log‖DⁿL‖ vs. n for n = 2…4 on held-out test samples")`,
    'CRR cost control': `${s.crrDirections} direction(s) per sample and step${s.crrSubset !== undefined ? `, penalty on the first ${s.crrSubset} samples of each batch (the loss uses all)` : ', penalty on every sample'}`,
    ...extra,
  };
}

/** Says how a scale's training departs from the paper's (lr 1e-3 constant, all images, 30 epochs); nothing at paper scale. */
export function recipeNote(s: MnistScale): Block[] {
  if (s.width === 'paper') return [];
  return [paragraph(`At this scale the small CNN trains ${s.epochs} epoch${s.epochs === 1 ? '' : 's'} on the first ${spaced(s.trainSize ?? 60000)} training images with Adam at ${s.lr}${s.schedule === 'cosine' ? ' decaying to 0 along a cosine' : ''}, where the paper trains its larger CNN 30 epochs on all 60 000 at 0.001 constant: at 0.001 constant, quick-scale runs fit this machine only on 6 000 images and reached ~93% accuracy, too far below the paper's models to compare with them, where 3e-3 along a cosine on 20 000 images reaches ~97.4% in the same time. The schedule also changes how sharp the final network is, so λ levels are comparable only within one report, not with the paper's to the digit.`)];
}

export const LAMBDA_ORDERS = { from: 2, to: 4 } as const;

export interface MnistResult {
  readonly seed: number;
  readonly accuracy: number;
  readonly ece: number;
  readonly hard20: number;
  readonly pairConfusion: Readonly<Record<string, number>>;
  readonly lambda: LambdaMeasurement;
  /** λ on the test images of each digit pair "a/b" (mnist-sam). */
  readonly pairLambda?: Readonly<Record<string, LambdaMeasurement>>;
  /** Training seconds over all epochs (excluding evaluation). */
  readonly trainSeconds: number;
  readonly seconds: number;
}

export async function trainAndMeasureMnist(ctx: UnitContext, s: MnistScale, spec: RunSpec, pairs: readonly (readonly [number, number])[] = []): Promise<MnistResult> {
  const run = await trainRun(ctx, spec);
  const f = run.summary.final;
  if (!f) throw new Error(`run ${run.dir} has no finished epoch`);
  const model = await loadRunModel(ctx.engine, run.dir);
  try {
    const test = testSet('mnist', 0, ctx.mnistDir);
    const protocol = { orders: LAMBDA_ORDERS, directions: s.lambdaDirections };
    const lambda = await measureLambda(ctx.engine, model, subset(test, s.lambdaPoints), protocol);
    const pairLambda: Record<string, LambdaMeasurement> = {};
    for (const [a, b] of pairs) pairLambda[`${a}/${b}`] = await measureLambda(ctx.engine, model, subset(test, s.lambdaPoints, [a, b]), protocol);
    // The summary's seconds include the per-epoch evaluation; training time alone is what Table 2 compares.
    const trainSeconds = (await readEpochRecords(run.dir)).reduce((sum, r) => sum + r.trainSeconds, 0);
    return {
      seed: spec.seed, accuracy: f.testAccuracy, ece: f.ece, hard20: f.hardest20Accuracy, pairConfusion: f.pairConfusion ?? {}, lambda,
      ...(pairs.length ? { pairLambda } : {}), trainSeconds, seconds: run.summary.seconds,
    };
  } finally {
    model.destroy();
  }
}
