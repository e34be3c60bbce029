import { dense } from '../../kernels/dense.js';
import { dense64 } from '../../src/reference/jet64.js';
import { Random } from '../../src/util/random.js';
import { gpuBuffer, outcome, randomF32, randomJet64, runOp, TEST_ORDERS, U32, type KernelCase } from './harness.js';

// A dense output coefficient is a dot product of `inputs` terms (plus J+1 of them for jet
// weights); f32 summation error is at most inputs·u relative to Σ|w·x|, which for random signs
// is ~sqrt(inputs) times |Σ w·x|. 8·u·inputs covers that with margin, independently of k.
const tolerance = (inputs: number) => () => 8 * U32 * inputs;

function denseCase(name: string, rows: number, K: number, inputs: number, outputs: number, weightOrder: number, seed: number): KernelCase {
  return {
    name,
    async run(engine) {
      const random = new Random(seed);
      const x = randomJet64(random, rows, K, [inputs]);
      const w = randomF32(random, (weightOrder + 1) * outputs * inputs, 1 / Math.sqrt(inputs));
      const b = randomF32(random, (weightOrder + 1) * outputs);
      const weight = gpuBuffer(engine, w);
      const bias = gpuBuffer(engine, b);
      const got = await runOp(engine, [x], (xj) => dense(xj, { weight, bias, inputs, outputs, order: weightOrder }));
      engine.pool.release(weight);
      engine.pool.release(bias);
      return outcome(name, got, dense64(x, w, b, inputs, outputs, weightOrder), tolerance(inputs + weightOrder + 1));
    },
  };
}

export const denseCases: KernelCase[] = [
  ...TEST_ORDERS.map((K) => denseCase(`dense 13→7 K=${K}`, 5, K, 13, 7, 0, 200 + K)),
  // Sizes that are not multiples of the 4×4 block, and one row only.
  denseCase('dense 3→5 one row K=4', 1, 4, 3, 5, 0, 300),
  denseCase('dense 64→64 K=8', 9, 8, 64, 64, 0, 301),
  // inputs % 4 == 0 takes the vec4 kernel (8 rows × 4 outputs per thread): partial row blocks,
  // outputs not a multiple of 4, one row, and jet weights (their offsets stay vec4-aligned).
  ...TEST_ORDERS.map((K) => denseCase(`dense vec4 12→7 K=${K}`, 3, K, 12, 7, 0, 310 + K)),
  denseCase('dense vec4 8→3 one row K=0', 1, 0, 8, 3, 0, 320),
  denseCase('dense vec4 jet weights J=2 K=5', 3, 5, 8, 6, 2, 321),
  // inputs % 4 == 0 and outputs % 8 == 0 take the 8×8 kernel: every order, row blocks that end
  // inside a jet (3 rows × (K+1) is rarely a multiple of 8), several output blocks, one row,
  // and jet weights (shift and accumulate).
  ...TEST_ORDERS.map((K) => denseCase(`dense 8x8 12→16 K=${K}`, 3, K, 12, 16, 0, 330 + K)),
  denseCase('dense 8x8 8→8 one row K=0', 1, 0, 8, 8, 0, 340),
  denseCase('dense 8x8 32→24 K=16', 5, 16, 32, 24, 0, 341),
  denseCase('dense 8x8 jet weights J=2 K=5', 3, 5, 8, 16, 2, 342),
  // Weights that are jets (order 1: W + t·V, the Hessian-vector product case; order 3: general).
  denseCase('dense jet weights J=1 K=4', 4, 4, 6, 5, 1, 302),
  denseCase('dense jet weights J=3 K=8', 3, 8, 5, 6, 3, 303),
  denseCase('dense jet weights J=2 above K=1', 3, 1, 5, 6, 2, 304),
];
