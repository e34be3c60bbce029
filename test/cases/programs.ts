// Whole programs, not single kernels: a model's jets and an expression's jets through the
// library API (with its per-row scaling), against the float64 references. They run in Node and
// in Chromium like the kernel cases, so the browser build is checked end to end.
import { compileExpression } from '../../src/expr/expression.js';
import { evaluateExpression64 } from '../../src/expr/series64.js';
import { Model } from '../../src/model/model.js';
import { randomMlp } from '../../src/model/random-mlp.js';
import { referenceJets } from '../../src/reference/model64.js';
import { jet64 } from '../../src/reference/jet64.js';
import { Random } from '../../src/util/random.js';
import { outcome, type KernelCase } from './harness.js';

/** The engine's accuracy budget (issue 2): 1e-4 relative through order 8, 1e-2 to order 60. */
const budget = (n: number) => (n <= 8 ? 1e-4 : 1e-2);

function mlpCase(name: string, weightStd: number | undefined, seed: number): KernelCase {
  return {
    name,
    async run(engine) {
      const spec = randomMlp([2, 64, 64, 1], { seed, ...(weightStd !== undefined ? { weightStd } : {}) });
      const random = new Random(seed + 1);
      const points = random.normals(8 * 2);
      const directions = new Float64Array(8 * 2);
      for (let r = 0; r < 8; r++) directions.set(random.unitVector(2), 2 * r);
      const model = new Model(engine, spec);
      const result = await model.jets({ points, directions, order: 60 });
      model.destroy();
      return outcome(name, result.coefficients, referenceJets(spec, points, directions, 60), budget);
    },
  };
}

export const programCases: KernelCase[] = [
  mlpCase('tanh MLP 2-64-64-1 (weights N(0, 1/fan_in)) jets to order 60 vs the float64 forward', undefined, 11),
  mlpCase('tanh MLP 2-64-64-1 (every weight N(0, 1)) jets to order 60 vs the float64 forward', 1, 13),
  {
    name: 'expression tanh(x1)*exp(x2)/(1+x1^2) jets to order 60 vs the float64 evaluator',
    async run(engine) {
      const source = 'tanh(x1)*exp(x2)/(1+x1^2)';
      const expr = compileExpression(source);
      const point = [0.3, -0.2];
      const direction = [0.6, 0.8];
      const result = await expr.jets(engine, { points: [point], directions: [direction], order: 60 });
      const want = jet64(1, 60, [1], evaluateExpression64(source, point, direction, 60));
      return outcome(this.name, result.coefficients, want, budget);
    },
  },
];
