// Curvature Rate Regularization: a penalty on the higher-order directional derivatives of the
// per-sample loss, from ONE jet pass and differentiated by reverse mode through the jets.
//
//   penalty = scale · (1/R) Σ_{r=1..R} ⊕_{n ∈ orders} (1/B) Σ_{i=1..B} |Dⁿ_{u_ir} L_i|,
//   Dⁿ_u L_i = n!·cₙ(L_i; u),
//
// where ⊕ is the reduction over orders: `mean` (the paper's notebooks, the default of
// CRR_DEFAULTS) or `sum` (the flatgrad library's compute_lambda_regularizer, and what settings
// without a `reduction` get, as before the option existed). They differ by the factor |orders|.
//
// with R random unit directions u_ir in input space drawn per sample and per step (or, with
// directionScope 'batch', R drawn per step and shared by the whole batch) (absolute
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
  readonly reduction?: CrrReduction;
  /**
   * `shared` (default): one direction u per sample for every order, Dⁿ L[u, …, u]. `per-order`:
   * a fresh direction per order as the notebooks draw them, the mixed Dⁿ L[u₁, …, uₙ]
   * (src/train/crr-mixed.ts; one direction set per sample, `directions` must be 1).
   */
  readonly directionMode?: 'shared' | 'per-order';
  /**
   * `sample` (default): fresh directions for every sample. `batch`: the R directions of a step
   * are drawn once and shared by every sample of the batch (the λ paper's Table 2 notebook, which
   * samples U once per batch). Shared directions only (not with `per-order`).
   */
  readonly directionScope?: 'sample' | 'batch';
}

export type CrrReduction = 'mean' | 'sum';
export const CRR_REDUCTIONS: readonly CrrReduction[] = ['mean', 'sum'];

/**
 * The paper's library defaults (orders 1..4, scale 1e-3), with one direction per sample and
 * step (see above) and the notebooks' mean over orders.
 */
export const CRR_DEFAULTS: CrrSettings = { scale: 1e-3, orders: [1, 2, 3, 4], directions: 1, reduction: 'mean' };

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
  const lossWeight = lossWeights(batch, penalized, R);
  const perOrder = (settings.reduction ?? 'sum') === 'mean' ? 1 / settings.orders.length : 1;
  const penaltyWeight = (settings.scale * perOrder) / (penalized * R);
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
 * The weight of each row's loss in the batch mean, for the row layout of crrInput: the first
 * penalized·R rows are R copies of each penalized sample, the rest one row per sample.
 */
function lossWeights(batch: number, penalized: number, R: number): (row: number) => number {
  return (row) => (row < penalized * R ? 1 / (batch * R) : 1 / batch);
}

export interface TargetLambdaSettings {
  /** λ*, the λ the penalty pulls λ̂ towards. */
  readonly target: number;
  readonly scale: number;
  /** Orders whose consecutive entries form the ratios, e.g. [1, 2, 3, 4] (the library's max_order = 4). */
  readonly orders: readonly number[];
  /** Directions per penalized sample (rows are sample-major, as crrInput lays them out). Default 1. */
  readonly directions?: number;
  /** Samples carrying the penalty (the first ones); the rest take one loss-only row each. Default: all. */
  readonly penalized?: number;
}

export interface TargetLambdaObjective extends CrrObjective {
  /** λ̂, the batch's λ estimate the penalty is taken of. */
  readonly lambda: number;
}

/** The flatgrad library's ratio epsilon (both sides) and its clamp (compute_lambda_target_regularizer). */
const TARGET_EPSILON = 1e-12;
const TARGET_CLAMP = 1e-10;

/**
 * The flatgrad library's target-λ regularizer (compute_lambda_target_regularizer) from the loss
 * jet [rows][K+1] of a batch: per penalized row (sample × direction), with aₙ = |n!·cₙ|,
 *   λ_r = mean over consecutive orders (n, m) of log max((a_m + 1e-12)/(aₙ + 1e-12), 1e-10),
 * λ̂ = mean of λ_r over the penalized rows (= mean over directions of the batch mean), and
 *   penalty = scale·(λ̂ − λ*)²,
 * differentiable, with no first-derivative skip rule (as the library). The loss is the batch
 * mean of c₀ as in crrObjective; `seed` is the exact gradient of loss + penalty with respect to
 * every coefficient (0 for |·| at cₙ = 0, and 0 where the clamp is active).
 */
export function targetLambdaObjective(coefficients: ArrayLike<number>, rows: number, K: number, settings: TargetLambdaSettings): TargetLambdaObjective {
  const R = settings.directions ?? 1;
  const orders = settings.orders;
  if (orders.length < 2 || orders.some((n, j) => !Number.isInteger(n) || n < 1 || n > K || (j > 0 && n <= orders[j - 1]!))) {
    throw new JetcurveError(`target-λ orders ${orders.join(',')} are not at least two increasing orders within 1..${K}`, 'give e.g. orders 1-4');
  }
  if (coefficients.length !== rows * (K + 1)) throw new Error(`loss jet has ${coefficients.length} values, expected ${rows}·${K + 1}`);
  // rows = penalized·R + (batch − penalized): all rows are penalized unless told otherwise.
  const penalized = settings.penalized ?? rows / R;
  const batch = rows - penalized * (R - 1);
  if (!Number.isInteger(penalized) || penalized < 1 || batch < penalized) {
    throw new Error(`${rows} rows do not hold ${settings.penalized ?? 'all'} penalized samples × ${R} directions`);
  }
  const lossWeight = lossWeights(batch, penalized, R);
  const N = penalized * R;
  const pairs = orders.length - 1;
  const abs = (row: number, n: number) => factorial(n) * Math.abs(coefficients[row * (K + 1) + n]!);
  const logRatio = (row: number, j: number) => Math.log((abs(row, orders[j + 1]!) + TARGET_EPSILON) / (abs(row, orders[j]!) + TARGET_EPSILON));

  let loss = 0;
  let lambda = 0;
  const seed = new Float32Array(rows * (K + 1));
  for (let row = 0; row < rows; row++) {
    loss += coefficients[row * (K + 1)]! * lossWeight(row);
    seed[row * (K + 1)] = lossWeight(row);
    if (row < N) for (let j = 0; j < pairs; j++) lambda += Math.max(logRatio(row, j), Math.log(TARGET_CLAMP)) / (pairs * N);
  }
  const penalty = settings.scale * (lambda - settings.target) ** 2;
  // d penalty / d log ratio (where the clamp is not active) = 2·scale·(λ̂ − λ*)/(pairs·N);
  // d log ratio / d a = ±1/(a + ε); d a / d cₙ = n!·sign(cₙ).
  const outer = (2 * settings.scale * (lambda - settings.target)) / (pairs * N);
  const dLogAbs = (row: number, n: number, sign: number) => {
    const c = coefficients[row * (K + 1) + n]!;
    return (sign * outer * factorial(n) * Math.sign(c)) / (abs(row, n) + TARGET_EPSILON);
  };
  const grad = new Float64Array(rows * (K + 1));
  for (let row = 0; row < N; row++) {
    for (let j = 0; j < pairs; j++) {
      if (logRatio(row, j) < Math.log(TARGET_CLAMP)) continue;
      grad[row * (K + 1) + orders[j + 1]!]! += dLogAbs(row, orders[j + 1]!, 1);
      grad[row * (K + 1) + orders[j]!]! += dLogAbs(row, orders[j]!, -1);
    }
  }
  for (let i = 0; i < grad.length; i++) seed[i]! += grad[i]!;
  return { loss, penalty, seed, lambda };
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
  const shared = settings.directionScope === 'batch' ? Array.from({ length: R }, () => random.unitVector(size)) : null;
  let row = 0;
  for (let i = 0; i < B; i++) {
    for (let r = 0; r < (i < penalized ? R : 1); r++, row++) {
      const base = row * 2 * size;
      data.set(inputs.subarray(i * size, (i + 1) * size), base);
      if (i < penalized) data.set(shared ? shared[r]! : random.unitVector(size), base + size);
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
    if (settings.directionMode === 'per-order' && settings.directionScope === 'batch') {
      throw new JetcurveError('CRR directions shared over the batch are one direction for every order; a fresh direction per order draws them per sample', 'use directionScope batch with directionMode shared, or per-sample directions with per-order');
    }
  }

  prepare(inputs: Float32Array, labels: Uint32Array, size: number, random: Random, step: number): PreparedBatch {
    if (step % this.settings.every !== 0) return plainBatch(inputs, labels);
    return this.penalizedBatch(inputs, labels, size, random, Math.min(this.settings.subset ?? labels.length, labels.length));
  }

  /** The rows and objective of a step that carries the penalty, on its first `penalized` samples. */
  protected penalizedBatch(inputs: Float32Array, labels: Uint32Array, size: number, random: Random, penalized: number): PreparedBatch {
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

/**
 * The flatgrad library's target-λ regularizer in a run (--reg crr-target): crrInput's rows, and
 * scale·(λ̂ − λ*)² with λ̂ from the same jets (targetLambdaObjective). Its λ̂ is a ratio of the
 * coefficients, so the objective is taken on the host: a read-back per penalized step.
 */
export class CrrTargetRegularizer extends CrrRegularizer {
  constructor(settings: CrrRun, readonly target: number) {
    super(settings);
    if (!Number.isFinite(target)) throw new JetcurveError(`the target λ* must be a finite number, got ${target}`, 'pass e.g. --crr-target 1.2');
    if (settings.orders.length < 2) throw new JetcurveError(`target-λ needs at least two orders for its ratios, got ${settings.orders.join(', ')}`, 'pass e.g. --crr-orders 1-4');
  }

  protected override penalizedBatch(inputs: Float32Array, labels: Uint32Array, size: number, random: Random, penalized: number): PreparedBatch {
    const made = crrInput(inputs, labels, size, this.settings, random, penalized);
    const target = { target: this.target, scale: this.settings.scale, orders: this.settings.orders, directions: this.settings.directions, penalized };
    return { ...made, objective: (c, rows, order) => targetLambdaObjective(c, rows, order, target) };
  }
}
