// What the MNIST experiments share: the paper's notebook protocols (§5.3–5.5: 5 000 random
// training and 1 000 random test images; Table 2: all images, one CRR direction per batch, the
// pair λ), per-scale settings and how each scale departs from them, "train, then measure" for one
// run, and the report sentences every MNIST report computes from its results.
import { MNIST_CONFUSABLE_PAIRS, classificationMetrics } from '../../train/metrics.js';
import type { CrrRun } from '../../train/crr.js';
import { subsetIndices, subsetSeed } from '../../train/data.js';
import { readEpochRecords } from '../../train/run-folder.js';
import type { LambdaEstimator } from '../../lambda/estimators.js';
import { loadRunModel, measureLambda, pick, probabilities, testSet, type LambdaMeasurement, type LambdaProtocol } from '../measure.js';
import { trainRun, type RunSpec } from '../runs.js';
import { fmt } from '../report.js';
import { summarize, type Summary } from '../stats.js';
import type { ScaleName, UnitContext } from '../types.js';

/** How CRR is computed per step: directions per sample, the samples of each batch that carry the penalty, and how directions are drawn. */
export interface MnistCrrCost {
  readonly directions: number;
  /** The first `subset` samples of each (shuffled) batch carry the penalty; all when absent. */
  readonly subset?: number;
  readonly directionMode: 'shared' | 'per-order';
  readonly directionScope: 'sample' | 'batch';
}

export interface MnistScale {
  readonly seeds: number;
  readonly epochs: number;
  readonly width: 'small' | 'paper';
  /** Training and test images: a random n of each, drawn with the run seed; all when absent. */
  readonly trainSize?: number;
  readonly testSize?: number;
  /** λ on the first n of the run's test images (all of them when absent). */
  readonly lambdaPoints?: number;
  readonly lambdaDirections: number;
  readonly crr: MnistCrrCost;
  /** Adam's learning rate (constant, as the notebooks). */
  readonly lr: number;
}

/** The notebooks' λ: the `paper` estimator, cross-entropy with the test label, orders 1–4, K = 2 directions. */
export const LAMBDA_ORDERS = { from: 1, to: 4 } as const;
export const LAMBDA_LABEL = `λ (orders ${LAMBDA_ORDERS.from}–${LAMBDA_ORDERS.to})`;
const SECTION_CRR: MnistCrrCost = { directions: 1, subset: 32, directionMode: 'per-order', directionScope: 'sample' };
const TABLE2_CRR: MnistCrrCost = { directions: 1, directionMode: 'shared', directionScope: 'batch' };

/** §5.3–5.5 (mnist-noise, mnist-crr, mnist-ablation); the paper's epochs and seeds are the section's. */
export function sectionScales(paperEpochs: number, paperSeeds: number): Record<ScaleName, MnistScale> {
  return {
    smoke: { seeds: 1, epochs: 1, width: 'small', trainSize: 256, testSize: 64, lambdaPoints: 8, lambdaDirections: 2, crr: { ...SECTION_CRR, subset: 4 }, lr: 1e-3 },
    // CRR on 16 of each batch: with a fresh direction per order, orders 1–4 take 15 jet rows per penalized sample.
    quick: { seeds: 2, epochs: 2, width: 'small', trainSize: 5000, testSize: 1000, lambdaPoints: 200, lambdaDirections: 2, crr: { ...SECTION_CRR, subset: 16 }, lr: 1e-3 },
    paper: { seeds: paperSeeds, epochs: paperEpochs, width: 'paper', trainSize: 5000, testSize: 1000, lambdaDirections: 2, crr: SECTION_CRR, lr: 1e-3 },
  };
}

/** Table 2 (mnist-sam): all 60 000 training and 10 000 test images, 30 epochs, one CRR direction per batch on every sample. */
export const TABLE2_SCALES: Record<ScaleName, MnistScale> = {
  smoke: { seeds: 1, epochs: 1, width: 'small', trainSize: 256, testSize: 200, lambdaPoints: 8, lambdaDirections: 2, crr: TABLE2_CRR, lr: 1e-3 },
  quick: { seeds: 2, epochs: 2, width: 'small', trainSize: 5000, testSize: 1000, lambdaPoints: 200, lambdaDirections: 2, crr: TABLE2_CRR, lr: 1e-3 },
  paper: { seeds: 3, epochs: 30, width: 'paper', lambdaPoints: 1000, lambdaDirections: 2, crr: TABLE2_CRR, lr: 1e-3 },
};

export type MnistReg = { kind: 'none' } | { kind: 'sam'; rho: number } | { kind: 'crr'; scale: number; orders: readonly number[] };

/** MNIST training: Adam at a constant rate, batch 128, the notebooks' CRR (mean over orders). */
export function mnistSpec(s: MnistScale, seed: number, labelNoise: number, reg: MnistReg): RunSpec {
  const crr: CrrRun | undefined = reg.kind === 'crr' ? {
    scale: reg.scale, orders: reg.orders, directions: s.crr.directions, every: 1, reduction: 'mean', directionMode: s.crr.directionMode,
    ...(s.crr.directionScope === 'batch' ? { directionScope: 'batch' as const } : {}), ...(s.crr.subset !== undefined ? { subset: s.crr.subset } : {}),
  } : undefined;
  return {
    dataset: 'mnist', model: 'cnn', width: s.width, reg: reg.kind, rho: reg.kind === 'sam' ? reg.rho : 0.05, ...(crr ? { crr } : {}),
    epochs: s.epochs, batch: 128, lr: s.lr, labelNoise, seed,
    ...(s.trainSize !== undefined ? { trainSize: s.trainSize } : {}), ...(s.testSize !== undefined ? { testSize: s.testSize } : {}),
    ...(s.trainSize !== undefined || s.testSize !== undefined ? { subsets: 'random' as const } : {}),
  };
}

/** 20000 → "20 000", as the paper and our reports write counts. */
export const spaced = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');

const imagesText = (n: number | undefined, total: number, what: string) => (n === undefined ? `all ${spaced(total)} ${what}` : `a random ${spaced(n)} of the ${spaced(total)} ${what} (drawn with the run seed)`);
const crrText = (c: MnistCrrCost) => `${c.directions} direction${c.directions === 1 ? '' : 's'} ${c.directionScope === 'batch' ? 'per step, shared by every sample of the batch' : 'per sample and step'}${c.directionMode === 'per-order' ? ', a fresh one per order (mixed derivatives)' : ', the same for every order'}, penalty on ${c.subset !== undefined ? `the first ${c.subset} samples of each shuffled batch (the loss uses all 128)` : 'every sample'}, mean over the orders`;

const seedsText = (n: number) => `${n} seed${n === 1 ? '' : 's'}`;

/**
 * What differs between this scale and the paper's code, as the settings table lists it
 * ('paperSeeds' null: the paper does not state its count; `crr` false: the experiment trains no CRR).
 */
export function mnistDepartures(s: MnistScale, paper: MnistScale, paperSeeds: number | null, crr = true): string[] {
  const out: string[] = [];
  if (paperSeeds === null) out.push(`${seedsText(s.seeds)} (the paper does not state its count)`);
  else if (s.seeds !== paperSeeds) out.push(`${seedsText(s.seeds)} where the paper has ${paperSeeds}`);
  if (s.epochs !== paper.epochs) out.push(`${s.epochs} epoch${s.epochs === 1 ? '' : 's'} where the paper trains ${paper.epochs}`);
  if (s.width !== paper.width) out.push('the small CNN (conv 8 stride 2, conv 16, max-pool, fc 128, no dropout, He init) instead of the paper\'s');
  if (s.trainSize !== paper.trainSize) out.push(`${spaced(s.trainSize ?? 60000)} training images where the paper has ${spaced(paper.trainSize ?? 60000)}`);
  if (s.testSize !== paper.testSize) out.push(`${spaced(s.testSize ?? 10000)} test images where the paper has ${spaced(paper.testSize ?? 10000)}`);
  if (s.lambdaPoints !== paper.lambdaPoints) out.push(`λ on ${s.lambdaPoints !== undefined ? `the first ${spaced(s.lambdaPoints)}` : 'all'} of the run's test images where the paper takes ${paper.lambdaPoints !== undefined ? `${spaced(paper.lambdaPoints)}` : 'all'}`);
  if (s.lambdaDirections !== paper.lambdaDirections) out.push(`${s.lambdaDirections} λ directions per image where the paper takes ${paper.lambdaDirections}`);
  if (crr && s.crr.subset !== paper.crr.subset) out.push(`CRR on ${s.crr.subset ?? 'all'} samples of each batch where the paper takes ${paper.crr.subset ?? 'all'}`);
  if (s.lr !== paper.lr) out.push(`Adam at ${s.lr} where the paper has ${paper.lr}`);
  return out;
}

/** The settings every MNIST report lists at every scale; `departs` is mnistDepartures'. */
export function mnistSettings(scale: ScaleName, s: MnistScale, departs: readonly string[], extra: Record<string, unknown>, crr = true): Record<string, unknown> {
  return {
    scale, seeds: `${s.seeds} (1..${s.seeds}; one seed for the subsets, initialization, dropout and batches)`, epochs: s.epochs,
    model: s.width === 'small' ? 'small CNN: conv 8 (stride 2), conv 16, max-pool, fc 128, relu, no dropout, He-normal init (src/train/architectures.ts)' : 'the notebooks\' CNN (pytorch/examples\' MNIST net): conv 1→32 3×3, relu, conv 32→64 3×3, relu, max-pool 2, dropout 0.5, fc 9216→128, relu, dropout 0.5, fc 10, PyTorch\'s default initialization',
    data: `MNIST, ${imagesText(s.trainSize, 60000, 'training images')}, ${imagesText(s.testSize, 10000, 'test images')}, normalized (p/255 − 0.1307)/0.3081`,
    optimizer: `Adam, lr ${s.lr} constant, batch 128, shuffled each epoch`,
    λ: `the \`paper\` estimator: cross-entropy with the test label on ${s.lambdaPoints !== undefined ? `the first ${spaced(s.lambdaPoints)}` : 'all'} of the run's test images, ${s.lambdaDirections} random unit directions each (seed 0), raw derivatives of orders ${LAMBDA_ORDERS.from}–${LAMBDA_ORDERS.to}, the least-squares slope over n of the mean over (image, direction) pairs of log max(|Dⁿ|, 1e-12) (the notebook estimator's orders; the paper's text says "n = 2…4")`,
    'accuracy, ECE, hard-20%': 'on the run\'s test images; ECE over 10 equal-width confidence bins (the notebooks\'); hard-20%: accuracy on the 20% with the lowest confidence',
    ...(crr ? { 'CRR per step': crrText(s.crr) } : {}),
    '± in the tables': 'the population standard deviation over seeds (ddof 0, NumPy\'s default, as the notebooks); the 95% CI behind the verdicts is the t interval of the mean',
    'departs from the paper\'s code': [...departs, 'our random number generators (subsets, initialization, dropout, batches, directions) are not torch\'s or NumPy\'s: no number can be reproduced bit for bit'].join('; '),
    ...extra,
  };
}

/** Mean ± std over seeds as the notebooks print it: np.std, ddof 0. */
export const seedSummary = (xs: readonly number[]): Summary => summarize(xs, 0);

/** Table 2's pair λ: test images of the pair with top probability in [0.3, 0.7], at most 200, one direction each, flatgrad's ratio estimator over orders 1–4. */
export const PAIR_BAND: readonly [number, number] = [0.3, 0.7];
export const PAIR_MAX = 200;
export const PAIR_ESTIMATOR: LambdaEstimator = 'flatgrad-pair';
export const PAIR_PROTOCOL: LambdaProtocol = { orders: { from: 1, to: 4 }, directions: 1, estimator: PAIR_ESTIMATOR };

/** Indices (in order) of the images labelled a or b whose largest probability lies in the band, at most `max`. */
export function pairBandIndices(labels: ArrayLike<number>, maxProbability: ArrayLike<number>, pair: readonly [number, number], band = PAIR_BAND, max = PAIR_MAX): number[] {
  const out: number[] = [];
  for (let i = 0; i < labels.length && out.length < max; i++) {
    if ((labels[i] === pair[0] || labels[i] === pair[1]) && maxProbability[i]! >= band[0] && maxProbability[i]! <= band[1]) out.push(i);
  }
  return out;
}

export interface MnistResult {
  readonly seed: number;
  readonly accuracy: number;
  /** 10 bins, on the run's test images. */
  readonly ece: number;
  readonly hard20: number;
  readonly pairConfusion: Readonly<Record<string, number>>;
  readonly lambda: LambdaMeasurement;
  /** Table 2's λ of each digit pair "a/b" (mnist-sam), with the images it kept. */
  readonly pairLambda?: Readonly<Record<string, LambdaMeasurement>>;
  /** Training seconds over all epochs (excluding evaluation). */
  readonly trainSeconds: number;
  readonly seconds: number;
}

export async function trainAndMeasureMnist(ctx: UnitContext, s: MnistScale, spec: RunSpec, pairs: readonly (readonly [number, number])[] = []): Promise<MnistResult> {
  const run = await trainRun(ctx, spec);
  if (!run.summary.final) throw new Error(`run ${run.dir} has no finished epoch`);
  const model = await loadRunModel(ctx.engine, run.dir);
  try {
    const all = testSet('mnist', 0, ctx.mnistDir);
    const test = s.testSize !== undefined ? pick(all, subsetIndices(all.count, s.testSize, subsetSeed({ seed: spec.seed, subsets: 'random' }, 'test'))) : all;
    const labels = test.labels!;
    const probs = await probabilities(model, test);
    const m = classificationMetrics(probs, labels, 10, MNIST_CONFUSABLE_PAIRS, 10);
    const lambdaData = s.lambdaPoints !== undefined ? pick(test, Array.from({ length: Math.min(s.lambdaPoints, test.count) }, (_, i) => i)) : test;
    const lambda = await measureLambda(ctx.engine, model, lambdaData, { orders: LAMBDA_ORDERS, directions: s.lambdaDirections, estimator: 'paper' });
    const pairLambda: Record<string, LambdaMeasurement> = {};
    if (pairs.length) {
      const maxProb = Float64Array.from({ length: test.count }, (_, p) => Math.max(...probs.subarray(p * 10, (p + 1) * 10)));
      for (const pair of pairs) {
        const kept = pairBandIndices(labels, maxProb, pair);
        pairLambda[`${pair[0]}/${pair[1]}`] = kept.length ? await measureLambda(ctx.engine, model, pick(test, kept), PAIR_PROTOCOL)
          : { estimator: PAIR_ESTIMATOR, fitMean: null, endpointMean: null, pooled: null, kept: 0, inBand: 0, note: `no test image of ${pair.join('/')} has its top probability in ${PAIR_BAND.join('–')}` };
      }
    }
    // The summary's seconds include the per-epoch evaluation; training time alone is what Table 2 compares.
    const trainSeconds = (await readEpochRecords(run.dir)).reduce((sum, r) => sum + r.trainSeconds, 0);
    return {
      seed: spec.seed, accuracy: m.accuracy, ece: m.ece, hard20: m.hardestAccuracy, pairConfusion: m.pairConfusion, lambda,
      ...(pairs.length ? { pairLambda } : {}), trainSeconds, seconds: run.summary.seconds,
    };
  } finally {
    model.destroy();
  }
}

/** The estimator's own λ over all images and directions (the notebooks' number; NaN: not measured). */
export const lambdaValue = (m: LambdaMeasurement | undefined): number => m?.pooled ?? NaN;
export const lambdaOf = (r: MnistResult): number => lambdaValue(r.lambda);

/** "λ falls with x" style sentences: whether the means move the paper's way, from the numbers. */
export function directionText(from: number, to: number, paperDirection: 'lower' | 'higher', what: string): string {
  if (!Number.isFinite(from) || !Number.isFinite(to)) return `${what}: not measured.`;
  const lower = to < from;
  const same = (paperDirection === 'lower') === lower;
  return `${what} ${lower ? 'falls' : 'rises'} by ${fmt(Math.abs(to - from), 2)} (${fmt(from, 2)} → ${fmt(to, 2)})${same ? ', the paper\'s direction' : ', against the paper\'s direction'}.`;
}

/**
 * How a scale's training departs from the paper's, in a sentence (nothing at paper scale beyond
 * the random streams, which the settings table lists).
 */
export function scaleNote(departs: readonly string[]): string {
  return departs.length === 0 ? 'This run follows the paper\'s code in every setting the settings table lists; what remains is our random streams.'
    : `This run departs from the paper's code in: ${departs.join('; ')}. Its numbers are comparable within this report; against the paper's, the levels of λ, accuracy and ECE carry these differences.`;
}
