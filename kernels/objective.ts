// The training objective on the GPU (shaders/objective.wgsl): the cotangent of every coefficient
// of the per-row loss jet, and the step's (loss, penalty) in a two-float buffer to read back
// without waiting. Plain training and CRR differ only in the weights.
import wgsl from '../shaders/objective.wgsl';
import { JetcurveError } from '../src/errors.js';
import { Jet } from '../src/jet/jet.js';

const seedSource = { name: 'objective', wgsl, entryPoint: 'objective_seed' } as const;
const sumSource = { name: 'objective', wgsl, entryPoint: 'objective_sum' } as const;

/**
 * objective = Σ_r w_r·c_{r,0} + Σ_{r < penalizedRows} Σ_n orderWeights[n]·|c_{r,n}|, with
 * w_r = lossWeightPenalized for the first `penalizedRows` rows and lossWeightRest after.
 */
export interface ObjectiveWeights {
  readonly penalizedRows: number;
  readonly lossWeightPenalized: number;
  readonly lossWeightRest: number;
  /** p_n for n = 0..K (p_0 is not used: the value has its own weight). */
  readonly orderWeights: Float32Array;
}

/** The cotangent of `loss` ([rows, K+1, 1]) and a new buffer holding (loss, penalty), both recorded, nothing read. */
export function objectiveSeed(loss: Jet, weights: ObjectiveWeights): { seed: Jet; sums: GPUBuffer } {
  if (loss.features !== 1 || weights.orderWeights.length !== loss.order + 1) {
    throw new JetcurveError(`objective: a loss jet of ${loss.features} features and order ${loss.order} with ${weights.orderWeights.length} order weights`,
      'give one scalar loss per row and one weight per order 0..K');
  }
  const engine = loss.engine;
  const seed = Jet.empty(engine, loss.rows, loss.order, [1]);
  const orderWeights = engine.upload(weights.orderWeights);
  const terms = engine.pool.acquire(loss.rows * 8);
  const sums = engine.pool.acquire(8);
  const uniforms = {
    rows: loss.rows, order: loss.order, penalized: weights.penalizedRows,
    loss_weight_penalized: weights.lossWeightPenalized, loss_weight_rest: weights.lossWeightRest,
  };
  engine.dispatch(seedSource, { loss: loss.buffer, order_weights: orderWeights, seed: seed.buffer, terms }, uniforms, loss.rows);
  engine.dispatch(sumSource, { terms, log: sums }, uniforms, 1);
  // Later work that reuses these pooled buffers is recorded after the dispatches above.
  engine.pool.release(orderWeights);
  engine.pool.release(terms);
  return { seed, sums };
}
