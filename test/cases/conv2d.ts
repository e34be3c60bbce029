import { conv2d } from '../../kernels/conv2d.js';
import { JetcurveError } from '../../src/errors.js';
import { Jet } from '../../src/jet/jet.js';
import { conv2d64, type Conv2dGeometry } from '../../src/reference/conv64.js';
import { Random } from '../../src/util/random.js';
import { gpuBuffer, outcome, randomF32, randomJet64, runOp, TEST_ORDERS, U32, type CaseOutcome, type KernelCase } from './harness.js';

// An output coefficient is a dot product of in·kh·kw taps plus the bias; as for dense, f32
// summation error is at most n·u relative to Σ|w·x|, ~sqrt(n) times |Σ w·x| for random signs,
// so 8·u·n covers it with margin, independently of k (the convolution is linear).
const tolerance = (g: Conv2dGeometry) => () => 8 * U32 * (g.inChannels * g.kernelH * g.kernelW + 1);

function convCase(name: string, rows: number, K: number, hw: [number, number], g: Conv2dGeometry, seed: number): KernelCase {
  return {
    name: `conv2d ${name} K=${K}`,
    async run(engine) {
      const random = new Random(seed);
      const x = randomJet64(random, rows, K, [g.inChannels, ...hw]);
      const taps = g.inChannels * g.kernelH * g.kernelW;
      const w = randomF32(random, g.outChannels * taps, 1 / Math.sqrt(taps));
      const b = randomF32(random, g.outChannels);
      const weight = gpuBuffer(engine, w);
      const bias = gpuBuffer(engine, b);
      const got = await runOp(engine, [x], (xj) => conv2d(xj, { weight, bias, ...g }));
      engine.pool.release(weight);
      engine.pool.release(bias);
      return outcome(this.name, got, conv2d64(x, w, b, g), tolerance(g));
    },
  };
}

const geometry = (inChannels: number, outChannels: number, kernelH: number, kernelW: number, stride: number, padding: number): Conv2dGeometry =>
  ({ inChannels, outChannels, kernelH, kernelW, stride, padding });

/** A [2, 5, 5] input to a 3-in-channel conv must throw a JetcurveError that names both shapes. */
const shapeErrorCase: KernelCase = {
  name: 'conv2d rejects a wrong channel count',
  async run(engine): Promise<CaseOutcome> {
    const x = Jet.empty(engine, 1, 0, [2, 5, 5]);
    const weight = engine.zeros(3 * 4 * 9 * 4);
    const bias = engine.zeros(4 * 4);
    let detail = 'no error thrown';
    try {
      conv2d(x, { weight, bias, ...geometry(3, 4, 3, 3, 1, 0) }).release();
    } catch (e) {
      detail = e instanceof JetcurveError && /\[3, H, W\]/.test(e.message) && /2×5×5/.test(e.message) ? '' : `wrong error: ${String(e)}`;
    }
    x.release();
    engine.pool.release(weight);
    engine.pool.release(bias);
    return { name: this.name, errors: [], tolerances: [], ok: detail === '', detail: detail || 'threw JetcurveError' };
  },
};

export const conv2dCases: KernelCase[] = [
  ...TEST_ORDERS.map((K) => convCase('3→5 3×3 s1 p1 on 8×9', 2, K, [8, 9], geometry(3, 5, 3, 3, 1, 1), 400 + K)),
  // Stride 2 with and without padding, non-square kernels, channels not multiples of 4.
  convCase('2→6 2×3 s2 p0 on 7×10', 3, 4, [7, 10], geometry(2, 6, 2, 3, 2, 0), 420),
  convCase('5→7 3×1 s2 p1 on 9×6', 2, 2, [9, 6], geometry(5, 7, 3, 1, 2, 1), 421),
  convCase('3→2 5×5 s1 p2 on 6×7', 2, 16, [6, 7], geometry(3, 2, 5, 5, 1, 2), 422),
  // Kernel as large as the image (one output pixel), and a single output channel.
  convCase('4→1 4×5 s1 p0 on 4×5', 3, 8, [4, 5], geometry(4, 1, 4, 5, 1, 0), 423),
  // The MNIST CNN's two convolutions.
  convCase('MNIST 1→32 3×3 on 28×28', 2, 2, [28, 28], geometry(1, 32, 3, 3, 1, 0), 424),
  convCase('MNIST 32→64 3×3 on 26×26', 1, 1, [26, 26], geometry(32, 64, 3, 3, 1, 0), 425),
  // Padding 0 takes the kernel whose pixel blocks run across output rows (odd map sizes, 2
  // channel blocks), at every order; and the small CNN's two layers.
  ...TEST_ORDERS.map((K) => convCase('9→11 3×2 s2 p0 on 9×12', 2, K, [9, 12], geometry(9, 11, 3, 2, 2, 0), 430 + K)),
  convCase('MNIST small 1→8 3×3 s2 on 28×28', 3, 0, [28, 28], geometry(1, 8, 3, 3, 2, 0), 426),
  convCase('MNIST small 8→16 3×3 on 13×13', 3, 0, [13, 13], geometry(8, 16, 3, 3, 1, 0), 427),
  shapeErrorCase,
];
