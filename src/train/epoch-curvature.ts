// Parameter-space curvature of the training loss after an epoch (train --curvature-every N):
// on the first `points` training examples, the Hessian trace (Hutchinson), λ_max (Lanczos), the
// scalar curvature of the loss landscape, the functional rank of the logits and λ along random
// parameter directions, all from the GPU Hessian-vector products of src/curvature. Any model
// GpuHessian runs (MLP, CNN, BatchNorm CNN): a BatchNorm layer is taken in eval mode (its
// running statistics), so the loss measured is the one the network predicts with, not the
// batch-statistics loss its steps descend.
import { MAX_JACOBIAN_ENTRIES, MAX_JACOBIAN_WORK, functionalRank } from '../curvature/functional-dimension.js';
import { GpuHessian } from '../curvature/gpu-hessian.js';
import { hutchinson } from '../curvature/hutchinson.js';
import { lanczos } from '../curvature/lanczos.js';
import { parameterLambda } from '../curvature/parameter-lambda.js';
import { estimateScalarCurvature } from '../curvature/scalar-curvature.js';
import type { Model } from '../model/model.js';
import type { Split } from './data-split.js';

export interface EpochCurvature {
  readonly points: number;
  /** P, the length of the parameter vector the Hessian acts on. */
  readonly parameters: number;
  readonly loss: number;
  readonly trace: number;
  readonly traceStdErr: number;
  readonly lambdaMax: number;
  readonly lambdaMaxConverged: boolean;
  readonly scalarCurvature: number;
  readonly scalarCurvatureStdErr: number;
  readonly gradNorm: number;
  /**
   * rank(J_Z) of the logits at the points (at most points × outputs, and P); null where J_Z is
   * too large to form on the host (MAX_JACOBIAN_ENTRIES, MAX_JACOBIAN_WORK of
   * src/curvature/functional-dimension.ts: e.g. the MNIST CNN, whose P is ~50 000).
   */
  readonly functionalRank: number | null;
  /**
   * log₁₀(σ_max/σ_min) of J_Z's singular values (null with the rank): how far J_Z is from losing
   * rank when the rank sits at its bound. The rank drops once it passes −log₁₀(max(m, n)·ε), ≈ 12.
   */
  readonly jacobianLogCondition: number | null;
  /** λ along random unit parameter directions: raw slope over orders 1–4, and −log R to order 60 (NaN where the radius fit failed). */
  readonly parameterLambdaRaw: number;
  readonly parameterLambdaTaylor: number;
}

export interface EpochCurvatureOptions {
  /** Rademacher probes of the trace and of K (default 16). */
  readonly probes?: number;
  /** Random unit parameter directions of λ (default 2). */
  readonly lambdaDirections?: number;
}

/** Probes of the trace and of K: enough for a standard error of a few percent on the Two Moons MLP, cheap beside an epoch. */
const PROBES = 16;

function logCondition(sigma: Float64Array): number {
  const smallest = sigma[sigma.length - 1]!;
  return smallest > 0 ? Math.log10(sigma[0]! / smallest) : Infinity;
}

export async function epochCurvature(model: Model, split: Split, points: number, seed: number, options: EpochCurvatureOptions = {}): Promise<EpochCurvature> {
  const n = Math.min(points, split.n);
  const size = split.inputs.length / split.n;
  const inputs = split.inputs.subarray(0, n * size);
  const labels = Uint32Array.from(split.labels.subarray(0, n));
  const op = await GpuHessian.of(model, inputs, labels);
  const at = await op.pass(new Float64Array(op.size));
  const probes = options.probes ?? PROBES;
  const estimate = { seed, minProbes: probes, maxProbes: probes };
  const traces = await hutchinson(op, estimate);
  const k = await estimateScalarCurvature(op, at.gradient, estimate);
  const top = (await lanczos(op, { top: 1, bottom: 0, seed })).top[0]!;
  const lambda = await parameterLambda(op, { directions: options.lambdaDirections ?? 2, seed });
  const spec = await model.toSpec();
  const rank = functionalRank(spec, inputs, MAX_JACOBIAN_ENTRIES, MAX_JACOBIAN_WORK);
  return {
    points: n, parameters: op.size, loss: at.loss, trace: traces.trace.value, traceStdErr: traces.trace.stdErr, lambdaMax: top.value, lambdaMaxConverged: top.converged,
    scalarCurvature: k.value, scalarCurvatureStdErr: k.stdErr, gradNorm: Math.hypot(...at.gradient), functionalRank: rank?.rank ?? null,
    jacobianLogCondition: rank ? logCondition(rank.singularValues) : null,
    parameterLambdaRaw: lambda.raw.mean, parameterLambdaTaylor: lambda.taylor.mean,
  };
}
