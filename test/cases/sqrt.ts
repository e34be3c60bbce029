import { sqrt } from '../../kernels/sqrt.js';
import { sqrt64 } from '../../src/reference/elementwise64.js';
import { U32, type KernelCase } from './harness.js';
import { exactCase, exactJet, finiteDifferenceCase, jetAround, randomCases, seriesJet } from './series-checks.js';

// y_0 within 2u (builtin sqrt, correctly rounded on IEEE hardware). y_k = (x_k - Σ y_j·y_{k-j})/(2·y_0)
// adds a product and a sum per term and a division on top of the earlier orders' errors: linear
// growth; 4u per order leaves room for the sums' cancellation on these random inputs.
const tolerance = (k: number) => U32 * (2 + 4 * k);

export const sqrtCases: KernelCase[] = [
  ...randomCases('sqrt', 1000, (random, K) => [jetAround(random, K, (r) => Math.exp(1.5 * r.normal()))], sqrt, sqrt64, tolerance),
  // sqrt(1 + t) = Σ binom(1/2, n)·tⁿ, binom(1/2, n) = binom(1/2, n-1)·(3/2 - n)/n.
  exactCase('sqrt closed form sqrt(1+t) K=60', [seriesJet(60, [[1, 1]])], sqrt,
    exactJet(60, 1, (_, k) => { let c = 1; for (let n = 1; n <= k; n++) c *= (1.5 - n) / n; return c; }), tolerance),
  finiteDifferenceCase('sqrt finite differences', sqrt, Math.sqrt, [1.5, 2.5, 4], tolerance),
];
