// What the Two Moons experiments share: the λ protocol of §5.2, per-scale seed and epoch counts,
// and "train a run, then measure it" as one step.
import type { Model } from '../../model/model.js';
import type { DataSet } from '../../data/file.js';
import { errorRate, loadRunModel, measureLambda, noisyLabels, predict, testSet, type LambdaMeasurement, type LambdaProtocol } from '../measure.js';
import { moonsRun, trainRun, type RunSpec } from '../runs.js';
import { summarize, type Summary } from '../stats.js';
import type { ScaleName, UnitContext } from '../types.js';
import type { CrrRun } from '../../train/crr.js';

/** §5.2: test points whose largest softmax probability is in 0.45–0.65, loss derivatives of orders 1..4. */
export const BAND: readonly [number, number] = [0.45, 0.65];
/** The paper does not say how many directions its default uses (it varies 2..8); 4 is jetcurve lambda's default. */
export const PROTOCOL: LambdaProtocol = { orders: { from: 1, to: 4 }, directions: 4, band: BAND };
export const PROTOCOL_TEXT = 'λ: cross-entropy with the clean test label, test points with max softmax probability in 0.45–0.65, 4 random unit directions per point (seed 0), raw derivatives of orders 1–4, pooled by the paper\'s notebook estimator: the least-squares slope over n of the mean over (point, direction) pairs of log max(|Dⁿ|, 1e-12), which is also the mean of per-point slopes; an empty band falls back to the 600 points nearest probability 0.5 (the paper: "fit λ as the slope of log‖Dⁿf‖ versus n for orders n = 1 through 4")';

export interface MoonsScale {
  readonly seeds: number;
  readonly epochs: number;
  /** Training points (of the 2 100); all when absent. */
  readonly trainSize?: number;
}


export function moonsSpec(scale: MoonsScale, seed: number, labelNoise: number, crr?: CrrRun, epochs = scale.epochs): RunSpec {
  const spec = moonsRun(seed, epochs, labelNoise, crr);
  return scale.trainSize !== undefined ? { ...spec, trainSize: scale.trainSize } : spec;
}

export function moonsSettings(scale: ScaleName, s: MoonsScale, extra: Record<string, unknown>): Record<string, unknown> {
  return {
    scale, seeds: `${s.seeds} (1..${s.seeds})`, epochs: s.epochs, model: 'tanh MLP 2-64-64-2, Xavier init (flatgrad)',
    data: `Two Moons, 3000 points, noise 0.2, 30% held out (900 test points), standardized${s.trainSize !== undefined ? `; first ${s.trainSize} of the 2100 training points` : ''}`,
    optimizer: 'Adam, lr 0.01, batch 128', ...extra,
  };
}

export interface MoonsEval {
  readonly seed: number;
  /** Against the clean test labels. */
  readonly testError: number;
  /** Against test labels with the training noise applied (what the paper's ~32% must be). */
  readonly noisyTestError: number;
  readonly trainSeconds: number;
}

/** Errors of a trained moons model on its test split. */
export async function moonsErrors(model: Model, data: DataSet, seed: number, labelNoise: number): Promise<{ testError: number; noisyTestError: number }> {
  const predicted = await predict(model, data);
  const testError = errorRate(predicted, data.labels!);
  return { testError, noisyTestError: labelNoise > 0 ? errorRate(predicted, noisyLabels(data.labels!, 2, labelNoise, seed)) : testError };
}

/** Trains (or reuses) the run, then measures it: errors, and whatever `measure` takes from the model. */
export async function trainAndMeasure<T>(context: UnitContext, spec: RunSpec, measure: (model: Model, data: DataSet) => Promise<T>): Promise<MoonsEval & T> {
  const run = await trainRun(context, spec);
  const model = await loadRunModel(context.engine, run.dir);
  try {
    const data = testSet('moons', spec.seed);
    const errors = await moonsErrors(model, data, spec.seed, spec.labelNoise);
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
