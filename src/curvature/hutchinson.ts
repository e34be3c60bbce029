// Hutchinson's trace estimator with Rademacher probes, with tr(H²) = E‖Hv‖² and per-block
// traces from the same products, stopped on the STANDARD ERROR (an absolute target) rather than
// on the relative change between iterations: a trace near zero makes every relative rule either
// never stop or stop on noise.
//
// For Rademacher v: E[vᵀHv] = tr(H) with Var = 2·Σ_{i≠j} H_ij²; E‖Hv‖² = tr(H²); and for a
// block B of coordinates, E[v_Bᵀ(Hv)_B] = tr(H_BB) and E‖(Hv)_B‖² = Σ_{i∈B}(H²)_ii (the
// block's rows' share of tr(H²), which sums to tr(H²) over a partition; it is not tr(H_BB²)).
import { JetcurveError } from '../errors.js';
import { Random } from '../util/random.js';
import { squaredMeanU, type Estimate } from './estimate.js';
import { blocksOf, type ParameterBlock, type SymmetricOperator } from './operator.js';
import { dot, meanAndStdErr, rademacher } from './vector.js';

export interface HutchinsonOptions {
  /** Seed of the probes (default 0). */
  readonly seed?: number;
  /** Stop once the trace's standard error is at most this (absolute). */
  readonly tolerance?: number;
  /** Stop once tr(H²)'s standard error is at most this (absolute). */
  readonly squareTolerance?: number;
  /** Stop once this holds of the samples so far (e.g. a scalar curvature's standard error). */
  readonly until?: (samples: ProbeSamples) => boolean;
  /** Probes before any stopping decision (default 10: a standard error from fewer is itself noise). */
  readonly minProbes?: number;
  /** Hard cap (default 1000). */
  readonly maxProbes?: number;
  /** Probes per operator call (default 8; the GPU batches Hessian-vector products). */
  readonly batch?: number;
}

export interface BlockTrace extends ParameterBlock {
  readonly trace: Estimate;
  /** Σ_{i∈B} (H²)_ii: the block's share of tr(H²). */
  readonly squareShare: Estimate;
}

export interface HutchinsonResult {
  readonly trace: Estimate;
  readonly traceOfSquare: Estimate;
  /** Unbiased tr(H)² (a U-statistic over the probes), for the scalar curvature. */
  readonly traceSquared: Estimate;
  readonly blocks: readonly BlockTrace[];
  readonly probes: number;
  /** `tolerance`: every criterion given was met (with none given, the run goes to maxProbes). */
  readonly stoppedBy: 'tolerance' | 'maxProbes';
  readonly samples: ProbeSamples;
}

/** Per probe: vᵀHv and ‖Hv‖² (what the scalar curvature's jackknife needs). */
export interface ProbeSamples {
  readonly quadratic: Float64Array;
  readonly squaredNorm: Float64Array;
}

export async function hutchinson(op: SymmetricOperator, options: HutchinsonOptions = {}): Promise<HutchinsonResult> {
  const { seed = 0, tolerance, squareTolerance, until, minProbes = 10, maxProbes = 1000, batch = 8 } = options;
  checkProbeCounts(minProbes, maxProbes, batch);
  const random = new Random(seed);
  const blocks = blocksOf(op);
  const quadratic: number[] = [];
  const squaredNorm: number[] = [];
  const blockQuadratic: number[][] = blocks.map(() => []);
  const blockSquare: number[][] = blocks.map(() => []);
  let stoppedBy: HutchinsonResult['stoppedBy'] = 'maxProbes';
  while (quadratic.length < maxProbes) {
    const count = Math.min(batch, maxProbes - quadratic.length);
    const probes = Array.from({ length: count }, () => rademacher(random, op.size));
    const products = await op.apply(probes);
    probes.forEach((v, p) => {
      const hv = products[p]!;
      quadratic.push(dot(v, hv));
      squaredNorm.push(dot(hv, hv));
      blocks.forEach((b, k) => {
        blockQuadratic[k]!.push(dot(v, hv, b.offset, b.offset + b.size));
        blockSquare[k]!.push(dot(hv, hv, b.offset, b.offset + b.size));
      });
    });
    const criteria = [
      tolerance === undefined ? null : () => meanAndStdErr(quadratic).stdErr <= tolerance,
      squareTolerance === undefined ? null : () => meanAndStdErr(squaredNorm).stdErr <= squareTolerance,
      until === undefined ? null : () => until({ quadratic: Float64Array.from(quadratic), squaredNorm: Float64Array.from(squaredNorm) }),
    ].filter((c) => c !== null);
    if (quadratic.length >= minProbes && criteria.length && criteria.every((c) => c())) {
      stoppedBy = 'tolerance';
      break;
    }
  }
  return {
    trace: asEstimate(quadratic),
    traceOfSquare: asEstimate(squaredNorm),
    traceSquared: squaredMeanU(quadratic),
    blocks: blocks.map((b, k) => ({ ...b, trace: asEstimate(blockQuadratic[k]!), squareShare: asEstimate(blockSquare[k]!) })),
    probes: quadratic.length,
    stoppedBy,
    samples: { quadratic: Float64Array.from(quadratic), squaredNorm: Float64Array.from(squaredNorm) },
  };
}

export function checkProbeCounts(minProbes: number, maxProbes: number, batch: number): void {
  if (!Number.isInteger(minProbes) || !Number.isInteger(maxProbes) || minProbes < 2 || maxProbes < minProbes) {
    throw new JetcurveError(`probe counts min ${minProbes}, max ${maxProbes} are not usable`, 'use integers with 2 ≤ minProbes ≤ maxProbes (a standard error needs two probes)');
  }
  if (!Number.isInteger(batch) || batch < 1) throw new JetcurveError(`batch ${batch} is not a positive integer`, 'pass batch ≥ 1');
}

function asEstimate(values: readonly number[]): Estimate {
  const { mean, stdErr } = meanAndStdErr(values);
  return { value: mean, stdErr };
}
