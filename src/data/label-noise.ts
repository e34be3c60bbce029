// Symmetric label noise on the training labels (the test set stays clean; callers pass only
// training labels). Each label is selected independently with probability p, and a selected
// label is replaced by a class drawn uniformly from the OTHER classes, so p is exactly the
// expected fraction of wrong labels. Some libraries (e.g. the "symmetric" noise of several
// noisy-label benchmarks) draw from all classes, the true one included, so that only
// p·(C−1)/C of the labels end up wrong; we do not.
import { JetcurveError } from '../errors.js';
import type { Random } from '../util/random.js';

export interface NoisyLabels {
  readonly labels: Uint8Array;
  /** Indices whose label was changed (every one of them now differs from the original). */
  readonly flipped: Uint32Array;
}

export function symmetricLabelNoise(labels: Uint8Array, classes: number, rate: number, random: Random): NoisyLabels {
  if (!(rate >= 0 && rate < 1)) {
    throw new JetcurveError(`label-noise rate must lie in [0, 1), got ${rate}`, 'pass a rate such as 0.2 (20% of training labels changed)');
  }
  if (!Number.isInteger(classes) || classes < 2) throw new JetcurveError(`label noise needs at least 2 classes, got ${classes}`);
  const out = labels.slice();
  const flipped: number[] = [];
  for (let i = 0; i < out.length; i++) {
    const y = out[i]!;
    if (y >= classes) throw new JetcurveError(`label ${y} at index ${i} is not below the class count ${classes}`);
    if (random.uniform() >= rate) continue;
    // Uniform over the C−1 other classes: draw from 0..C−2 and skip over the true class.
    const r = random.int(classes - 1);
    out[i] = r >= y ? r + 1 : r;
    flipped.push(i);
  }
  return { labels: out, flipped: Uint32Array.from(flipped) };
}
