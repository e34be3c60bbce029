// The one seam every regularizer plugs into. A regularizer decides two things about a step:
// how the batch's samples become the rows and the objective of the pass (prepare: plain rows at
// order 0, or CRR's points × directions with a penalty on higher coefficients), and how the
// gradient is taken (gradient: once, or SAM's second pass at its ascent point). The training
// loop, the bench and the tests drive every regularizer through these two calls.
import type { Model } from '../model/model.js';
import type { Random } from '../util/random.js';
import { meanCrossEntropy, recordGradient, type Batch, type Objective, type Recorded } from './gradient.js';

/** The rows of one step, built on the host: the input jet's data, a label per row, and the objective. */
export interface PreparedBatch {
  /** Row-major [rows][order + 1][input size]. */
  readonly data: Float32Array;
  readonly labels: Uint32Array;
  readonly rows: number;
  /** The order of `data`, and the order of the loss jet (≥ it; see Batch.order). */
  readonly order: number;
  readonly lossOrder: number;
  readonly objective: Objective;
}

export interface Regularizer {
  /**
   * The step's rows from B samples (`inputs` row-major [B][size]); `random` is the epoch's
   * stream (CRR draws its directions from it), `step` the number of steps taken so far.
   */
  prepare(inputs: Float32Array, labels: Uint32Array, size: number, random: Random, step: number): PreparedBatch;
  /** Records the gradient of `objective` on `batch` into the model's Parameter.grad. */
  gradient(model: Model, batch: Batch, objective?: Objective, dropoutSeed?: number): Promise<Recorded>;
  /** SAM's last global gradient norm, read back. */
  lastNorm?(): Promise<number>;
  release(): void;
}

/** The rows of plain training: one per sample, order 0, the mean cross-entropy. */
export function plainBatch(inputs: Float32Array, labels: Uint32Array): PreparedBatch {
  return { data: inputs, labels, rows: labels.length, order: 0, lossOrder: 0, objective: meanCrossEntropy(labels.length, 0) };
}

/** No regularizer: plain rows, one gradient. */
export const plain: Regularizer = {
  prepare: (inputs, labels) => plainBatch(inputs, labels),
  gradient: (model, batch, objective, dropoutSeed) => recordGradient(model, batch, objective, dropoutSeed),
  release: () => undefined,
};
