import { relu } from '../../kernels/relu.js';
import { relu64 } from '../../src/reference/elementwise64.js';
import { randomJet64, type KernelCase } from './harness.js';
import { exactCase, randomCases, seriesJet } from './series-checks.js';

// relu copies or zeroes: exact.
const exact = () => 0;

// At the kink c_0 = 0 (also -0) the first nonzero coefficient decides; all-zero stays zero.
const ties = [[0, 1, -5], [0, -1, 5], [0, 0, 2, -1], [0, 0, -2, 1], [-0, 3], [0, 0, 0, 0, 0, 0, 0, 0, 2 ** -100], [0], [2, -7], [-2, 7]];
const kept = [true, false, true, false, true, true, false, true, false];

export const reluCases: KernelCase[] = [
  ...randomCases('relu', 1200, (random, K) => [randomJet64(random, 7, K, [5])], relu, relu64, exact),
  exactCase('relu tie rule K=8', [seriesJet(8, ties)], relu, seriesJet(8, ties.map((c, i) => (kept[i] ? c : []))), exact),
];
