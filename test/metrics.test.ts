// Metrics on small examples whose values are worked out by hand in the comments.
import { describe, expect, it } from 'vitest';
import { accuracy, classificationMetrics, confidenceBin, expectedCalibrationError, hardestAccuracy, pairConfusion } from '../src/train/metrics.js';

// Five examples, three classes:         prediction  confidence  correct
const probs5 = Float64Array.from([
  0.7, 0.2, 0.1, // label 0              0           0.70        yes
  0.1, 0.6, 0.3, // label 2              1           0.60        no
  0.05, 0.05, 0.9, // label 2            2           0.90        yes
  0.5, 0.4, 0.1, // label 1              0           0.50        no
  0.2, 0.75, 0.05, // label 1            1           0.75        yes
]);
const labels5 = [0, 2, 2, 1, 1];

describe('metrics', () => {
  it('accuracy', () => {
    expect(accuracy(probs5, labels5, 3)).toBeCloseTo(3 / 5, 15);
  });

  it('bins confidences into (b/15, (b+1)/15]', () => {
    expect(confidenceBin(0.6, 15)).toBe(8); // 0.6 = 9/15 closes bin 8
    expect(confidenceBin(0.6000001, 15)).toBe(9);
    expect(confidenceBin(1 / 15, 15)).toBe(0);
    expect(confidenceBin(0.7, 15)).toBe(10); // (10/15, 11/15] = (0.667, 0.733]
    expect(confidenceBin(1, 15)).toBe(14);
    expect(confidenceBin(0, 15)).toBe(0);
  });

  it('ECE with one example per bin', () => {
    // Bins 10, 8, 13, 7, 11: each holds one example, so
    // ECE = (|1−0.7| + |0−0.6| + |1−0.9| + |0−0.5| + |1−0.75|)/5 = (0.3+0.6+0.1+0.5+0.25)/5 = 0.35.
    expect(expectedCalibrationError(probs5, labels5, 3)).toBeCloseTo(0.35, 14);
  });

  it('ECE with a shared bin', () => {
    // 0.70 (right) and 0.72 (wrong) share bin 10: acc 1/2, conf 0.71, weight 2/3.
    // 0.95 (right) is alone in bin 14: weight 1/3, gap 0.05.
    // ECE = 2/3·0.21 + 1/3·0.05 = 0.14 + 0.0166… = 0.15666…
    const probs = Float64Array.from([0.7, 0.3, 0.72, 0.28, 0.05, 0.95]);
    expect(expectedCalibrationError(probs, [0, 1, 1], 2)).toBeCloseTo(0.47 / 3, 14);
  });

  it('accuracy on the least confident fraction', () => {
    // Confidences sorted: 0.5 (no), 0.6 (no), 0.7 (yes), 0.75 (yes), 0.9 (yes).
    expect(hardestAccuracy(probs5, labels5, 3)).toBe(0); // 20% of 5 = the 0.5 one
    expect(hardestAccuracy(probs5, labels5, 3, 0.4)).toBe(0); // 0.5, 0.6
    expect(hardestAccuracy(probs5, labels5, 3, 0.6)).toBeCloseTo(1 / 3, 15); // 0.5, 0.6, 0.7
    expect(hardestAccuracy(probs5, labels5, 3, 0.5)).toBeCloseTo(1 / 3, 15); // ceil(2.5) = 3
    expect(hardestAccuracy(probs5, labels5, 3, 1)).toBeCloseTo(3 / 5, 15);
  });

  it('class-pair confusion', () => {
    // Ten classes; each row puts 0.91 on its prediction. (label, prediction):
    const rows: [number, number][] = [[4, 9], [4, 4], [9, 4], [9, 9], [9, 7], [3, 8], [3, 3], [0, 4]];
    const probs = new Float64Array(rows.length * 10).fill(0.01);
    rows.forEach(([, p], i) => { probs[i * 10 + p] = 0.91; });
    const labels = rows.map(([y]) => y);
    // Labelled 4 or 9: five rows; predicted as the other of the pair: (4→9), (9→4). 2/5.
    // (9→7) is an error but not a 4/9 confusion; (0→4) is not labelled 4 or 9.
    expect(pairConfusion(probs, labels, 10, 4, 9)).toBeCloseTo(0.4, 15);
    expect(pairConfusion(probs, labels, 10, 9, 4)).toBeCloseTo(0.4, 15);
    // Labelled 3 or 8: two rows, one (3→8) confused: 1/2.
    expect(pairConfusion(probs, labels, 10, 3, 8)).toBe(0.5);
    expect(pairConfusion(probs, labels, 10, 6, 7)).toBeNaN();
    const all = classificationMetrics(probs, labels, 10, [[4, 9], [3, 8]]);
    expect(all.pairConfusion).toEqual({ '4/9': pairConfusion(probs, labels, 10, 4, 9), '3/8': 0.5 });
    expect(all.accuracy).toBeCloseTo(3 / 8, 15); // (4,4), (9,9), (3,3)
  });

  it('rejects probabilities that do not fit the labels', () => {
    expect(() => accuracy(new Float64Array(5), [0, 1], 3)).toThrow(/5 probabilities do not make 2 rows of 3 classes/);
  });
});
