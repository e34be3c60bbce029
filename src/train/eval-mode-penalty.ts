// CRR on a model with BatchNorm, as the flatgrad library trains one: the data term in train mode
// (batch statistics, dropout) on the batch's samples, the penalty in eval mode (running
// statistics, no dropout) on the CRR rows. BatchNorm's batch statistics exist at order 0 only
// here (Model.record), and the library switches the model to eval mode for its penalty anyway,
// so a step is two passes whose gradients add up in Parameter.grad:
//
//   ∇ [ mean CE(f_train(x)) ]  +  ∇ [ penalty(f_eval(x + t·u)) ].
//
// The running statistics move once per step, in the first pass, as in the library.
import type { ObjectiveWeights } from '../../kernels/objective.js';
import { uploadLabels } from '../../kernels/softmax-xent.js';
import { Jet } from '../jet/jet.js';
import { featureCount } from '../jet/layout.js';
import type { Model } from '../model/model.js';
import type { Random } from '../util/random.js';
import { meanCrossEntropy, recordGradient, type Batch, type HostObjective, type Objective, type Recorded } from './gradient.js';
import type { PreparedBatch, Regularizer } from './regularizer.js';

/** The objective with its data term removed (weights 0 on every c₀): the penalty alone. */
export function penaltyOnly(objective: Objective): Objective {
  if (typeof objective !== 'function') {
    const weights: ObjectiveWeights = { ...objective, lossWeightPenalized: 0, lossWeightRest: 0 };
    return weights;
  }
  const host: HostObjective = (coefficients, rows, order) => {
    const value = objective(coefficients, rows, order);
    const seed = value.seed.slice();
    for (let row = 0; row < rows; row++) seed[row * (order + 1)] = 0;
    return { loss: 0, penalty: value.penalty, seed };
  };
  return host;
}

/** The samples of the step being prepared, for the train-mode pass. */
interface PendingSamples {
  readonly inputs: Float32Array;
  readonly labels: Uint32Array;
}

/** Wraps a CRR regularizer for a model with BatchNorm layers (makeRegularizer does). */
export class EvalModePenalty implements Regularizer {
  private pending: PendingSamples | null = null;

  constructor(readonly inner: Regularizer) {}

  prepare(inputs: Float32Array, labels: Uint32Array, size: number, random: Random, step: number): PreparedBatch {
    const made = this.inner.prepare(inputs, labels, size, random, step);
    // A plain step (CRR's every-k) is one train-mode pass as without the penalty.
    this.pending = made.lossOrder > 0 ? { inputs, labels } : null;
    return made.lossOrder > 0 ? { ...made, objective: penaltyOnly(made.objective) } : made;
  }

  async gradient(model: Model, batch: Batch, objective?: Objective, dropoutSeed?: number): Promise<Recorded> {
    const samples = this.pending;
    this.pending = null;
    if (!samples) return this.inner.gradient(model, batch, objective, dropoutSeed);
    const rows = samples.labels.length;
    const input = Jet.fromArray(model.engine, samples.inputs, rows, 0, model.inputShape);
    const labels = uploadLabels(model.engine, samples.labels, featureCount(model.outputShape));
    try {
      const data = await recordGradient(model, { input, labels }, meanCrossEntropy(rows, 0), dropoutSeed);
      const penalty = await recordGradient(model, batch, objective, undefined, { training: false, accumulate: true });
      return { value: Promise.all([data.value, penalty.value]).then(([d, p]) => ({ loss: d.loss, penalty: p.penalty })) };
    } finally {
      input.release();
      model.engine.pool.release(labels);
    }
  }

  release(): void {
    this.inner.release();
  }
}
