// The training objective on the GPU (kernels/objective.ts) against the same formula in float64:
// the seed is exact (a weight times a sign), the (loss, penalty) sums are f32 sums of `rows`
// products, within rows·u of the sum of magnitudes. Plain weights and CRR's (subset rows, zero
// coefficients, orders 1–4 of 60).
import { objectiveSeed, type ObjectiveWeights } from '../../kernels/objective.js';
import type { Engine } from '../../src/gpu/engine.js';
import { Jet } from '../../src/jet/jet.js';
import { Random } from '../../src/util/random.js';
import { U32, type CaseOutcome, type KernelCase } from './harness.js';

interface Problem {
  readonly name: string;
  readonly rows: number;
  readonly order: number;
  readonly weights: ObjectiveWeights;
}

function weights(penalizedRows: number, order: number, orders: readonly number[], scale: number, rows: number): ObjectiveWeights {
  const orderWeights = new Float32Array(order + 1);
  for (const n of orders) orderWeights[n] = Math.fround(scale * (n + 1));
  return { penalizedRows, lossWeightPenalized: Math.fround(1 / (2 * rows)), lossWeightRest: Math.fround(1 / rows), orderWeights };
}

const problems: Problem[] = [
  { name: 'plain K=0', rows: 37, order: 0, weights: weights(0, 0, [], 0, 37) },
  { name: 'crr subset orders 1-4 K=4', rows: 50, order: 4, weights: weights(30, 4, [1, 2, 3, 4], 0.01, 50) },
  { name: 'crr orders 2-4 of K=60', rows: 9, order: 60, weights: weights(9, 60, [2, 3, 4], 3, 9) },
];

function objectiveCase(p: Problem, seed: number): KernelCase {
  return {
    name: `objective ${p.name}`,
    async run(engine: Engine): Promise<CaseOutcome> {
      const random = new Random(seed);
      const K = p.order;
      const c = Float32Array.from({ length: p.rows * (K + 1) }, () => (random.uniform() < 0.1 ? 0 : Math.fround(random.normal())));
      const loss = Jet.fromArray(engine, c, p.rows, K, [1]);
      const { seed: seedJet, sums } = objectiveSeed(loss, p.weights);
      const got = await seedJet.read();
      const gotSums = await engine.read(sums, 8);
      loss.release();
      seedJet.release();
      engine.pool.release(sums);
      const w = p.weights;
      let seedErrors = 0;
      let value = 0;
      let penalty = 0;
      let magnitude = 0;
      for (let r = 0; r < p.rows; r++) {
        const penalized = r < w.penalizedRows;
        const lw = penalized ? w.lossWeightPenalized : w.lossWeightRest;
        value += lw * c[r * (K + 1)]!;
        magnitude += Math.abs(lw * c[r * (K + 1)]!);
        if (got[r * (K + 1)] !== lw) seedErrors++;
        for (let n = 1; n <= K; n++) {
          const p_n = penalized ? w.orderWeights[n]! : 0;
          const x = c[r * (K + 1) + n]!;
          if (got[r * (K + 1) + n] !== p_n * Math.sign(x)) seedErrors++;
          penalty += p_n * Math.abs(x);
        }
      }
      const errors = [seedErrors, Math.abs(gotSums[0]! - value) / magnitude, penalty === 0 ? Math.abs(gotSums[1]!) : Math.abs(gotSums[1]! - penalty) / penalty];
      const tolerances = [0, 2 * p.rows * U32, 2 * p.rows * (K + 1) * U32];
      const ok = errors.every((e, i) => e <= tolerances[i]!);
      return { name: this.name, errors, tolerances, ok, detail: `seed mismatches ${seedErrors}, loss ${errors[1]!.toExponential(2)}, penalty ${errors[2]!.toExponential(2)}` };
    },
  };
}

export const objectiveCases: KernelCase[] = problems.map((p, i) => objectiveCase(p, 1400 + i));
