// `jetcurve data moons|mnist`: writes a jetcurve-data/1 file (inputs and labels) for
// `jetcurve lambda` and the like, from the same generators and readers training uses.
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { JetcurveError } from '../../errors.js';
import { stringifyDataSet, type DataSet } from '../../data/file.js';
import { symmetricLabelNoise } from '../../data/label-noise.js';
import { loadMnist, MNIST_CLASSES, MNIST_PIXELS, MNIST_SHAPE } from '../../data/mnist.js';
import { moonsDataset } from '../../data/moons.js';
import { Random } from '../../util/random.js';

interface DataOptions {
  out: string; split: string; count?: string; seed: string; noise: string; n: string; labelNoise: string;
}

function count(text: string | undefined, available: number): number {
  if (text === undefined) return available;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new JetcurveError(`--count ${text} is not a positive integer`, 'give how many points to write, e.g. --count 500');
  return Math.min(n, available);
}

function fraction(text: string, name: string, below1: boolean): number {
  const p = Number(text);
  if (!Number.isFinite(p) || p < 0 || (below1 ? p >= 1 : false)) {
    throw new JetcurveError(`${name} ${text} is outside [0, ${below1 ? '1)' : '∞)'}`, `give ${name} as a number${below1 ? ' in [0, 1)' : ' ≥ 0'}`);
  }
  return p;
}

function moons(options: DataOptions): DataSet {
  const data = moonsDataset({ seed: Number(options.seed), n: Number(options.n), noise: fraction(options.noise, '--noise', false) });
  const part = options.split === 'train' ? data.train : data.test;
  const n = count(options.count, part.n);
  let labels = Uint32Array.from(part.y.subarray(0, n));
  const rate = fraction(options.labelNoise, '--label-noise', true);
  if (rate > 0 && options.split === 'train') labels = Uint32Array.from(symmetricLabelNoise(Uint8Array.from(labels), 2, rate, new Random(Number(options.seed) + 1)).labels);
  return { inputShape: [2], inputs: part.x.slice(0, 2 * n), count: n, labels };
}

function mnist(options: DataOptions): DataSet {
  const data = loadMnist();
  const part = options.split === 'train' ? data.train : data.test;
  const n = count(options.count ?? '1000', part.n);
  let labels: Uint8Array = Uint8Array.from(part.labels.subarray(0, n));
  const rate = fraction(options.labelNoise, '--label-noise', true);
  if (rate > 0 && options.split === 'train') labels = symmetricLabelNoise(labels, MNIST_CLASSES, rate, new Random(Number(options.seed) + 1)).labels;
  return { inputShape: [...MNIST_SHAPE], inputs: Float64Array.from(part.images.subarray(0, n * MNIST_PIXELS)), count: n, labels: Uint32Array.from(labels) };
}

export function register(program: Command): void {
  program.command('data')
    .description('write a data file (jetcurve-data/1: inputs and labels) of Two Moons or MNIST')
    .argument('<dataset>', 'moons or mnist')
    .requiredOption('--out <file.json>', 'where to write it')
    .option('--split <part>', 'train or test', 'test')
    .option('--count <n>', 'how many points (moons: all of the split; mnist: 1000)')
    .option('--seed <s>', 'seed of the generator, split and label noise (moons)', '0')
    .option('--n <points>', 'moons: points generated before the 70/30 split', '3000')
    .option('--noise <std>', 'moons: Gaussian noise of the points', '0.2')
    .option('--label-noise <p>', 'symmetric label noise on the train split, in [0, 1)', '0')
    .action(async (dataset: string, options: DataOptions) => {
      if (options.split !== 'train' && options.split !== 'test') throw new JetcurveError(`--split ${options.split}: expected train or test`, 'use --split train or --split test');
      const data = dataset === 'moons' ? moons(options) : dataset === 'mnist' ? mnist(options) : null;
      if (!data) throw new JetcurveError(`unknown dataset '${dataset}'`, 'use moons or mnist');
      await writeFile(options.out, stringifyDataSet(data));
      console.log(`${options.out}: ${data.count} ${dataset} points of shape ${data.inputShape.join('×')} (${options.split} split)`);
    });
}
