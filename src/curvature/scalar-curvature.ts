// The scalar curvature of the loss landscape seen as the hypersurface {(θ, L(θ))} (the graph
// of L with the induced metric g = I + ∇L∇Lᵀ), Pouplin et al. 2023 (Proposition 2.3),
// Gegenfurtner's Theorem 2.1:
//
//   K = β·(tr(H)² − tr(H²)) + 2β²·(∇Lᵀ H² ∇L − tr(H)·∇Lᵀ H ∇L),   β = 1/(1 + ‖∇L‖²).
//
// It is the Gauss equation R = (tr S)² − tr(S²) for the shape operator S = β^{1/2}·G⁻¹H of a
// graph (G⁻¹ = I − β∇L∇Lᵀ); a sphere of radius 1 in ℝⁿ⁺¹ gets n(n−1). The gradient terms need
// one product: with h = H∇L, ∇LᵀH∇L = ∇L·h and ∇LᵀH²∇L = ‖h‖² (H symmetric). The trace terms
// are estimated from Hutchinson probes: tr(H) and tr(H²) by their means, tr(H)² by the
// unbiased U-statistic, so the estimate of K is unbiased; its standard error is the jackknife
// over the probes.
import { JetcurveError } from '../errors.js';
import { jackknifeStdErr, type Estimate } from './estimate.js';
import { hutchinson, type HutchinsonOptions, type ProbeSamples } from './hutchinson.js';
import { applyOne, byBlock, type ParameterBlock, type SymmetricOperator } from './operator.js';
import { dot } from './vector.js';

/** The gradient's part of K: exact given ∇L and H∇L. */
export interface GradientTerms {
  /** β = 1/(1 + ‖∇L‖²). */
  readonly beta: number;
  /** ∇LᵀH∇L. */
  readonly gHg: number;
  /** ∇LᵀH²∇L = ‖H∇L‖². */
  readonly gH2g: number;
}

export function gradientTerms(gradient: ArrayLike<number>, hGradient: ArrayLike<number>): GradientTerms {
  return { beta: 1 / (1 + dot(gradient, gradient)), gHg: dot(gradient, hGradient), gH2g: dot(hGradient, hGradient) };
}

/** K from its ingredients; `traceSquared` defaults to trace² (exact traces). */
export function scalarCurvatureFrom(trace: number, traceOfSquare: number, g: GradientTerms, traceSquared = trace * trace): number {
  return g.beta * (traceSquared - traceOfSquare) + 2 * g.beta ** 2 * (g.gH2g - trace * g.gHg);
}

/**
 * K from a dense symmetric Hessian (row-major n×n) and gradient: the exact value for `--exact`
 * and for hypersurfaces given by their derivatives (geometry checks).
 */
export function scalarCurvatureDense(hessian: ArrayLike<number>, gradient: ArrayLike<number>): number {
  const n = gradient.length;
  if (hessian.length !== n * n) throw new JetcurveError(`a gradient of length ${n} needs a ${n}×${n} Hessian, got ${hessian.length} entries`, 'pass the Hessian row-major');
  let trace = 0;
  let frobenius = 0;
  const hg = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    trace += hessian[i * n + i]!;
    for (let j = 0; j < n; j++) {
      const h = hessian[i * n + j]!;
      frobenius += h * h;
      hg[i]! += h * gradient[j]!;
    }
  }
  // tr(H²) = ‖H‖_F² for symmetric H.
  return scalarCurvatureFrom(trace, frobenius, gradientTerms(gradient, hg));
}

export interface ScalarCurvatureEstimate extends Estimate {
  /** value ± 1.96·stdErr. */
  readonly interval95: readonly [number, number];
  readonly trace: Estimate;
  readonly traceOfSquare: Estimate;
  readonly traceSquared: Estimate;
  readonly gradient: GradientTerms;
  readonly probes: number;
  /** Products: 1 for H∇L plus one per probe. */
  readonly products: number;
}

export interface ScalarCurvatureOptions extends Omit<HutchinsonOptions, 'until' | 'tolerance' | 'squareTolerance'> {
  /** Stop once K's standard error is at most this (absolute); without it, run to maxProbes. */
  readonly tolerance?: number;
}

export async function estimateScalarCurvature(op: SymmetricOperator, gradient: Float64Array, options: ScalarCurvatureOptions = {}): Promise<ScalarCurvatureEstimate> {
  if (gradient.length !== op.size) throw new JetcurveError(`a gradient of length ${gradient.length} for ${op.size} parameters`, `pass the gradient of all ${op.size} parameters`);
  const g = gradientTerms(gradient, await applyOne(op, gradient));
  const { tolerance, ...rest } = options;
  const h = await hutchinson(op, {
    ...rest,
    until: tolerance === undefined ? undefined : (s) => curvatureFromSamples(s, g).stdErr <= tolerance,
  });
  const k = curvatureFromSamples(h.samples, g);
  return {
    ...k,
    interval95: [k.value - 1.96 * k.stdErr, k.value + 1.96 * k.stdErr],
    trace: h.trace,
    traceOfSquare: h.traceOfSquare,
    traceSquared: h.traceSquared,
    gradient: g,
    probes: h.probes,
    products: 1 + h.probes,
  };
}

/**
 * Per block B: the scalar curvature of the loss restricted to B's parameters (the others held
 * fixed), i.e. of the graph of θ_B ↦ L, with H_BB and ∇_B L. Separate probes per block.
 */
export function scalarCurvatureByBlock(op: SymmetricOperator, gradient: Float64Array, options: ScalarCurvatureOptions = {}): Promise<(ParameterBlock & { readonly result: ScalarCurvatureEstimate })[]> {
  return byBlock(op, (sub, b) => estimateScalarCurvature(sub, gradient.slice(b.offset, b.offset + b.size), options));
}

/** K̂ = β(U − mean b) + 2β²(gᵀH²g − mean a · gᵀHg), unbiased, with its jackknife error. */
function curvatureFromSamples({ quadratic: a, squaredNorm: b }: ProbeSamples, g: GradientTerms): Estimate {
  const m = a.length;
  let sa = 0;
  let qa = 0;
  let sb = 0;
  for (let i = 0; i < m; i++) { sa += a[i]!; qa += a[i]! ** 2; sb += b[i]!; }
  const k = (s: number, q: number, t: number, count: number) =>
    scalarCurvatureFrom(s / count, t / count, g, (s * s - q) / (count * (count - 1)));
  if (m < 3) return { value: m === 2 ? k(sa, qa, sb, m) : NaN, stdErr: Infinity };
  const loo = Float64Array.from({ length: m }, (_, i) => k(sa - a[i]!, qa - a[i]! ** 2, sb - b[i]!, m - 1));
  return { value: k(sa, qa, sb, m), stdErr: jackknifeStdErr(loo) };
}
