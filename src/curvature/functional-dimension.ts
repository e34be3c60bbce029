// Functional dimension (Grigsby, Lindsey, Meyerhoff & Wu; Gegenfurtner Definition 3.1): the
// batch functional rank rank(J_Z), J_Z the Jacobian of ALL outputs at ALL points of a data set
// Z with respect to ALL parameters (rows = points × outputs, columns = parameters), with
// NumPy's matrix_rank tolerance σ_max·max(m, n)·ε. For a ReLU network every hidden unit has a
// positive rescaling symmetry (scale its incoming weights and bias by a > 0, its outgoing
// weights by 1/a) that leaves the function unchanged, so rank(J_Z) ≤ P − (hidden units).
import { JetcurveError } from '../errors.js';
import { featureCount } from '../jet/layout.js';
import { parameterLayout, parameterVector } from '../model/parameter-layout.js';
import { inferShapes } from '../model/shapes.js';
import type { ModelSpec } from '../model/spec.js';
import { ParameterLoss64 } from '../reference/parameter-line64.js';
import { mlpLoss } from './mlp64.js';
import { matrixRank, type RankResult } from './svd.js';

export interface FunctionalRank extends RankResult {
  /** Rows of J_Z: points × outputs. */
  readonly rows: number;
  /** Columns: parameters P. */
  readonly parameters: number;
}

/** `jacobian` row-major [points·outputs][parameters]. */
export function batchFunctionalRank(jacobian: ArrayLike<number>, rows: number, parameters: number): FunctionalRank {
  if (!Number.isInteger(rows) || !Number.isInteger(parameters) || rows < 1 || parameters < 1 || jacobian.length !== rows * parameters) {
    throw new JetcurveError(`a Jacobian of ${rows} rows × ${parameters} parameters needs ${rows * parameters} entries, got ${jacobian.length}`,
      'pass J_Z row-major: one row per (point, output), one column per parameter');
  }
  for (let i = 0; i < jacobian.length; i++) {
    if (!Number.isFinite(jacobian[i])) throw new JetcurveError(`the Jacobian holds ${jacobian[i]} at entry ${i}`, 'compute J_Z at points where the network is finite');
  }
  return { ...matrixRank(jacobian, rows, parameters), rows, parameters };
}

/** The number of hidden units of an MLP with layer widths [input, hidden…, output]. */
export function hiddenUnits(widths: readonly number[]): number {
  return widths.slice(1, -1).reduce((s, w) => s + w, 0);
}

/** The rescaling-symmetry bound on a ReLU network's functional dimension: P − hidden units. */
export function reluRankBound(parameters: number, hidden: number): number {
  return parameters - hidden;
}

/** The hidden units of a ReLU MLP (dense layers with relu between them), null for any other model: the units the bound counts. */
export function reluMlpHiddenUnits(spec: ModelSpec): number | null {
  const types = spec.layers.map((l) => l.type);
  if (!types.includes('relu') || !types.every((t) => t === 'dense' || t === 'relu' || t === 'flatten')) return null;
  const widths = spec.layers.flatMap((l) => (l.type === 'dense' ? [l.weight.shape[0]!] : []));
  return widths.slice(0, -1).reduce((s, w) => s + w, 0);
}

/**
 * rank(J_Z) of an MLP's logits at `inputs` (row-major [points][features]), J_Z from the float64
 * R-operator of ./mlp64.ts; null when J_Z would hold more than `maxEntries` numbers.
 */
export function mlpFunctionalRank(spec: ModelSpec, inputs: ArrayLike<number>, labels: ArrayLike<number>, maxEntries = Infinity): FunctionalRank | null {
  const loss = mlpLoss(spec, inputs, labels);
  const rows = labels.length * loss.outputs;
  return rows * loss.size > maxEntries ? null : batchFunctionalRank(loss.jacobian(), rows, loss.size);
}

/** J_Z is dense on the host ([points·outputs] × P): beyond this many entries the callers skip the rank. */
export const MAX_JACOBIAN_ENTRIES = 4e6;
/** A non-MLP's J_Z takes P float64 forward passes: beyond this many activations touched in all of them the callers skip it. */
export const MAX_JACOBIAN_WORK = 2e8;

/** The activations the float64 R-operator of ./mlp64.ts takes (its fast path). */
const MLP64_LAYERS = new Set(['dense', 'flatten', 'tanh', 'relu', 'sigmoid']);

/**
 * rank(J_Z) of any model's logits at `inputs` (row-major [points][features]): an MLP's J_Z from
 * the R-operator, any other model's (conv2d, max-pool, BatchNorm, every activation) column by
 * column from the float64 forward pass along each parameter axis (src/reference/parameter-line64.ts,
 * P passes). null when J_Z would hold more than `maxEntries` numbers, or those P passes would
 * touch more than `maxWork` activations (points × features summed over the layers, times P).
 */
export function functionalRank(spec: ModelSpec, inputs: ArrayLike<number>, maxEntries = Infinity, maxWork = Infinity): FunctionalRank | null {
  const shapes = inferShapes(spec);
  const points = inputs.length / featureCount(spec.input);
  const outputs = featureCount(shapes[shapes.length - 1]!);
  const layout = parameterLayout(spec);
  const rows = points * outputs;
  if (rows * layout.size > maxEntries) return null;
  if (spec.layers.every((l) => MLP64_LAYERS.has(l.type))) return mlpFunctionalRank(spec, inputs, new Uint32Array(points));
  const work = layout.size * points * shapes.reduce((s, shape) => s + featureCount(shape), 0);
  if (work > maxWork) return null;
  const loss = new ParameterLoss64(spec, parameterVector(spec, layout), inputs, { loss: 'xent', labels: new Uint32Array(points) });
  return batchFunctionalRank(loss.jacobian(), rows, layout.size);
}
