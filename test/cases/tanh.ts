import { tanh } from '../../kernels/tanh.js';
import { jet64, tanh64 } from '../../src/reference/jet64.js';
import { Random } from '../../src/util/random.js';
import { outcome, randomJet64, runOp, TEST_ORDERS, U32, type KernelCase } from './harness.js';

// Each order-k coefficient is a sum of k products through the recurrence of z = 1 - y², so the
// rounding error grows about linearly with k: 64·u·(k+1) (k = 60: 2.3e-4) leaves room for the
// builtin exp's 3 ulp and a modest error amplification of the recurrence at high order.
const tolerance = (k: number) => 64 * U32 * (k + 1);

export const tanhCases: KernelCase[] = [
  ...TEST_ORDERS.map((K): KernelCase => ({
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
];
