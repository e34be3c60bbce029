import wgsl from '../shaders/mul.wgsl';
import { Jet } from '../src/jet/jet.js';
import { checkSameJetShape, runBinary } from './elementwise.js';
import type { Recorder } from '../src/autodiff/recorder.js';
import { defineOp } from './op.js';

export const mulForward = { name: 'mul', wgsl, entryPoint: 'mul_forward' } as const;

export function mul(a: Jet, b: Jet): Jet {
  return runBinary(mulForward, a, b);
}

export const mulVjpSource = { name: 'mul', wgsl, entryPoint: 'mul_vjp' } as const;

/**
 * The cotangent of a in a·b with b held fixed: ā_j = Σ_{k≥j} ȳ_k·b_{k-j}, a new jet. It is the
 * whole VJP of "multiply by a fixed jet" (powi's f'(x), for one).
 */
export function mulVjpFactor(b: Jet, ybar: Jet): Jet {
  checkSameJetShape('mul', b, ybar);
  const abar = Jet.empty(b.engine, b.rows, b.order, b.shape);
  b.engine.dispatch(mulVjpSource, { b: b.buffer, ybar: ybar.buffer, abar: abar.buffer },
    { rows: b.rows, order: b.order, features: b.features }, b.rows * b.features);
  return abar;
}

/**
 * Reverse mode of mul(a, b) for the output cotangent ȳ: [ā, b̄], new jets (the same kernel twice,
 * the operands swapped). `needs` (as the tape passes it) skips one; the result is then null.
 */
export function mulVjp(a: Jet, b: Jet, ybar: Jet, needs: readonly boolean[] = [true, true]): [Jet | null, Jet | null] {
  checkSameJetShape('mul', a, b);
  return [needs[0] ? mulVjpFactor(b, ybar) : null, needs[1] ? mulVjpFactor(a, ybar) : null];
}

export const mulOp = defineOp({
  name: 'mul',
  arity: 2,
  record(tape: Recorder, a: Jet, b: Jet): Jet {
    return tape.record([a, b], mul(a, b), (ybar, needs) => mulVjp(a, b, ybar, needs));
  },
});
