// Seeded mini-batches: each epoch is a fresh permutation of 0..n−1 cut into batches of `size`
// rows; the last, partial batch is kept (PyTorch's DataLoader with drop_last=False), so every
// example is seen exactly once per epoch.
import { JetcurveError } from '../errors.js';
import type { Random } from '../util/random.js';

/** The batches of one epoch, as index lists (views into one permutation). */
export function epochBatches(n: number, size: number, random: Random): Uint32Array[] {
  if (!Number.isInteger(n) || n < 1) throw new JetcurveError(`mini-batches need at least one example, got ${n}`);
  if (!Number.isInteger(size) || size < 1) throw new JetcurveError(`batch size must be a positive integer, got ${size}`, 'pass e.g. --batch 128');
  const order = random.permutation(n);
  const batches: Uint32Array[] = [];
  for (let start = 0; start < n; start += size) batches.push(order.subarray(start, Math.min(n, start + size)));
  return batches;
}

export function batchCount(n: number, size: number): number {
  return Math.ceil(n / size);
}
