// Parameter-space curvature of the training loss after an epoch (train --curvature-every N):
// on the first `points` training examples, the Hessian trace (Hutchinson), λ_max (Lanczos), the
// scalar curvature of the loss landscape, the functional rank of the logits and λ along random
// parameter directions, all from the GPU Hessian-vector products of src/curvature.
import { functionalRank } from '../curvature/functional-dimension.js';
import { GpuHessian } from '../curvature/gpu-hessian.js';
import { hutchinson } from '../curvature/hutchinson.js';
import { lanczos } from '../curvature/lanczos.js';
import { parameterLambda } from '../curvature/parameter-lambda.js';
import { estimateScalarCurvature } from '../curvature/scalar-curvature.js';
import type { Model } from '../model/model.js';
import type { Split } from './data-split.js';

export interface EpochCurvature {
  readonly points: number;
  readonly trace: number;
  readonly traceStdErr: number;
  readonly lambdaMax: number;
  readonly lambdaMaxConverged: boolean;
  readonly scalarCurvature: number;
  readonly scalarCurvatureStdErr: number;
  readonly gradNorm: number;
  readonly functionalRank: number;
  /** λ along random unit parameter directions: raw slope over orders 1–4, and −log R to order 60 (NaN where the radius fit failed). */
  readonly parameterLambdaRaw: number;
  readonly parameterLambdaTaylor: number;
}

/** Probes of the trace and of K: enough for a standard error of a few percent on the Two Moons MLP, cheap beside an epoch. */
const PROBES = 16;

export async function epochCurvature(model: Model, split: Split, points: number, seed: number): Promise<EpochCurvature> {
  const n = Math.min(points, split.n);
  const size = split.inputs.length / split.n;
  const inputs = split.inputs.subarray(0, n * size);
  const labels = Uint32Array.from(split.labels.subarray(0, n));
  const op = await GpuHessian.of(model, inputs, labels);
  const at = await op.pass(new Float64Array(op.size));
  const options = { seed, minProbes: PROBES, maxProbes: PROBES };
  const traces = await hutchinson(op, options);
  const k = await estimateScalarCurvature(op, at.gradient, options);
  const top = (await lanczos(op, { top: 1, bottom: 0, seed })).top[0]!;
  const lambda = await parameterLambda(op, { directions: 2, seed });
  const spec = await model.toSpec();
  const rank = functionalRank(spec, inputs)!.rank;
  return {
    points: n, trace: traces.trace.value, traceStdErr: traces.trace.stdErr, lambdaMax: top.value, lambdaMaxConverged: top.converged,
    scalarCurvature: k.value, scalarCurvatureStdErr: k.stdErr, gradNorm: Math.hypot(...at.gradient), functionalRank: rank,
    parameterLambdaRaw: lambda.raw.mean, parameterLambdaTaylor: lambda.taylor.mean,
  };
}
