import { tanh } from '../../kernels/tanh.js';
import { jet64, tanh64 } from '../../src/reference/jet64.js';
import { Random } from '../../src/util/random.js';
import { outcome, randomJet64, runOp, TEST_ORDERS, U32, type KernelCase } from './harness.js';
import { exactCase, exactJet, seriesJet, tanhAtZero } from './series-checks.js';

// Each order-k coefficient is a sum of k products through the recurrence of z = 1 - y², so the
// rounding error grows about linearly with k: 64·u·(k+1) (k = 60: 2.3e-4) leaves room for the
// builtin exp's 3 ulp and a modest error amplification of the recurrence at high order.
const tolerance = (k: number) => 64 * U32 * (k + 1);

// Besides TEST_ORDERS: the unrolled kernels' other orders (3, 5, 6, 7; kernels/unary.ts)
// and 12, the only order class of the looped kernels' 16-coefficient pipeline.
export const tanhCases: KernelCase[] = [
  ...[...TEST_ORDERS, 3, 5, 6, 7, 12].map((K): KernelCase => ({
    name: `tanh random K=${K}`,
    async run(engine) {
      const x = randomJet64(new Random(100 + K), 7, K, [5], 0.5, 1.5);
      const got = await runOp(engine, [x], tanh);
      return outcome(this.name, got, tanh64(x), tolerance);
    },
  })),
  {
    // tanh(x) at x = 0 along v = 1: the odd series x - x³/3 + 2x⁵/15 - …, and saturation at |x| = 20.
    name: 'tanh closed form and saturation K=16',
    async run(engine) {
      const x = jet64(3, 16, [1]);
      x.data[0] = 0; x.data[1] = 1;
      x.data[17] = 20; x.data[18] = 1;
      x.data[34] = -0.5; x.data[35] = 1;
      const got = await runOp(engine, [x], tanh);
      return outcome(this.name, got, tanh64(x), tolerance);
    },
  },
  // Against exact values, not the reference: tanh's series at 0 from the tangent numbers.
  exactCase('tanh closed form at 0 vs tangent numbers K=60', [seriesJet(60, [[0, 1]])], tanh,
    exactJet(60, 1, (_, k) => tanhAtZero(60)[k]!), tolerance),
  // One row each, so that the norm over rows cannot hide them: tiny x_0, where 1 - exp(-2|x_0|)
  // cancels, and saturated x_0, where 1 - y² cancels and z_0 ~ 4·exp(-2|x_0|) scales every order.
  // y_0 and z_0 are within 4u (math.wgsl's exp and expm1), and along x_0 + t each order adds a
  // product sum without cancellation: (4 + 4k)·u.
  ...[1e-5, -1e-3, 15, -30].map((x0) => {
    const x = seriesJet(8, [[Math.fround(x0), 1]]);
    return exactCase(`tanh at x_0 = ${x0} K=8`, [x], tanh, tanh64(x), (k) => U32 * (4 + 4 * k));
  }),
];
