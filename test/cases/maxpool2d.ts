import { maxpool2d } from '../../kernels/maxpool2d.js';
import { maxpool2d64 } from '../../src/reference/conv64.js';
import { jet64, type Jet64 } from '../../src/reference/jet64.js';
import { Random } from '../../src/util/random.js';
import { outcome, randomJet64, runOp, TEST_ORDERS, type KernelCase } from './harness.js';

// A max pool copies one input series: no arithmetic, so the output must be exact.
const exact = () => 0;

function poolCase(name: string, x: Jet64, size: number, stride: number, want?: Jet64): KernelCase {
  return {
    name: `maxpool2d ${name}`,
    async run(engine) {
      const got = await runOp(engine, [x], (xj) => maxpool2d(xj, { size, stride }));
      return outcome(this.name, got, want ?? maxpool2d64(x, size, stride), exact);
    },
  };
}

/** Coefficients from {−1, 0, 1}: many windows tie at c_0, some at c_1 as well, so later orders decide. */
function tiedJet(random: Random, rows: number, K: number, shape: number[]): Jet64 {
  const x = jet64(rows, K, shape);
  for (let i = 0; i < x.data.length; i++) x.data[i] = random.int(3) - 1;
  return x;
}

/**
 * One row, K = 3, one channel of 2×6, pooled 2×2 stride 2 into three windows (columns 0–1, 2–3, 4–5):
 * window 0: c_0 all 0.5, c_1 decides (element (1,0) has c_1 = 2);
 * window 1: element (0,2) has the larger c_0 but a smaller c_1, and c_0 decides;
 * window 2: c_0 and c_1 tie between (0,5) and (1,4), c_2 decides for (1,4).
 */
function constructedTies(): Jet64 {
  const x = jet64(1, 3, [1, 2, 6]);
  const set = (k: number, y: number, xx: number, v: number) => { x.data[k * 12 + y * 6 + xx] = v; };
  for (const [y, xx] of [[0, 0], [0, 1], [1, 0], [1, 1]] as const) set(0, y, xx, 0.5);
  set(1, 0, 0, 1); set(1, 0, 1, -1); set(1, 1, 0, 2); set(1, 1, 1, 1.5); set(3, 0, 0, 9);
  set(0, 0, 2, 1); set(0, 0, 3, 0.25); set(0, 1, 2, 0.75); set(0, 1, 3, 0.5); set(1, 0, 2, -3); set(1, 1, 2, 5);
  for (const [y, xx] of [[0, 5], [1, 4]] as const) { set(0, y, xx, 2); set(1, y, xx, 1); }
  set(2, 0, 5, 0.5); set(2, 1, 4, 0.75); set(3, 0, 5, 7);
  set(0, 0, 4, 2); set(1, 0, 4, 0.5); set(0, 1, 5, -1);
  return x;
}

/** The winners of constructedTies by hand, [1, K+1 = 4, 1×1×3], so the reference's own rule is checked too. */
function constructedWinners(): Jet64 {
  const winners = [[0.5, 2, 0, 0], [1, -3, 0, 0], [2, 1, 0.75, 0]];
  const y = jet64(1, 3, [1, 1, 3]);
  winners.forEach((c, w) => c.forEach((v, k) => { y.data[k * 3 + w] = v; }));
  return y;
}

export const maxpool2dCases: KernelCase[] = [
  // 2×2 stride 2 on 6×7: the last column drops out.
  ...TEST_ORDERS.map((K) => poolCase(`2×2 s2 on 3×6×7 K=${K}`, randomJet64(new Random(500 + K), 3, K, [3, 6, 7]), 2, 2)),
  poolCase('3×3 s2 overlapping on 2×9×8 K=4', randomJet64(new Random(520), 2, 4, [2, 9, 8]), 3, 2),
  poolCase('ties at c_0 and c_1 from {−1,0,1} K=8', tiedJet(new Random(521), 4, 8, [2, 8, 8]), 2, 2),
  poolCase('constructed ties K=3', constructedTies(), 2, 2, constructedWinners()),
];
