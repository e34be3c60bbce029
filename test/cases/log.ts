import { log } from '../../kernels/log.js';
import { log64 } from '../../src/reference/elementwise64.js';
import { U32, type KernelCase } from './harness.js';
import { exactCase, exactJet, finiteDifferenceCase, jetAround, randomCases, seriesJet } from './series-checks.js';

// y_0 within 2u (accurate_log, measured ≤ 1.9u). y_k = (x_k - Σ j·y_j·x_{k-j}/k)/x_0 adds two
// products and a sum per term, and two divisions, on top of the earlier orders' errors: linear
// growth; 4u per order leaves room for the sums' cancellation on these random inputs.
const tolerance = (k: number) => U32 * (2 + 4 * k);
// log(1 + t): each order is -(k-1)·y_{k-1}/k, two roundings: 2u per order.
const lineTolerance = (k: number) => 2 * U32 * k;

const nearOne = seriesJet(4, [[1 + 2 ** -10, 1], [1 - 2 ** -10, 1], [1 + 3 * 2 ** -12, -1]]);

export const logCases: KernelCase[] = [
  ...randomCases('log', 800, (random, K) => [jetAround(random, K, (r) => Math.exp(1.5 * r.normal()))], log, log64, tolerance),
  // log(1 + t) = Σ (-1)^{n+1}/n·tⁿ, and c_0 = log 1 = 0 exactly.
  exactCase('log closed form log(1+t) K=60', [seriesJet(60, [[1, 1]])], log,
    exactJet(60, 1, (_, k) => (k === 0 ? 0 : (-1) ** (k + 1) / k)), lineTolerance),
  finiteDifferenceCase('log finite differences', log, Math.log, [1.75, 2.5, 4], tolerance),
  // Near x_0 = 1, where WGSL's builtin log is only absolutely accurate (2^-21): log x_0 ~ ±1e-3.
  exactCase('log near 1 K=4', [nearOne], log, log64(nearOne), tolerance),
];
