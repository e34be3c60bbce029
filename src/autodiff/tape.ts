// Reverse mode through jets. Ops run forward as usual and record, on a tape, the jets they read
// and a closure that maps the output's cotangent to the inputs' cotangents (and adds parameter
// gradients into their Parameter.grad). backward() walks the tape from the end. Because the
// cotangent of a jet covers every coefficient, a loss built from any coefficients (the value
// for training, higher orders for CRR) is differentiated by the same kernels; order 0 is
// plain backpropagation.
import { add } from '../../kernels/arith.js';
import type { Jet } from '../jet/jet.js';
import type { Backward, Recorder } from './recorder.js';

export type { Backward, Recorder } from './recorder.js';

interface Node {
  readonly inputs: readonly Jet[];
  readonly output: Jet;
  readonly backward: Backward;
}

export class Tape implements Recorder {
  private readonly nodes: Node[] = [];

  /** Records an op; returns its output for chaining. */
  record(inputs: readonly Jet[], output: Jet, backward: Backward): Jet {
    this.nodes.push({ inputs, output, backward });
    return output;
  }

  /**
   * Propagates `seed` (the cotangent of `output`, same shape) back through every recorded op,
   * adding parameter gradients into their buffers, and returns the cotangents of the jets in
   * `wrt` (null where nothing flows back; the caller releases the others). Intermediate
   * cotangents are released as soon as they are used; the seed stays the caller's.
   */
  backward(output: Jet, seed: Jet, wrt: readonly Jet[] = []): (Jet | null)[] {
    const cotangents = new Map<Jet, Jet>([[output, seed]]);
    const produced = new Set(this.nodes.map((node) => node.output));
    for (let i = this.nodes.length - 1; i >= 0; i--) {
      const node = this.nodes[i]!;
      const ybar = cotangents.get(node.output);
      if (!ybar) continue;
      cotangents.delete(node.output);
      const xbars = node.backward(ybar, node.inputs.map((input) => produced.has(input) || wrt.includes(input)));
      if (ybar !== seed) ybar.release();
      node.inputs.forEach((input, j) => {
        const xbar = xbars[j];
        if (!xbar) return;
        const previous = cotangents.get(input);
        if (previous) {
          cotangents.set(input, add(previous, xbar));
          previous.release();
          xbar.release();
        } else {
          cotangents.set(input, xbar);
        }
      });
    }
    const wanted = wrt.map((jet) => cotangents.get(jet) ?? null);
    for (const [jet, cotangent] of cotangents) if (!wrt.includes(jet) && cotangent !== seed) cotangent.release();
    return wanted;
  }

  /** Releases every jet the recorded ops produced. The tape's external inputs stay the caller's. */
  release(): void {
    for (const node of this.nodes) node.output.release();
    this.nodes.length = 0;
  }
}

/**
 * A recorder for passes without reverse mode: every jet it produced is released as soon as an op
 * records it as an input (a network's layers read each intermediate once). Jets it did not
 * produce (the caller's input) are never released; the last output stays the caller's.
 */
export class Streaming implements Recorder {
  private readonly produced = new Set<Jet>();

  record(inputs: readonly Jet[], output: Jet): Jet {
    for (const input of inputs) {
      if (input !== output && this.produced.delete(input)) input.release();
    }
    this.produced.add(output);
    return output;
  }
}
