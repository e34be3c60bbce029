// What the Two Moons experiments share: the paper's notebook protocol (its data pipeline, seeds,
// CRR and λ measurement), per-scale seed and epoch counts, and "train a run, then measure it".
import type { Model } from '../../model/model.js';
import type { DataSet } from '../../data/file.js';
import { loadTrainingData } from '../../train/data.js';
import { errorRate, loadRunModel, measureLambda, predict, type LambdaMeasurement, type LambdaProtocol } from '../measure.js';
import { moonsRun, trainRun, type RunSpec } from '../runs.js';
import { summarize, type Summary } from '../stats.js';
import type { ScaleName, UnitContext } from '../types.js';
import type { CrrRun } from '../../train/crr.js';
import { PAPER_BAND } from '../../lambda/estimators.js';

/** §5.2: test points whose largest softmax probability is in 0.45–0.65, loss derivatives of orders 1..4. */
export const BAND = PAPER_BAND;
/** The notebook's estimate_lambda_loss defaults: K = 2 directions per point, orders 1–4, the band above. */
export const PROTOCOL: LambdaProtocol = { orders: { from: 1, to: 4 }, directions: 2, band: BAND, estimator: 'paper' };
/** Why λ's level sits below the paper's in every Two Moons report: measured by moons-init, not assumed. */
export const LEVELS_TEXT = '**λ levels.** The notebook\'s code initializes the MLP with Xavier weights and zero biases, and so do we (`--init xavier`); with those, an independent float64 NumPy implementation of the notebook (`scripts/moons-crosscheck.py`) gives levels like ours, not the paper\'s. With PyTorch\'s default `nn.Linear` init (weights and biases U(±1/√fan_in)) both it and jetcurve land on the paper\'s levels at the same test error: the `moons-init` report measures this at 20 seeds per cell. The paper\'s numbers most likely came from default-initialized models; these reports keep the notebook\'s code.';
export const PROTOCOL_TEXT = 'λ as the paper\'s notebook measures it: cross-entropy with the (noisy) test label, test points with max softmax probability in 0.45–0.65 (with 2 classes effectively 0.5–0.65; an empty band falls back to the 600 points nearest probability 0.5), 2 random unit directions per point (seed 0; the notebook uses the torch RNG state left by training), raw derivatives of orders 1–4, the `paper` estimator: the least-squares slope over n of the mean over (point, direction) pairs of log max(|Dⁿ|, 1e-12)';

/** The notebook's seeds: run i (0-based) uses data seed 42 + i. */
export const FIRST_SEED = 42;
export const moonsSeeds = (n: number, first = FIRST_SEED): number[] => Array.from({ length: n }, (_, i) => first + i);

export interface MoonsScale {
  readonly seeds: number;
  readonly epochs: number;
  /** Training points (of the 2 100); all when absent. */
  readonly trainSize?: number;
}

/** The notebook's run: its data pipeline (labels flipped on all 3 000 points before the split) and its MLP and optimizer. */
export function moonsSpec(scale: MoonsScale, seed: number, labelNoise: number, crr?: CrrRun, epochs = scale.epochs): RunSpec {
  const spec: RunSpec = { ...moonsRun(seed, epochs, labelNoise, crr), moonsPipeline: 'paper' };
  return scale.trainSize !== undefined ? { ...spec, trainSize: scale.trainSize } : spec;
}

/** What every Two Moons report lists, at every scale; `departs` says how this scale differs from the paper's code. */
export function moonsSettings(scale: ScaleName, s: MoonsScale, paperSeeds: number, extra: Record<string, unknown>, firstSeed = FIRST_SEED): Record<string, unknown> {
  const seeds = moonsSeeds(s.seeds, firstSeed);
  const departs = [
    ...(s.seeds !== paperSeeds ? [`${s.seeds} seeds where the paper has ${paperSeeds}`] : []),
    ...(s.trainSize !== undefined ? [`${s.trainSize} of the 2100 training points`] : []),
  ];
  return {
    scale, seeds: `${s.seeds} (${seeds[0]}..${seeds[seeds.length - 1]}; the notebook: data seed 42 + i, training seed 42 + i + 1000; ours: one seed for data, initialization and batches)`, epochs: s.epochs,
    model: 'tanh MLP 2-64-64-2, Xavier-uniform weights, zero biases (the notebook\'s)',
    data: 'Two Moons as the notebook makes it: 3000 points, noise 0.2, standardized with the statistics of all points, exactly ⌊p·3000⌋ labels of ALL points flipped, then split 70/30 (2100 training, 900 test points; the test labels are noisy too). Our generator and split are seeded equivalents of scikit-learn\'s, not bit-identical',
    optimizer: 'Adam, lr 0.01, batch 128, shuffled each epoch',
    'departs from the paper\'s code': departs.length ? departs.join('; ') : 'no (beyond the random number generators: the paper\'s numbers cannot be reproduced bit for bit)',
    ...extra,
  };
}

export interface MoonsEval {
  readonly seed: number;
  /** Against the clean test labels (before the pipeline's flips). */
  readonly testError: number;
  /** Against the test labels as the notebook has them (flipped with the training labels): the paper's test error. */
  readonly noisyTestError: number;
  readonly trainSeconds: number;
}

/** The run's 900 test points with the labels the notebook measures on (noisy), and the clean ones. */
export function moonsTestSet(seed: number, labelNoise: number): { data: DataSet; cleanLabels: Uint32Array } {
  const split = (noise: number) => loadTrainingData({ dataset: 'moons', seed, labelNoise: noise, moonsPipeline: 'paper' }).test;
  const test = split(labelNoise);
  const data: DataSet = { inputShape: [2], count: test.n, inputs: Float64Array.from(test.inputs), labels: Uint32Array.from(test.labels) };
  return { data, cleanLabels: Uint32Array.from(labelNoise > 0 ? split(0).labels : test.labels) };
}

/** Errors of a trained moons model on its test split, against the noisy and the clean labels. */
export async function moonsErrors(model: Model, data: DataSet, cleanLabels: Uint32Array): Promise<{ testError: number; noisyTestError: number }> {
  const predicted = await predict(model, data);
  return { testError: errorRate(predicted, cleanLabels), noisyTestError: errorRate(predicted, data.labels!) };
}

/** Trains (or reuses) the run, then measures it: errors, and whatever `measure` takes from the model and its (noisy-label) test set. */
export async function trainAndMeasure<T>(context: UnitContext, spec: RunSpec, measure: (model: Model, data: DataSet) => Promise<T>): Promise<MoonsEval & T> {
  const run = await trainRun(context, spec);
  const model = await loadRunModel(context.engine, run.dir);
  try {
    const { data, cleanLabels } = moonsTestSet(spec.seed, spec.labelNoise);
    const errors = await moonsErrors(model, data, cleanLabels);
    const measured = await measure(model, data);
    return { seed: spec.seed, ...errors, trainSeconds: run.summary.seconds, ...measured };
  } finally {
    model.destroy();
  }
}

export const lambdaOf = (context: UnitContext, model: Model, data: DataSet, protocol: LambdaProtocol = PROTOCOL): Promise<LambdaMeasurement> =>
  measureLambda(context.engine, model, data, protocol);

/** Summary of a field over results, skipping missing values. */
export function over<T>(results: readonly T[], get: (r: T) => number | null | undefined): Summary {
  return summarize(results.map(get).filter((v): v is number => typeof v === 'number' && Number.isFinite(v)));
}

/** The stored results of the units whose keys start with `prefix`, in key order of the plan. */
export function resultsOf<T>(results: ReadonlyMap<string, unknown>, keys: readonly string[]): T[] {
  return keys.filter((k) => results.has(k)).map((k) => results.get(k) as T);
}

/**
 * The Two Moons notebook's CRR (lambda_regularizer_loss): on a random 64 of each batch of 128
 * (ours: the first 64 of a shuffled batch, the same distribution), orders 2 and 3 with a fresh
 * direction per order (mixed derivatives), the mean over the two orders of the batch mean of |Dⁿ L|.
 */
export function notebookCrr(scale: number): CrrRun | undefined {
  return scale === 0 ? undefined : { scale, orders: [2, 3], directions: 1, every: 1, subset: 64, reduction: 'mean', directionMode: 'per-order' };
}
export const CRR_TEXT = 'the notebook\'s: scale · ½ Σ_{n=2,3} mean over samples of |Dⁿ L[u₁, …, uₙ]| (a fresh random unit direction per order: mixed derivatives, by polarization), on 64 samples of each batch of 128 (the first 64 of the shuffled batch; the notebook: randperm(B)[:64]), every step; the loss term is the mean cross-entropy over the whole batch';

/** "1.2 to 1.5 (spread 0.3)" of finite values, or n/a. */
export function spreadText(xs: readonly number[], digits = 2): string {
  return xs.length > 0 && xs.every(Number.isFinite) ? `${Math.min(...xs).toFixed(digits)} to ${Math.max(...xs).toFixed(digits)} (spread ${(Math.max(...xs) - Math.min(...xs)).toFixed(digits)})` : 'n/a';
}

/** Whether xs strictly rises, strictly falls, or neither, in words. */
export function trendText(xs: readonly number[]): 'rises' | 'falls' | 'is not monotone' {
  if (xs.length < 2 || !xs.every(Number.isFinite)) return 'is not monotone';
  if (xs.every((x, i) => i === 0 || x > xs[i - 1]!)) return 'rises';
  if (xs.every((x, i) => i === 0 || x < xs[i - 1]!)) return 'falls';
  return 'is not monotone';
}
