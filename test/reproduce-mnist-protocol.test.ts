// The MNIST reproductions' protocol as pure functions: random, seeded subsets; Table 2's pair
// selection; CRR directions shared over a batch; the notebooks' 10-bin ECE and ddof-0 std; and
// the settings rows that say how a scale departs from the paper's code.
import { describe, expect, it } from 'vitest';
import { TABLE2_SCALES, mnistDepartures, mnistSettings, mnistSpec, pairBandIndices, sectionScales, seedSummary } from '../src/reproduce/experiments/mnist-common.js';
import { runKey } from '../src/reproduce/runs.js';
import { crrInput } from '../src/train/crr.js';
import { randomSubsetIndices, subsetIndices, subsetSeed } from '../src/train/data.js';
import { expectedCalibrationError } from '../src/train/metrics.js';
import { Random } from '../src/util/random.js';

describe('random subsets', () => {
  it('are distinct indices, the same for one seed and different for another', () => {
    const a = randomSubsetIndices(60000, 5000, 7);
    expect(new Set(a).size).toBe(5000);
    expect(Math.max(...a)).toBeLessThan(60000);
    expect([...randomSubsetIndices(60000, 5000, 7)]).toEqual([...a]);
    expect([...randomSubsetIndices(60000, 5000, 8)]).not.toEqual([...a]);
    // Not the first 5 000: a random draw reaches across the whole split.
    expect(Math.max(...a)).toBeGreaterThan(50000);
    expect([...subsetIndices(10, 3, null)]).toEqual([0, 1, 2]);
  });

  it('draw training and test images from different streams of the run seed', () => {
    const train = subsetSeed({ seed: 3, subsets: 'random' }, 'train');
    const test = subsetSeed({ seed: 3, subsets: 'random' }, 'test');
    expect(train).not.toBe(test);
    expect(subsetSeed({ seed: 3, subsets: 'random' }, 'test')).toBe(test);
    expect(subsetSeed({ seed: 3 }, 'test')).toBeNull();
  });

  it('refuse a size the split does not have', () => {
    expect(() => randomSubsetIndices(100, 101, 0)).toThrow(/1\.\.100/);
  });
});

describe('Table 2 pair selection', () => {
  it('keeps images of the pair in [0.3, 0.7], in order, at most the cap', () => {
    const labels = [4, 9, 4, 1, 9, 4, 9, 4];
    const pmax = [0.5, 0.3, 0.71, 0.5, 0.7, 0.29, 0.65, 0.4];
    expect(pairBandIndices(labels, pmax, [4, 9])).toEqual([0, 1, 4, 6, 7]);
    expect(pairBandIndices(labels, pmax, [4, 9], [0.3, 0.7], 2)).toEqual([0, 1]);
    expect(pairBandIndices(labels, pmax, [3, 8])).toEqual([]);
  });
});

describe('CRR directions shared over the batch', () => {
  it('gives every penalized sample the same direction, per-sample directions differ', () => {
    const size = 3;
    const x = Float32Array.from({ length: 4 * size }, (_, i) => i);
    const y = Uint32Array.from([0, 1, 0, 1]);
    const direction = (data: Float32Array, row: number) => [...data.subarray(row * 2 * size + size, (row + 1) * 2 * size)];
    const shared = crrInput(x, y, size, { scale: 1, orders: [2, 3], directions: 1, directionScope: 'batch' }, new Random(1));
    for (let row = 1; row < 4; row++) expect(direction(shared.data, row)).toEqual(direction(shared.data, 0));
    expect(Math.hypot(...direction(shared.data, 0))).toBeCloseTo(1, 6);
    const own = crrInput(x, y, size, { scale: 1, orders: [2, 3], directions: 1 }, new Random(1));
    expect(direction(own.data, 1)).not.toEqual(direction(own.data, 0));
  });
});

describe('the notebooks\' summaries', () => {
  it('ECE over 10 bins: bins (b/10, (b+1)/10], |accuracy − confidence| weighted by the bin\'s share', () => {
    // Two classes; confidences 0.55 (right), 0.58 (wrong), 0.95 (right), 0.92 (wrong).
    const probs = Float64Array.from([0.55, 0.45, 0.42, 0.58, 0.95, 0.05, 0.92, 0.08]);
    const labels = [0, 0, 0, 1];
    // 10 bins: bin 5 holds 0.55 and 0.58 (accuracy 1/2, confidence 0.565); bin 9 holds 0.95 and 0.92 (1/2, 0.935).
    expect(expectedCalibrationError(probs, labels, 2, 10)).toBeCloseTo((2 / 4) * 0.065 + (2 / 4) * 0.435, 12);
    // 15 bins put 0.92 and 0.95 apart (bins 13 and 14): 0.0325 + 0.92/4 + 0.05/4.
    expect(expectedCalibrationError(probs, labels, 2, 15)).toBeCloseTo(0.0325 + 0.23 + 0.0125, 12);
  });

  it('std over seeds with ddof 0 (np.std), the t interval unchanged', () => {
    const s = seedSummary([1, 2, 3, 6]);
    expect(s.mean).toBe(3);
    expect(s.std).toBeCloseTo(Math.sqrt((4 + 1 + 0 + 9) / 4), 12);
  });
});

describe('settings and departures', () => {
  const noise = sectionScales(10, 3);
  it('paper scale follows the notebooks: 5 000 / 1 000 random images, the paper CNN, lr 1e-3, CRR on 32 with a fresh direction per order', () => {
    const spec = mnistSpec(noise.paper, 1, 0.2, { kind: 'crr', scale: 100, orders: [1, 2, 3] });
    expect(spec).toMatchObject({ width: 'paper', trainSize: 5000, testSize: 1000, subsets: 'random', lr: 1e-3, epochs: 10, batch: 128 });
    expect(spec.crr).toMatchObject({ subset: 32, directions: 1, reduction: 'mean', directionMode: 'per-order' });
    expect(mnistDepartures(noise.paper, noise.paper, 3)).toEqual([]);
    const t2 = mnistSpec(TABLE2_SCALES.paper, 1, 0, { kind: 'crr', scale: 200, orders: [2, 3, 4] });
    expect(t2.trainSize).toBeUndefined();
    expect(t2.crr).toMatchObject({ scale: 200, directions: 1, directionScope: 'batch', directionMode: 'shared' });
    expect(t2.crr!.subset).toBeUndefined();
    expect(runKey(t2)).toContain('batchdir');
  });

  it('quick scale lists everything it changes, and the settings table carries it', () => {
    const departs = mnistDepartures(noise.quick, noise.paper, 3);
    expect(departs.join('; ')).toMatch(/2 seeds where the paper has 3; 2 epochs where the paper trains 10; the small CNN/);
    expect(departs.some((d) => d.startsWith('λ on the first 200'))).toBe(true);
    const settings = mnistSettings('quick', noise.quick, departs, {});
    expect(String(settings['departs from the paper\'s code'])).toContain('2 epochs where the paper trains 10');
    expect(String(settings.data)).toContain('a random 5 000 of the 60 000 training images');
    expect(String(settings['accuracy, ECE, hard-20%'])).toContain('10 equal-width confidence bins');
    expect(mnistDepartures(noise.paper, noise.paper, null)).toEqual(['3 seeds (the paper does not state its count)']);
    // An experiment without CRR lists no CRR departure and no CRR row.
    expect(departs.some((d) => d.startsWith('CRR'))).toBe(true);
    expect(mnistDepartures(noise.quick, noise.paper, 3, false).some((d) => d.startsWith('CRR'))).toBe(false);
    expect(mnistSettings('quick', noise.quick, departs, {}, false)).not.toHaveProperty('CRR per step');
  });
});
