import { cos, sin } from '../../kernels/sincos.js';
import { cos64, sin64 } from '../../src/reference/elementwise64.js';
import type { Random } from '../../src/util/random.js';
import { U32, type KernelCase } from './harness.js';
import { exactCase, exactJet, finiteDifferenceCase, jetWithCenter, randomCases, seriesJet } from './series-checks.js';

// s_0, c_0 within 3u (accurate_sincos, measured ≤ 2.8u). Each order adds two products and a sum
// per term of the other series' earlier orders, which carry their own errors: linear growth;
// 4u per order leaves room for the sums' cancellation on these random inputs.
const tolerance = (k: number) => U32 * (3 + 4 * k);
// Along x_0 + 8t every order is one exact ·8 and one division by k: 3u plus u per order.
const lineTolerance = (k: number) => U32 * (k + 3);

const X0 = Math.fround(0.7);
// d^n/dx^n sin = sin, cos, -sin, -cos, …; cos is one step ahead.
const derivative = (n: number, x: number) => [Math.sin(x), Math.cos(x), -Math.sin(x), -Math.cos(x)][n % 4]!;
const along8 = (shift: number) => exactJet(60, 1, (_, k) => { let c = derivative(k + shift, X0); for (let n = 1; n <= k; n++) c *= 8 / n; return c; });

// |x_0| up to ~6 (several quadrants of the range reduction), and far out, up to 5000.
const near = (random: Random, K: number) => [jetWithCenter(random, K, (r) => 2 * r.normal())];
const far = (random: Random, K: number) => [jetWithCenter(random, K, (r) => r.between(-5000, 5000))];

export const sinCases: KernelCase[] = [
  ...randomCases('sin', 900, near, sin, sin64, tolerance),
  ...randomCases('sin far', 920, far, sin, sin64, tolerance).filter((_, i) => i % 3 === 0), // K = 0, 4, 60
  exactCase('sin closed form at 0.7 K=60', [seriesJet(60, [[X0, 8]])], sin, along8(0), lineTolerance),
  finiteDifferenceCase('sin finite differences', sin, Math.sin, [0.4, 1.9, -2.6], tolerance),
];

export const cosCases: KernelCase[] = [
  ...randomCases('cos', 910, near, cos, cos64, tolerance),
  ...randomCases('cos far', 930, far, cos, cos64, tolerance).filter((_, i) => i % 3 === 0), // K = 0, 4, 60
  exactCase('cos closed form at 0.7 K=60', [seriesJet(60, [[X0, 8]])], cos, along8(1), lineTolerance),
  finiteDifferenceCase('cos finite differences', cos, Math.cos, [0.4, 1.9, -2.6], tolerance),
];
