import { exp } from '../../kernels/exp.js';
import { exp64 } from '../../src/reference/elementwise64.js';
import { U32, type KernelCase } from './harness.js';
import { exactCase, exactJet, finiteDifferenceCase, jetWithCenter, randomCases, seriesJet } from './series-checks.js';

// y_0 within 2u (accurate_exp, measured ≤ 1.3u). k·y_k = Σ j·x_j·y_{k-j} adds two products and
// a sum per term on top of the earlier orders' errors: linear growth, ~2u per order; 4u per
// order leaves room for the sums' cancellation on these random inputs.
const tolerance = (k: number) => U32 * (2 + 4 * k);
// Along x_0 + 8t every order is one exact ·8 and one division by k: y_0's 2u plus u per order.
const lineTolerance = (k: number) => U32 * (k + 2);

const X0 = Math.fround(0.3);

export const expCases: KernelCase[] = [
  ...randomCases('exp', 700, (random, K) => [jetWithCenter(random, K, (r) => 1.5 * r.normal())], exp, exp64, tolerance),
  // exp(x_0 + 8t) = e^{x_0}·Σ 8ⁿ/n!·tⁿ.
  exactCase('exp closed form at 0.3 K=60', [seriesJet(60, [[X0, 8]])], exp,
    exactJet(60, 1, (_, k) => { let c = Math.exp(X0); for (let n = 1; n <= k; n++) c *= 8 / n; return c; }), lineTolerance),
  finiteDifferenceCase('exp finite differences', exp, Math.exp, [-1.3, 0.4, 2.2], tolerance),
];
