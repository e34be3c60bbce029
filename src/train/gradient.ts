// The gradient of a training objective on the GPU: forward on a tape, the per-row loss jet, its
// cotangent from an objective, backward (parameter gradients accumulate in Parameter.grad).
//
// The objective is either weights the GPU applies to the loss jet (kernels/objective.ts: plain
// training and CRR) — then nothing waits for a read-back: the step's loss comes back later as a
// promise — or a function of the loss jet read back to the host (kept for objectives such as
// target-λ that need the host, and for tests).
import { objectiveSeed, type ObjectiveWeights } from '../../kernels/objective.js';
import { differentiable } from '../autodiff/ops.js';
import { Tape } from '../autodiff/tape.js';
import { JetcurveError } from '../errors.js';
import { Jet } from '../jet/jet.js';
import type { Model } from '../model/model.js';

export interface Batch {
  /** The inputs as a jet: rows × (d+1) × input shape (d = 0: the points themselves). */
  readonly input: Jet;
  /**
   * The order K ≥ d of the loss jet (default d): the input stands for the order-K jet whose
   * coefficients above d are zero, and the layers that keep them zero run at order d
   * (Model.record). CRR passes c_0, c_1 (d = 1) and K = max(orders).
   */
  readonly order?: number;
  /** One class label per row (kernels/softmax-xent.ts uploadLabels). */
  readonly labels: GPUBuffer;
}

/** The objective's value at a step: the data term (mean cross-entropy) and what a regularizer adds. */
export interface StepValue {
  readonly loss: number;
  readonly penalty: number;
}

export interface ObjectiveValue extends StepValue {
  /** d(loss + penalty)/d(coefficient) for every coefficient of the loss jet, [rows][K+1]. */
  readonly seed: Float32Array;
}

/** An objective computed on the host from the loss jet (one scalar per row, read back as [rows][K+1]). */
export type HostObjective = (coefficients: Float32Array, rows: number, order: number) => ObjectiveValue;

/** Weights the GPU applies to the loss jet (no read-back), or a host function of it. */
export type Objective = ObjectiveWeights | HostObjective;

/** The mean cross-entropy over `rows` rows, from the order-0 coefficients: plain training. */
export function meanCrossEntropy(rows: number, order: number): ObjectiveWeights {
  return { penalizedRows: 0, lossWeightPenalized: 0, lossWeightRest: 1 / rows, orderWeights: new Float32Array(order + 1) };
}

/** The loss (or penalty) came out NaN or infinite: training has diverged. */
export class NonFiniteLossError extends JetcurveError {
  constructor(readonly value: StepValue) {
    super(`the training loss is not finite (loss ${value.loss}, penalty ${value.penalty})`, 'lower --lr (or the penalty scale); what was written before stays');
  }
}

/** A recorded step whose value is still on its way back from the GPU. */
export interface Recorded {
  readonly value: Promise<StepValue>;
}

/** How a gradient pass runs: BatchNorm's mode (and dropout with it), and whether Parameter.grad starts from zero. */
export interface PassOptions {
  /** Train mode (default): batch statistics and dropout. Eval mode: running statistics, no dropout. */
  readonly training?: boolean;
  /** Add to the gradients already in Parameter.grad instead of zeroing them first. */
  readonly accumulate?: boolean;
}

/**
 * Records, on the GPU, the gradient of the objective on `batch` into every Parameter.grad of
 * `model` (zeroed first unless `pass.accumulate`). With GPU weights as the objective nothing is
 * waited for; `value` resolves once the GPU has got there. A host objective reads the loss jet
 * back first and throws NonFiniteLossError (before any backward work) when its value is not finite.
 */
export async function recordGradient(model: Model, batch: Batch, objective?: Objective, dropoutSeed?: number, pass: PassOptions = {}): Promise<Recorded> {
  if (!pass.accumulate) model.zeroGrads();
  const tape = new Tape();
  const training = pass.training ?? true;
  try {
    const logits = model.record(tape, batch.input, { training, ...(training && dropoutSeed !== undefined ? { dropoutSeed } : {}), ...(batch.order !== undefined ? { order: batch.order } : {}) });
    const loss = differentiable.softmaxCrossEntropy(tape, logits, batch.labels);
    const weights = objective ?? meanCrossEntropy(loss.rows, loss.order);
    if (typeof weights === 'function') {
      const value = weights(await loss.read(), loss.rows, loss.order);
      if (!Number.isFinite(value.loss) || !Number.isFinite(value.penalty)) throw new NonFiniteLossError(value);
      const seed = Jet.fromArray(model.engine, value.seed, loss.rows, loss.order, [1]);
      tape.backward(loss, seed);
      seed.release();
      return { value: Promise.resolve({ loss: value.loss, penalty: value.penalty }) };
    }
    const { seed, sums } = objectiveSeed(loss, weights);
    // Not awaited: the copy is queued now, the backward pass goes on behind it.
    const read = model.engine.read(sums, 8);
    model.engine.pool.release(sums);
    tape.backward(loss, seed);
    seed.release();
    return { value: read.then((v) => ({ loss: v[0]!, penalty: v[1]! })) };
  } finally {
    tape.release();
  }
}

/** recordGradient, waiting for the value. */
export async function gradient(model: Model, batch: Batch, objective?: Objective, dropoutSeed?: number): Promise<StepValue> {
  return (await recordGradient(model, batch, objective, dropoutSeed)).value;
}

