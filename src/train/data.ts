// The data of a run for both datasets (src/train/data-split.ts holds the shared part and Two
// Moons); this module adds MNIST, read from its IDX files (Node only).
import { loadMnist, MNIST_CLASSES, MNIST_MEAN, MNIST_STD, type MnistSplit } from '../data/mnist.js';
import { checkDataOptions, finishData, moonsBase, type BaseData, type DataOptions, type Split, type TrainingData } from './data-split.js';
import { MNIST_CONFUSABLE_PAIRS } from './metrics.js';

export { DATASETS, deriveSeed, loadMoonsData, randomSubsetIndices, subsetIndices, subsetSeed, SUBSET_STREAMS, type DataOptions, type DatasetName, type Split, type TrainingData } from './data-split.js';

export function loadTrainingData(options: DataOptions): TrainingData {
  checkDataOptions(options);
  const paper = options.moonsPipeline === 'paper';
  const base = options.dataset === 'moons' ? moonsBase(options.seed, paper ? options.labelNoise : null) : mnist(options.mnistDir);
  return finishData(base, options);
}

/** MNIST, normalized as pytorch/examples does ((p/255 − 0.1307)/0.3081). */
function mnist(dir: string | undefined): BaseData {
  const data = loadMnist({ normalize: 'standard', ...(dir !== undefined ? { dir } : {}) });
  const split = (s: MnistSplit): Split => ({ inputs: s.images, labels: s.labels, n: s.n });
  return {
    inputShape: [1, 28, 28], classes: MNIST_CLASSES, train: split(data.train), test: split(data.test), pairs: MNIST_CONFUSABLE_PAIRS,
    note: { dataset: 'mnist', normalize: `(p/255 − ${MNIST_MEAN})/${MNIST_STD}` },
    flippedBefore: 0,
  };
}
