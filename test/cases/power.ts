import { powi } from '../../kernels/power.js';
import { powi64 } from '../../src/reference/elementwise64.js';
import { Random } from '../../src/util/random.js';
import { outcome, runOp, TEST_ORDERS, U32, type KernelCase } from './harness.js';
import { exactCase, exactJet, jetAround, seriesJet } from './series-checks.js';

// For |n| <= 7, x^n chains at most four series ops (1/x, squarings, products by x): c_0 takes one
// rounding per op, and each op adds its own ~4u per order (as in reciprocal.ts): (4 + 16k)·u.
const tolerance = (k: number) => U32 * (4 + 16 * k);
const EXPONENTS = [2, 3, -1, 5, -2, 7, -3];

function powiCase(K: number, n: number): KernelCase {
  return {
    name: `powi random n=${n} K=${K}`,
    async run(engine) {
      const x = jetAround(new Random(1300 + K), K, (r) => (r.uniform() < 0.5 ? -1 : 1) * Math.exp(0.3 * r.normal()));
      const live = engine.pool.stats().liveBytes;
      const got = await runOp(engine, [x], (xj) => powi(xj, n));
      const result = outcome(this.name, got, powi64(x, n), tolerance);
      const leaked = engine.pool.stats().liveBytes - live;
      return leaked === 0 ? result : { ...result, ok: false, detail: `${leaked} bytes of intermediates not released; ${result.detail}` };
    },
  };
}

export const powiCases: KernelCase[] = [
  ...TEST_ORDERS.map((K, i) => powiCase(K, EXPONENTS[i]!)),
  powiCase(4, 0),
  powiCase(4, 1),
  // At c_0 = 0: t² and t³ (then t⁴ = (t²)², t⁵ = t⁴·t), and (1 - 2t)^-2 = Σ (n+1)·2ⁿ·tⁿ: all exact.
  ...[2, 3, 4, 5].map((n) => exactCase(`powi t^${n} at 0 K=8`, [seriesJet(8, [[0, 1]])], (x) => powi(x, n),
    exactJet(8, 1, (_, k) => (k === n ? 1 : 0)), () => 0)),
  exactCase('powi (1-2t)^-2 K=60', [seriesJet(60, [[1, -2]])], (x) => powi(x, -2), exactJet(60, 1, (_, k) => (k + 1) * 2 ** k), () => 0),
];
