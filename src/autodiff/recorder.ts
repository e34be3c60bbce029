// What an op records for reverse mode, and where: the one interface the kernels' tape rules
// see (kernels/op.ts), kept apart from the Tape so that the kernels do not depend on it.
import type { Jet } from '../jet/jet.js';

/**
 * Maps the cotangent of an op's output to the cotangents of its inputs (null: that input needs
 * none). `needs[j]` says whether input j's cotangent goes anywhere (an earlier op made it, or
 * backward() was asked for it): a rule may skip the others, e.g. x̄ of the network's input.
 */
export type Backward = (ybar: Jet, needs: readonly boolean[]) => readonly (Jet | null)[];

/**
 * Where ops put what reverse mode needs. A Tape keeps it for backward(); a Streaming recorder
 * keeps nothing and hands each intermediate back to the pool once the next op has read it, so
 * the same op calls serve a forward pass that will never be differentiated (jets, λ, inference).
 */
export interface Recorder {
  record(inputs: readonly Jet[], output: Jet, backward: Backward): Jet;
}
