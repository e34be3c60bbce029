import { sigmoid } from '../../kernels/sigmoid.js';
import { sigmoid64 } from '../../src/reference/elementwise64.js';
import { U32, type KernelCase } from './harness.js';
import { exactCase, exactJet, finiteDifferenceCase, jetWithCenter, randomCases, seriesJet, tanhAtZero } from './series-checks.js';

// y_0 = e/(1 + e) takes e's 2u and two roundings: 4u. Each order then goes through y and
// z = y(1 - y), two sums of products over earlier orders that carry their own errors: linear
// growth; 4u per order leaves room for the sums' cancellation on these random inputs.
const tolerance = (k: number) => U32 * (4 + 4 * k);
const sigmoidAt = (x: number) => 1 / (1 + Math.exp(-x));

export const sigmoidCases: KernelCase[] = [
  // |x_0| up to ~12: deep into saturation, where y(1 - y) would cancel.
  ...randomCases('sigmoid', 1100, (random, K) => [jetWithCenter(random, K, (r) => 4 * r.normal())], sigmoid, sigmoid64, tolerance),
  // sigmoid(2t) = 1/2 + tanh(t)/2, from the tangent numbers.
  exactCase('sigmoid closed form at 0 K=60', [seriesJet(60, [[0, 2]])], sigmoid,
    exactJet(60, 1, (_, k) => (k === 0 ? 0.5 : tanhAtZero(60)[k]! / 2)), tolerance),
  finiteDifferenceCase('sigmoid finite differences', sigmoid, sigmoidAt, [-2.5, 1.2, 3.5], tolerance),
  // One row each, so that the norm over rows cannot hide them: near 0, where 1 - 2·y_0 cancels,
  // and saturated, where y(1 - y) cancels (x_0 > 0) and exp's error grows with |x_0|.
  ...[1e-5, -1e-3, 15, -30, 60].map((x0) => {
    const x = seriesJet(8, [[Math.fround(x0), 1]]);
    return exactCase(`sigmoid at x_0 = ${x0} K=8`, [x], sigmoid, sigmoid64(x), tolerance);
  }),
];
