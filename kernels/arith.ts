import wgsl from '../shaders/arith.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { runBinary, runUnary } from './elementwise.js';
import type { Recorder } from '../src/autodiff/recorder.js';
import { defineOp, recordUnary } from './op.js';

export const addForward = { name: 'add', wgsl, entryPoint: 'add_forward' } as const;
export const subForward = { name: 'sub', wgsl, entryPoint: 'sub_forward' } as const;
export const scaleForward = { name: 'scale', wgsl, entryPoint: 'scale_forward' } as const;

export function add(a: Jet, b: Jet): Jet {
  return runBinary(addForward, a, b);
}

export function sub(a: Jet, b: Jet): Jet {
  return runBinary(subForward, a, b);
}

/** s·x, with s rounded to f32 (it travels as an f32 uniform). */
export function scale(x: Jet, s: number): Jet {
  return runUnary(scaleForward, x, { s });
}

// Reverse mode. The ops are linear with coefficients ±1 and s, so the cotangents are scalings of
// ȳ by the forward scale kernel (·1 and ·−1 are exact copies): no shader of their own. Each
// cotangent is a new jet, never ȳ itself: the tape releases ȳ once the rule has run. `needs`
// (as the tape passes it) skips a cotangent nobody wants; the result is then null.

/** Reverse mode of add(a, b): [ā, b̄] = [ȳ, ȳ]. */
export function addVjp(ybar: Jet, needs: readonly boolean[] = [true, true]): [Jet | null, Jet | null] {
  return [needs[0] ? scale(ybar, 1) : null, needs[1] ? scale(ybar, 1) : null];
}

/** Reverse mode of sub(a, b): [ā, b̄] = [ȳ, −ȳ]. */
export function subVjp(ybar: Jet, needs: readonly boolean[] = [true, true]): [Jet | null, Jet | null] {
  return [needs[0] ? scale(ybar, 1) : null, needs[1] ? scale(ybar, -1) : null];
}

/** Reverse mode of scale(x, s): x̄ = s·ȳ, with the same f32 rounding of s as the forward pass. */
export function scaleVjp(ybar: Jet, s: number): Jet {
  return scale(ybar, s);
}

// The tape rules skip the cotangents nothing needs (`needs`, see Tape): the input of a network gets none.
export const addOp = defineOp({
  name: 'add',
  arity: 2,
  record(tape: Recorder, a: Jet, b: Jet): Jet {
    return tape.record([a, b], add(a, b), (ybar, needs) => addVjp(ybar, needs));
  },
});

export const subOp = defineOp({
  name: 'sub',
  arity: 2,
  record(tape: Recorder, a: Jet, b: Jet): Jet {
    return tape.record([a, b], sub(a, b), (ybar, needs) => subVjp(ybar, needs));
  },
});

export const scaleOp = defineOp({
  name: 'scale',
  arity: 1,
  record(tape: Recorder, x: Jet, s: number): Jet {
    return recordUnary(tape, x, scale(x, s), (ybar) => scaleVjp(ybar, s));
  },
});
