// Curvature Rate Regularization: a penalty on the higher-order directional derivatives of the
// per-sample loss, from ONE jet pass and differentiated by reverse mode through the jets.
//
//   penalty = scale · (1/R) Σ_{r=1..R} Σ_{n ∈ orders} (1/B) Σ_{i=1..B} |Dⁿ_{u_ir} L_i|,
//   Dⁿ_u L_i = n!·cₙ(L_i; u),
//
// with R random unit directions u_ir in input space drawn per sample and per step (absolute
// values, not squares, as in the paper's code). The jet pass runs rows = B·R (sample-major: row
// i·R + r) at order max(orders); the order-0 coefficient of every row is the plain loss L_i, so
// the same pass gives the training loss (each sample counted R times, weighted 1/(B·R)).
//
// Directions: R = 1 by default. The penalty is a Monte-Carlo estimate of
// scale · Σ_n E_i E_u |Dⁿ_u L_i| (u uniform on the unit sphere); every R ≥ 1 gives an unbiased
// estimate of it, and its gradient is unbiased too, since a fresh u is drawn per sample and step
// and the batch already averages B independent directions (R only lowers the variance by
// averaging B·R instead of B). The paper's §5.6 experiment, the one whose cost (2.7× SAM) the
// λ paper reports, used one direction per sample per step (flatgrad's MNIST notebook samples U
// once, whatever its K_dirs says); flatgrad's library function defaults to 5. R multiplies the
// cost of a step (rows = B·R), so 1 is the default and --crr-directions 5 gives the library's.
import type { ObjectiveWeights } from '../../kernels/objective.js';
import { JetcurveError } from '../errors.js';
import type { Random } from '../util/random.js';
import { mixedInput, mixedObjective } from './crr-mixed.js';
import { recordGradient } from './gradient.js';
import { plainBatch, type PreparedBatch, type Regularizer } from './regularizer.js';

export interface CrrSettings {
  /** The penalty's scale (the paper sweeps 0..0.01). */
  readonly scale: number;
  /** The orders n penalized, e.g. [1, 2, 3, 4] or [2, 3, 4]. */
  readonly orders: readonly number[];
  /** Random unit directions per sample and step. */
  readonly directions: number;
  /**
   * How the orders' terms combine: `sum` (flatgrad's library, the default of these settings) or
   * `mean` (the paper's notebooks: the sum divided by the number of orders).
   */
  readonly reduction?: 'sum' | 'mean';
  /**
   * `shared` (default): one direction u per sample for every order, Dⁿ L[u, …, u]. `per-order`:
   * a fresh direction per order as the notebooks draw them, the mixed Dⁿ L[u₁, …, uₙ]
   * (src/train/crr-mixed.ts; one direction set per sample, `directions` must be 1).
   */
  readonly directionMode?: 'shared' | 'per-order';
}

/** The paper's library defaults (orders 1..4, scale 1e-3), with one direction per sample and step (see above). */
export const CRR_DEFAULTS: CrrSettings = { scale: 1e-3, orders: [1, 2, 3, 4], directions: 1 };

/** CRR in a training run: the penalty, on the first `subset` samples of a batch (all when absent), every `every`-th step. */
export interface CrrRun extends CrrSettings {
  readonly subset?: number;
  readonly every: number;
}

/** "1-4" → [1, 2, 3, 4]; "2" → [2]; "2,4" → [2, 4]. */
export function parseOrders(text: string): number[] {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(part);
    if (!m) throw new JetcurveError(`cannot read the order set '${text}'`, 'write orders like 1-4, 2-4, 2 or 1,3');
    const lo = Number(m[1]);
    const hi = m[2] === undefined ? lo : Number(m[2]);
    if (lo < 1 || hi > 60 || hi < lo) throw new JetcurveError(`order range ${part.trim()} is outside 1..60 or reversed`, 'penalize orders between 1 and 60, low to high');
    for (let n = lo; n <= hi; n++) out.add(n);
  }
  return [...out].sort((a, b) => a - b);
}

function factorial(n: number): number {
  let f = 1;
  for (let k = 2; k <= n; k++) f *= k;
  return f;
}

export interface CrrObjective {
  /** Mean cross-entropy over the batch (from the order-0 coefficients). */
  readonly loss: number;
  /** The penalty as defined above (already multiplied by scale). */
  readonly penalty: number;
  /** Cotangent of every loss-jet coefficient, [rows][K+1]: d(loss + penalty)/dcₖ. */
  readonly seed: Float32Array;
}

/**
 * The objective and its cotangent from the loss jet read back from the GPU: `coefficients` is
 * [rows][K+1] (one loss per row), K = max(orders). The first `penalized` samples of the batch
 * take R rows each (sample-major) and carry the penalty; the other batch − penalized samples
 * (the --crr-subset option) take one row each with a zero direction and carry only the loss.
 * The loss is the batch mean over samples either way. Where cₙ = 0 exactly, |·| has no
 * derivative; 0 (the subgradient PyTorch's abs uses) is taken.
 */
export function crrObjective(coefficients: ArrayLike<number>, batch: number, settings: CrrSettings, penalized = batch): CrrObjective {
  const R = settings.directions;
  const K = Math.max(0, ...settings.orders);
  const rows = penalized * R + (batch - penalized);
  if (coefficients.length !== rows * (K + 1)) {
    throw new Error(`loss jet has ${coefficients.length} values, expected ${rows}·${K + 1}`);
  }
  const seed = new Float32Array(rows * (K + 1));
  let loss = 0;
  let penalty = 0;
  const lossWeight = (row: number) => (row < penalized * R ? 1 / (batch * R) : 1 / batch);
  const penaltyWeight = settings.scale / (penalized * R);
  for (let row = 0; row < rows; row++) {
    const base = row * (K + 1);
    loss += coefficients[base]! * lossWeight(row);
    seed[base] = lossWeight(row);
    if (row >= penalized * R) continue;
    for (const n of settings.orders) {
      const c = coefficients[base + n]!;
      penalty += penaltyWeight * factorial(n) * Math.abs(c);
      seed[base + n] = penaltyWeight * factorial(n) * Math.sign(c);
    }
  }
  return { loss, penalty, seed };
}

/**
 * The jet input of a CRR step for a batch of B inputs (row-major [B][size]): for each of the
 * first `penalized` samples, R rows with c₀ = xᵢ and c₁ = u_ir (a fresh seeded unit direction);
 * then one row per remaining sample with c₀ = xᵢ only; labels follow the rows. The jet has
 * order 1: orders 2..K of the input are zero, so it goes to the step as `order` 1 with the loss
 * wanted at `lossOrder` K = max(orders) (src/train/step.ts Batch.order), and the layers before
 * the first tanh (all of a relu CNN) run on two coefficients instead of K + 1.
 */
export function crrInput(inputs: Float32Array, labels: Uint32Array, size: number, settings: CrrSettings,
  random: { unitVector(n: number): Float64Array }, penalized = labels.length): { data: Float32Array; labels: Uint32Array; rows: number; order: 1; lossOrder: number } {
  const B = labels.length;
  const R = settings.directions;
  const K = Math.max(...settings.orders);
  const rows = penalized * R + (B - penalized);
  const data = new Float32Array(rows * 2 * size);
  const rowLabels = new Uint32Array(rows);
  let row = 0;
  for (let i = 0; i < B; i++) {
    for (let r = 0; r < (i < penalized ? R : 1); r++, row++) {
      const base = row * 2 * size;
      data.set(inputs.subarray(i * size, (i + 1) * size), base);
      if (i < penalized) data.set(random.unitVector(size), base + size);
      rowLabels[row] = labels[i]!;
    }
  }
  return { data, labels: rowLabels, rows, order: 1, lossOrder: K };
}

/**
 * crrObjective's weights for the GPU (kernels/objective.ts): the same seed, coefficient for
 * coefficient, with nothing read back. Rows are as crrInput makes them.
 */
export function crrWeights(batch: number, settings: CrrSettings, penalized = batch): ObjectiveWeights {
  const R = settings.directions;
  const K = Math.max(0, ...settings.orders);
  const orderWeights = new Float32Array(K + 1);
  const perOrder = settings.reduction === 'mean' ? 1 / settings.orders.length : 1;
  for (const n of settings.orders) orderWeights[n] = (settings.scale * perOrder / (penalized * R)) * factorial(n);
  return { penalizedRows: penalized * R, lossWeightPenalized: 1 / (batch * R), lossWeightRest: 1 / batch, orderWeights };
}

/** CRR in a run: every `every`-th step runs crrInput's rows with the penalty on the GPU; the steps between are plain. */
export class CrrRegularizer implements Regularizer {
  constructor(readonly settings: CrrRun) {
    if (settings.directionMode === 'per-order' && settings.directions !== 1) {
      throw new JetcurveError(`CRR with a fresh direction per order takes one direction set per sample, not ${settings.directions}`, 'drop --crr-directions, or use --crr-direction-mode shared');
    }
  }

  prepare(inputs: Float32Array, labels: Uint32Array, size: number, random: Random, step: number): PreparedBatch {
    if (step % this.settings.every !== 0) return plainBatch(inputs, labels);
    const penalized = Math.min(this.settings.subset ?? labels.length, labels.length);
    if (this.settings.directionMode === 'per-order') {
      const made = mixedInput(inputs, labels, size, this.settings, random, penalized);
      return { ...made, objective: (c) => mixedObjective(c, labels.length, this.settings, penalized) };
    }
    const made = crrInput(inputs, labels, size, this.settings, random, penalized);
    return { ...made, objective: crrWeights(labels.length, this.settings, penalized) };
  }

  readonly gradient = recordGradient;

  release(): void {}
}
