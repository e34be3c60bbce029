// Case builders shared by the elementwise ops: random inputs at every TEST_ORDER against the
// float64 reference, exact closed forms, and finite differences of the plain f64 function.
import type { Jet } from '../../src/jet/jet.js';
import { jet64, type Jet64 } from '../../src/reference/jet64.js';
import { Random } from '../../src/util/random.js';
import { outcome, randomJet64, runOp, TEST_ORDERS, U32, type KernelCase } from './harness.js';

type GpuOp = (...jets: Jet[]) => Jet;

/** One case per TEST_ORDER: `inputs` draws the operands, `reference` computes the answer. */
export function randomCases(op: string, seed: number, inputs: (random: Random, K: number) => Jet64[],
  gpu: GpuOp, reference: (...jets: Jet64[]) => Jet64, tolerance: (k: number) => number): KernelCase[] {
  return TEST_ORDERS.map((K): KernelCase => ({
    name: `${op} random K=${K}`,
    async run(engine) {
      const x = inputs(new Random(seed + K), K);
      const got = await runOp(engine, x, gpu);
      return outcome(this.name, got, reference(...x), tolerance);
    },
  }));
}

/**
 * Random jets of 7 rows and 5 features around c_0 = center(random), for functions singular at 0
 * (log, sqrt, 1/x): orders k >= 1 have size |c_0|·2^-k, so the series' radius of convergence
 * (and the size of order 60) does not depend on how small |c_0| happens to be.
 */
export function jetAround(random: Random, K: number, center: (random: Random) => number): Jet64 {
  const j = jet64(7, K, [5]);
  for (let r = 0; r < 7; r++) {
    for (let f = 0; f < 5; f++) {
      const c0 = center(random);
      j.data[r * (K + 1) * 5 + f] = Math.fround(c0);
      for (let k = 1; k <= K; k++) j.data[(r * (K + 1) + k) * 5 + f] = Math.fround(Math.abs(c0) * 2 ** -k * random.normal());
    }
  }
  return j;
}

/** Random jets of 7 rows and 5 features (orders k >= 1 of size 2^-k, as randomJet64) with c_0 = center(random). */
export function jetWithCenter(random: Random, K: number, center: (random: Random) => number): Jet64 {
  const j = randomJet64(random, 7, K, [5]);
  for (let r = 0; r < 7; r++) for (let f = 0; f < 5; f++) j.data[r * (K + 1) * 5 + f] = Math.fround(center(random));
  return j;
}

/** A jet of one feature whose rows are the given coefficient lists (f32 values), zero-padded to order K. */
export function seriesJet(K: number, rows: readonly (readonly number[])[]): Jet64 {
  const j = jet64(rows.length, K, [1]);
  rows.forEach((c, row) => c.forEach((v, k) => { j.data[row * (K + 1) + k] = v; }));
  return j;
}

/** A jet of one feature whose coefficient k in row r is want(r, k). */
export function exactJet(K: number, rows: number, want: (row: number, k: number) => number): Jet64 {
  const j = jet64(rows, K, [1]);
  for (let r = 0; r < rows; r++) for (let k = 0; k <= K; k++) j.data[r * (K + 1) + k] = want(r, k);
  return j;
}

/** The GPU op on `inputs` against exact values (not the reference). */
export function exactCase(name: string, inputs: Jet64[], gpu: GpuOp, want: Jet64, tolerance: (k: number) => number): KernelCase {
  return {
    name,
    async run(engine) {
      return outcome(name, await runOp(engine, inputs, gpu), want, tolerance);
    },
  };
}

// Fourth-order central differences with step h = 2^-8: truncation h⁴·|f⁽⁵⁾|/30 for f' and
// h⁴·|f⁽⁶⁾|/90 for f'', f64 rounding about 2^-35·|f|. Relative to f' and f'' that stays below
// U32/16 wherever |f⁽⁵⁾/f'|, |f⁽⁶⁾/f''| and |f/f''| are below 100 (true at every point used),
// so each FD case allows the kernel's own tolerance plus U32/16.
const H = 2 ** -8;

/** Orders 0..2 of f(x_0 + t) against f(x_0), f'(x_0) and f''(x_0)/2 by finite differences in f64. */
export function finiteDifferenceCase(name: string, gpu: (x: Jet) => Jet, f: (x: number) => number,
  points: readonly number[], tolerance: (k: number) => number): KernelCase {
  const x0s = points.map(Math.fround);
  const want = exactJet(2, x0s.length, (r, k) => {
    const x = x0s[r]!;
    const [m2, m1, p0, p1, p2] = [-2, -1, 0, 1, 2].map((i) => f(x + i * H)) as [number, number, number, number, number];
    if (k === 0) return p0;
    if (k === 1) return (m2 - 8 * m1 + 8 * p1 - p2) / (12 * H);
    return (-m2 + 16 * m1 - 30 * p0 + 16 * p1 - p2) / (12 * H * H) / 2;
  });
  return exactCase(name, [seriesJet(2, x0s.map((x) => [x, 1]))], gpu, want, (k) => tolerance(k) + U32 / 16);
}

/**
 * The Taylor coefficients of tanh at 0, exactly up to the final f64 division: tanh has
 * c_{2m+1} = (-1)^m·T_{2m+1}/(2m+1)! with the tangent numbers T = 1, 2, 16, 272, …, here from
 * Brent and Zimmermann's integer recurrence in BigInt (independent of any jet recurrence).
 */
export function tanhAtZero(K: number): Float64Array {
  const n = Math.ceil(K / 2);
  const t: bigint[] = [0n];
  for (let k = 1; k <= n; k++) t.push(k === 1 ? 1n : t[k - 1]! * BigInt(k - 1));
  for (let k = 2; k <= n; k++) for (let j = k; j <= n; j++) t[j] = BigInt(j - k) * t[j - 1]! + BigInt(j - k + 2) * t[j]!;
  const c = new Float64Array(K + 1);
  let factorial = 1n;
  for (let i = 1; i <= K; i++) {
    factorial *= BigInt(i);
    if (i % 2 === 1) c[i] = (i % 4 === 1 ? 1 : -1) * Number(t[(i + 1) / 2]!) / Number(factorial);
  }
  return c;
}
