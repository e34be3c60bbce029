import { mul } from '../../kernels/mul.js';
import { mul64 } from '../../src/reference/elementwise64.js';
import { randomJet64, U32, type KernelCase } from './harness.js';
import { exactCase, exactJet, randomCases, seriesJet } from './series-checks.js';

// (ab)_k is a sum of k+1 products: error <= (k+1)·u·Σ|a_j·b_{k-j}|; these random inputs have
// Σ|a_j·b_{k-j}| / |(ab)_k| below 8 in the norm over rows and features.
const tolerance = (k: number) => 8 * U32 * (k + 1);

export const mulCases: KernelCase[] = [
  ...randomCases('mul', 500, (random, K) => [randomJet64(random, 7, K, [5]), randomJet64(random, 7, K, [5])], mul, mul64, tolerance),
  // (1 + t)·(1 - t + t² - …) = 1, and t·t = t²: small integers, exact in f32.
  exactCase('mul closed form K=60', [seriesJet(60, [[1, 1], [0, 1]]), exactJet(60, 2, (r, k) => (r === 0 ? (-1) ** k : k === 1 ? 1 : 0))],
    mul, exactJet(60, 2, (r, k) => (k === 2 * r ? 1 : 0)), () => 0),
];
