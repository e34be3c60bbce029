import { div, reciprocal } from '../../kernels/reciprocal.js';
import { div64, reciprocal64 } from '../../src/reference/elementwise64.js';
import type { Random } from '../../src/util/random.js';
import { U32, type KernelCase } from './harness.js';
import { exactCase, exactJet, finiteDifferenceCase, jetAround, randomCases, seriesJet } from './series-checks.js';

// z_0 is one division (≤ u). z_k = (a_k - Σ_{j=1..k} b_j·z_{k-j}) / b_0 adds a product, a sum
// and a division per term on top of the earlier orders' errors: linear growth, ~2u per order;
// 4u per order leaves room for the sums' cancellation on these random inputs.
const tolerance = (k: number) => U32 * (2 + 4 * k);

const divisor = (random: Random, K: number) =>
  jetAround(random, K, (r) => (r.uniform() < 0.5 ? -1 : 1) * Math.exp(r.normal()));

export const reciprocalCases: KernelCase[] = [
  ...randomCases('reciprocal', 600, (random, K) => [divisor(random, K)], reciprocal, reciprocal64, tolerance),
  // 1/(1 - 2t) = Σ 2^n tⁿ: every step doubles, exact in f32 up to 2^60.
  exactCase('reciprocal 1/(1-2t) K=60', [seriesJet(60, [[1, -2]])], reciprocal, exactJet(60, 1, (_, k) => 2 ** k), () => 0),
  finiteDifferenceCase('reciprocal finite differences', reciprocal, (x) => 1 / x, [1.5, -2.5, 3], tolerance),
];

export const divCases: KernelCase[] = [
  ...randomCases('div', 610, (random, K) => [jetAround(random, K, (r) => r.normal()), divisor(random, K)], div, div64, tolerance),
  // 1/(1 - 2t) and t/(1 - 2t) = Σ 2^(n-1) tⁿ, exact in f32.
  exactCase('div 1/(1-2t) and t/(1-2t) K=60', [seriesJet(60, [[1], [0, 1]]), seriesJet(60, [[1, -2], [1, -2]])], div,
    exactJet(60, 2, (r, k) => (r === 0 ? 2 ** k : k === 0 ? 0 : 2 ** (k - 1))), () => 0),
];
