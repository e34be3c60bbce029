// The eigenvalue spectral density by stochastic Lanczos quadrature (Golub & Meurant; Lin, Saad
// & Yang; Ghorbani, Krishnan & Xiao): m Lanczos steps from a random unit start v give the
// Gauss quadrature rule of the measure Σ_i (u_iᵀv)²·δ(t − λ_i): nodes θ_k (eigenvalues of the
// m×m tridiagonal T) and weights τ_k = s_{0k}², the SQUARED FIRST components of T's unit
// eigenvectors. The rule is exact for polynomials of degree ≤ 2m−1: Σ τ_k·θ_k^p = vᵀH^p v.
// So the weights of one probe sum to 1 and their mean Σ τ_k·θ_k is vᵀHv; with v a Rademacher
// vector over √P the density's mean is a Hutchinson estimate of tr(H)/P — two identities the
// tests check, and the two places the classic bugs (last component instead of first, weights
// not squared or not normalized) would show.
import { JetcurveError } from '../errors.js';
import { Random } from '../util/random.js';
import type { Estimate } from './estimate.js';
import { LanczosRun } from './lanczos.js';
import type { SymmetricOperator } from './operator.js';
import { tridiagonalEigen } from './tridiagonal.js';
import { meanAndStdErr, rademacher } from './vector.js';

export interface SpectralDensityOptions {
  /** Random starts (default 10). */
  readonly probes?: number;
  /** Lanczos steps per start (default min(size, 40)). */
  readonly steps?: number;
  readonly seed?: number;
  /** Gaussian broadening σ (default (max θ − min θ)/200, or 1e-3 for a one-point spectrum). */
  readonly sigma?: number;
  /** Grid points for the density (default 500). */
  readonly gridPoints?: number;
}

export interface QuadratureRule {
  readonly nodes: Float64Array;
  readonly weights: Float64Array;
}

export interface SpectralDensity {
  readonly rules: readonly QuadratureRule[];
  readonly sigma: number;
  readonly grid: Float64Array;
  /** The broadened density on the grid; integrates to 1. */
  readonly density: Float64Array;
  /** tr(H)/P from the probes (Σ τ θ averaged), with its standard error. */
  readonly meanEigenvalue: Estimate;
  readonly products: number;
}

export async function spectralDensity(op: SymmetricOperator, options: SpectralDensityOptions = {}): Promise<SpectralDensity> {
  const { probes = 10, seed = 0, gridPoints = 500 } = options;
  const steps = Math.min(options.steps ?? 40, op.size);
  if (!Number.isInteger(probes) || probes < 1 || !Number.isInteger(steps) || steps < 1) {
    throw new JetcurveError(`spectral density with ${probes} probes of ${steps} steps`, 'use at least one probe and one Lanczos step');
  }
  const random = new Random(seed);
  const rules: QuadratureRule[] = [];
  let products = 0;
  for (let p = 0; p < probes; p++) {
    const run = new LanczosRun(op, rademacher(random, op.size), random);
    while (run.steps < steps) await run.step();
    products += run.steps;
    const { values, rows } = tridiagonalEigen(run.alpha, run.beta.slice(0, run.steps - 1), [0]);
    rules.push({ nodes: values, weights: rows[0]!.map((s) => s * s) });
    // Only the rule is kept: the run's basis goes with it.
  }
  const lo = rules.reduce((m, r) => Math.min(m, r.nodes[0]!), Infinity);
  const hi = rules.reduce((m, r) => Math.max(m, r.nodes[r.nodes.length - 1]!), -Infinity);
  const sigma = options.sigma ?? (hi > lo ? (hi - lo) / 200 : 1e-3);
  const grid = Float64Array.from({ length: gridPoints }, (_, i) => lo - 4 * sigma + ((hi - lo + 8 * sigma) * i) / (gridPoints - 1));
  const density = new Float64Array(gridPoints);
  const norm = 1 / (probes * sigma * Math.sqrt(2 * Math.PI));
  for (const { nodes, weights } of rules) {
    nodes.forEach((t, k) => {
      for (let i = 0; i < gridPoints; i++) density[i]! += norm * weights[k]! * Math.exp(-0.5 * ((grid[i]! - t) / sigma) ** 2);
    });
  }
  const { mean, stdErr } = meanAndStdErr(rules.map((r) => r.nodes.reduce((s, t, k) => s + t * r.weights[k]!, 0)));
  return { rules, sigma, grid, density, meanEigenvalue: { value: mean, stdErr: probes > 1 ? stdErr : Infinity }, products };
}
