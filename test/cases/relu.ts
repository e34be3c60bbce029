import { relu } from '../../kernels/relu.js';
import { relu64 } from '../../src/reference/elementwise64.js';
import { jet64, type Jet64 } from '../../src/reference/jet64.js';
import { randomJet64, type KernelCase } from './harness.js';
import { exactCase, randomCases, seriesJet } from './series-checks.js';

// relu copies or zeroes: exact.
const exact = () => 0;

// At the kink c_0 = 0 (also -0) the first nonzero coefficient decides; all-zero stays zero.
const ties = [[0, 1, -5], [0, -1, 5], [0, 0, 2, -1], [0, 0, -2, 1], [-0, 3], [0, 0, 0, 0, 0, 0, 0, 0, 2 ** -100], [0], [2, -7], [-2, 7]];
const kept = [true, false, true, false, true, true, false, true, false];

/** The ties above plus three more, as 3 rows of 4 features: what the four-wide (vec4) kernels see. */
const ties4 = [...ties, [0, 0, 0, 5], [0, 0, 0, -5], [1]];
const kept4 = [...kept, true, false, true];
export function fourWideJet(K: number, series: readonly (readonly number[])[]): Jet64 {
  const j = jet64(series.length / 4, K, [4]);
  series.forEach((c, i) => c.forEach((v, k) => { j.data[(Math.floor(i / 4) * (K + 1) + k) * 4 + (i % 4)] = v; }));
  return j;
}
export const reluTies4 = { series: ties4, kept: kept4 };

export const reluCases: KernelCase[] = [
  ...randomCases('relu', 1200, (random, K) => [randomJet64(random, 7, K, [5])], relu, relu64, exact),
  // Features a multiple of 4 take the vec4 kernel.
  ...randomCases('relu 4-wide', 1220, (random, K) => [randomJet64(random, 5, K, [2, 4])], relu, relu64, exact),
  exactCase('relu tie rule K=8', [seriesJet(8, ties)], relu, seriesJet(8, ties.map((c, i) => (kept[i] ? c : []))), exact),
  exactCase('relu 4-wide tie rule K=8', [fourWideJet(8, ties4)], relu, fourWideJet(8, ties4.map((c, i) => (kept4[i] ? c : []))), exact),
];
