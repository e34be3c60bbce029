// Two Moons, label noise and mini-batches: CPU only, seeded.
import { describe, expect, it } from 'vitest';
import { epochBatches } from '../src/data/batches.js';
import { symmetricLabelNoise } from '../src/data/label-noise.js';
import { fitStandardizer, makeMoons, moonsDataset, standardize, trainTestSplit } from '../src/data/moons.js';
import { JetcurveError } from '../src/errors.js';
import { Random } from '../src/util/random.js';

describe('two moons', () => {
  it('splits the points between the moons as sklearn does (n//2 outer, the rest inner)', () => {
    const p = makeMoons(3001, new Random(1), { noise: 0.2 });
    expect(p.x.length).toBe(2 * 3001);
    expect(p.y.length).toBe(3001);
    const ones = p.y.reduce((a, b) => a + b, 0);
    expect(3001 - ones).toBe(1500);
    expect(ones).toBe(1501);
  });

  it('puts every point exactly on its moon at noise 0, at evenly spaced angles from 0 to π', () => {
    const p = makeMoons(200, new Random(2), { shuffle: false });
    for (let i = 0; i < 200; i++) {
      const [x, y] = [p.x[2 * i]!, p.x[2 * i + 1]!];
      // Outer: the upper unit half circle. Inner: the lower half circle of radius 1 around (1, 0.5).
      if (p.y[i] === 0) {
        expect(Math.hypot(x, y)).toBeCloseTo(1, 14);
        expect(y).toBeGreaterThanOrEqual(0);
      } else {
        expect(Math.hypot(x - 1, y - 0.5)).toBeCloseTo(1, 14);
        expect(y).toBeLessThanOrEqual(0.5 + 1e-15);
      }
    }
    // np.linspace includes both ends: outer from (1, 0) to (−1, 0), inner from (0, 0.5) to (2, 0.5).
    expect([p.x[0], p.x[1]]).toEqual([1, 0]);
    expect(p.x[2 * 99]).toBeCloseTo(-1, 15);
    expect([p.x[2 * 100], p.x[2 * 100 + 1]]).toEqual([0, 0.5]);
    expect(p.x[2 * 199]).toBeCloseTo(2, 15);
    // Shuffled at noise 0: the same points, in another order.
    const shuffled = makeMoons(200, new Random(2));
    const key = (x: Float64Array, i: number): string => `${x[2 * i]},${x[2 * i + 1]}`;
    const a = Array.from({ length: 200 }, (_, i) => key(p.x, i)).sort();
    const b = Array.from({ length: 200 }, (_, i) => key(shuffled.x, i)).sort();
    expect(b).toEqual(a);
    expect(Array.from(shuffled.y)).not.toEqual(Array.from(p.y));
  });

  it('adds Gaussian noise of the given standard deviation', () => {
    const clean = makeMoons(3000, new Random(3), { shuffle: false });
    const noisy = makeMoons(3000, new Random(4), { shuffle: false, noise: 0.2 });
    let s = 0;
    let q = 0;
    for (let i = 0; i < 6000; i++) {
      const d = noisy.x[i]! - clean.x[i]!;
      s += d;
      q += d * d;
    }
    // 6 000 draws: the sample std has a standard error of 0.2/√12000 ≈ 0.0018; allow 5 of them.
    expect(Math.abs(s / 6000)).toBeLessThan(0.2 * 5 / Math.sqrt(6000));
    expect(Math.abs(Math.sqrt(q / 6000) - 0.2)).toBeLessThan(0.01);
  });

  it('is reproducible from the seed', () => {
    expect(makeMoons(100, new Random(5), { noise: 0.1 })).toEqual(makeMoons(100, new Random(5), { noise: 0.1 }));
    expect(makeMoons(100, new Random(5), { noise: 0.1 }).x).not.toEqual(makeMoons(100, new Random(6), { noise: 0.1 }).x);
  });

  it('holds out ceil(30%) and standardizes both parts with the training statistics', () => {
    const raw = makeMoons(3000, new Random(7), { noise: 0.2 });
    const split = trainTestSplit(raw, new Random(8));
    expect(split.test.n).toBe(900);
    expect(split.train.n).toBe(2100);
    // A partition of the rows: every point lands in exactly one part.
    const key = (x: Float64Array, i: number): string => `${x[2 * i]},${x[2 * i + 1]}`;
    const all = Array.from({ length: 3000 }, (_, i) => key(raw.x, i)).sort();
    const parts = [...Array.from({ length: 2100 }, (_, i) => key(split.train.x, i)), ...Array.from({ length: 900 }, (_, i) => key(split.test.x, i))].sort();
    expect(parts).toEqual(all);

    const s = fitStandardizer(split.train);
    const train = standardize(split.train, s);
    for (let c = 0; c < 2; c++) {
      let m = 0;
      let q = 0;
      for (let i = 0; i < train.n; i++) m += train.x[2 * i + c]! / train.n;
      for (let i = 0; i < train.n; i++) q += (train.x[2 * i + c]! - m) ** 2 / train.n;
      expect(Math.abs(m)).toBeLessThan(1e-12);
      expect(q).toBeCloseTo(1, 12);
    }
    const test = standardize(split.test, s);
    expect(test.x[0]).toBeCloseTo((split.test.x[0]! - s.mean[0]) / s.std[0], 15);
    expect(test.x[1]).toBeCloseTo((split.test.x[1]! - s.mean[1]) / s.std[1], 15);

    const d = moonsDataset({ seed: 9 });
    expect([d.train.n, d.test.n]).toEqual([2100, 900]);
  });

  it('rejects bad arguments', () => {
    expect(() => makeMoons(1, new Random(1))).toThrow(JetcurveError);
    expect(() => makeMoons(10, new Random(1), { noise: -1 })).toThrow(JetcurveError);
    expect(() => trainTestSplit(makeMoons(10, new Random(1)), new Random(1), 1)).toThrow(JetcurveError);
  });
});

describe('symmetric label noise', () => {
  const clean = (n: number, classes: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => i % classes);

  it('changes about p·n labels, each to a different class, leaving the input alone', () => {
    const labels = clean(10_000, 10);
    const copy = labels.slice();
    const { labels: noisy, flipped } = symmetricLabelNoise(labels, 10, 0.2, new Random(1));
    expect(labels).toEqual(copy);
    // Binomial(10 000, 0.2): mean 2 000, sd 40; allow 4 sd.
    expect(Math.abs(flipped.length - 2000)).toBeLessThan(160);
    let changed = 0;
    for (let i = 0; i < labels.length; i++) if (noisy[i] !== labels[i]) changed++;
    expect(changed).toBe(flipped.length); // never replaced by the same class
    for (const i of flipped) expect(noisy[i]).not.toBe(labels[i]);
    // The new class is uniform over the 9 others: each gets 1/9 of the flips (sd ≈ 14 of ≈ 222).
    const counts = new Array<number>(10).fill(0);
    for (const i of flipped) counts[(noisy[i]! - labels[i]! + 10) % 10]++;
    expect(counts[0]).toBe(0);
    for (let d = 1; d < 10; d++) expect(Math.abs(counts[d]! - flipped.length / 9)).toBeLessThan(5 * Math.sqrt(flipped.length / 9));
  });

  it('always picks the other class with two classes, and nothing at rate 0', () => {
    const labels = clean(1000, 2);
    const { labels: noisy, flipped } = symmetricLabelNoise(labels, 2, 0.5, new Random(2));
    for (const i of flipped) expect(noisy[i]).toBe(1 - labels[i]!);
    expect(symmetricLabelNoise(labels, 2, 0, new Random(3)).labels).toEqual(labels);
  });

  it('touches only the training labels it is given', () => {
    const d = moonsDataset({ n: 1000, seed: 4 });
    const testBefore = d.test.y.slice();
    const noisy = symmetricLabelNoise(d.train.y, 2, 0.3, new Random(5));
    expect(noisy.labels.length).toBe(d.train.n);
    expect(d.test.y).toEqual(testBefore);
  });

  it('is seeded', () => {
    const labels = clean(500, 10);
    expect(symmetricLabelNoise(labels, 10, 0.3, new Random(6))).toEqual(symmetricLabelNoise(labels, 10, 0.3, new Random(6)));
  });

  it('rejects a rate outside [0, 1) with a fix hint', () => {
    for (const p of [-0.1, 1, 1.5, Number.NaN]) {
      expect(() => symmetricLabelNoise(clean(10, 10), 10, p, new Random(1))).toThrow(/label-noise rate must lie in \[0, 1\)[^]*fix:/);
    }
  });
});

describe('mini-batches', () => {
  it('visit every index once per epoch, keeping the last partial batch', () => {
    const random = new Random(1);
    const epochs = [epochBatches(1000, 128, random), epochBatches(1000, 128, random)];
    for (const batches of epochs) {
      expect(batches.map((b) => b.length)).toEqual([128, 128, 128, 128, 128, 128, 128, 104]);
      const seen = new Uint8Array(1000);
      for (const b of batches) for (const i of b) seen[i]!++;
      expect(seen.every((c) => c === 1)).toBe(true);
    }
    // A fresh order each epoch, the same orders from the same seed.
    expect(Array.from(epochs[0]![0]!)).not.toEqual(Array.from(epochs[1]![0]!));
    expect(epochBatches(1000, 128, new Random(1)).map((b) => Array.from(b))).toEqual(epochs[0]!.map((b) => Array.from(b)));
    expect(epochBatches(5, 10, new Random(2)).map((b) => b.length)).toEqual([5]);
    expect(() => epochBatches(5, 0, new Random(2))).toThrow(JetcurveError);
  });
});

describe("the paper's Two Moons pipeline", () => {
  it('standardizes over all 3000 points and flips exactly ⌊0.3·3000⌋ of ALL labels before the 70/30 split', () => {
    const clean = moonsDataset({ seed: 5, pipeline: 'paper', labelFlips: 0 });
    const noisy = moonsDataset({ seed: 5, pipeline: 'paper', labelFlips: 0.3 });
    expect(noisy.flipped).toBe(900);
    expect([clean.train.n, clean.test.n]).toEqual([2100, 900]);
    // The same points in the same split: only labels differ, 900 of them, in train and test both.
    expect(Array.from(noisy.train.x)).toEqual(Array.from(clean.train.x));
    const differ = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + (v !== b[i] ? 1 : 0), 0);
    const inTrain = differ(noisy.train.y, clean.train.y);
    const inTest = differ(noisy.test.y, clean.test.y);
    expect(inTrain + inTest).toBe(900);
    expect(inTest).toBeGreaterThan(200);
    // The scaler saw all points: over train and test together each coordinate has mean 0 and std 1.
    for (let c = 0; c < 2; c++) {
      const v = [...clean.train.x.filter((_, i) => i % 2 === c), ...clean.test.x.filter((_, i) => i % 2 === c)];
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      const std = Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / v.length);
      expect(Math.abs(mean)).toBeLessThan(1e-12);
      expect(Math.abs(std - 1)).toBeLessThan(1e-12);
    }
  });
});
