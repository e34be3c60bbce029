import { add, scale, sub } from '../../kernels/arith.js';
import { add64, scale64, sub64 } from '../../src/reference/elementwise64.js';
import type { Random } from '../../src/util/random.js';
import { randomJet64, U32, type KernelCase } from './harness.js';
import { randomCases } from './series-checks.js';

// One correctly rounded f32 operation per coefficient on exact f32 inputs: error <= u, relatively.
const tolerance = () => U32;
// A different factor at every order K (f32, as the uniform carries it).
const factor = (K: number) => Math.fround(-1.37 + 0.29 * K);

const pair = (random: Random, K: number) => [randomJet64(random, 7, K, [5]), randomJet64(random, 7, K, [5])];

export const addCases: KernelCase[] = randomCases('add', 400, pair, add, add64, tolerance);
export const subCases: KernelCase[] = randomCases('sub', 410, pair, sub, sub64, tolerance);
export const scaleCases: KernelCase[] = randomCases('scale', 420, (random, K) => [randomJet64(random, 7, K, [5])],
  (x) => scale(x, factor(x.order)), (x) => scale64(x, factor(x.order)), tolerance);
