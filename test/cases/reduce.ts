import { meanFeatures, meanRows, sumFeatures, sumRows } from '../../kernels/reduce.js';
import type { Jet } from '../../src/jet/jet.js';
import type { Jet64 } from '../../src/reference/jet64.js';
import { sumFeatures64, sumRows64 } from '../../src/reference/reduce64.js';
import { Random } from '../../src/util/random.js';
import { scaledTolerance } from './error-scale.js';
import { outcome, randomJet64, runOp, TEST_ORDERS, U32, type KernelCase } from './harness.js';

// A sum of n terms in any order errs by at most (n−1)·u·Σ|x| (to first order); the mean's rounded
// 1/n and product add 2·u of it. The bound is scaled by Σ|x|, so cancellation cannot make it flaky.
const factor = (n: number) => () => (n + 1) * U32;

function reduceCases(op: string, f: (x: Jet) => Jet, ref: (x: Jet64) => Jet64, rows: number, shape: number[], n: (x: Jet64) => number, seed: number): KernelCase[] {
  return TEST_ORDERS.map((K): KernelCase => ({
    name: `${op} ${rows} rows of ${shape.join('×')} K=${K}`,
    async run(engine) {
      const x = randomJet64(new Random(seed + K), rows, K, shape);
      const got = await runOp(engine, [x], f);
      const want = ref(x);
      const scale = ref({ ...x, data: x.data.map(Math.abs) });
      return outcome(this.name, got, want, scaledTolerance(scale, want, factor(n(x))));
    },
  }));
}

const features = (x: Jet64) => x.data.length / x.rows / (x.order + 1);
const rowCount = (x: Jet64) => x.rows;

export const sumFeaturesCases = reduceCases('sumFeatures', sumFeatures, (x) => sumFeatures64(x), 5, [37], features, 800);
export const meanFeaturesCases = reduceCases('meanFeatures', meanFeatures, (x) => sumFeatures64(x, true), 3, [2, 3, 5], features, 820);
export const sumRowsCases = reduceCases('sumRows', sumRows, (x) => sumRows64(x), 23, [3, 4], rowCount, 840);
export const meanRowsCases = reduceCases('meanRows', meanRows, (x) => sumRows64(x, true), 7, [5], rowCount, 860);
