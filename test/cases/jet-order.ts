// raiseOrder and truncateOrder (kernels/jet-order.ts) move coefficients: exact. Every pair of
// orders a training pass uses (0 → K for plain inputs, 1 → 4 for CRR) and order 60.
import { raiseOrder, truncateOrder } from '../../kernels/jet-order.js';
import { jet64, type Jet64 } from '../../src/reference/jet64.js';
import { Random } from '../../src/util/random.js';
import { randomJet64, type KernelCase } from './harness.js';
import { exactCase } from './series-checks.js';

const exact = () => 0;

/** x's coefficients 0..min(order, x.order), zeros above. */
function reorder(x: Jet64, order: number): Jet64 {
  const F = x.data.length / (x.rows * (x.order + 1));
  const y = jet64(x.rows, order, x.shape);
  for (let row = 0; row < x.rows; row++) {
    for (let k = 0; k <= Math.min(order, x.order); k++) {
      for (let f = 0; f < F; f++) y.data[(row * (order + 1) + k) * F + f] = x.data[(row * (x.order + 1) + k) * F + f]!;
    }
  }
  return y;
}

const pairs = [[0, 0], [0, 4], [1, 4], [2, 8], [1, 60]] as const;

export const jetOrderCases: KernelCase[] = pairs.flatMap(([low, high], i) => {
  const x = randomJet64(new Random(1300 + i), 5, low, [3, 2]);
  const y = randomJet64(new Random(1350 + i), 5, high, [7]);
  return [
    exactCase(`raiseOrder ${low}→${high}`, [x], (j) => raiseOrder(j, high), reorder(x, high), exact),
    exactCase(`truncateOrder ${high}→${low}`, [y], (j) => truncateOrder(j, low), reorder(y, low), exact),
  ];
});
