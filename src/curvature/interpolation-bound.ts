// Gegenfurtner, Theorem 4.1 ("a new bound of the scalar curvature"), checked numerically.
//
// As printed, for an interpolation solution θ* (∇L = 0, so K = tr(H)² − tr(H²)), with r the
// batch functional rank over the training points and λ_max the top eigenvalue of H:
//
//   (P1) 0 ≤ K   (P2) K ≤ (r−1)·tr(H)   (P3) (r−1)·tr(H) ≤ (r−1)·λ_max²   hence (P4) K ≤ (r−1)·λ_max².
//
// The proof establishes something else. It writes K = (Σλ_i)² − Σλ_i² and uses Cauchy–Schwarz
// over the r non-zero eigenvalues (H = JᵀJ at interpolation has rank r):
//
//   (Q1) (Σλ_i)² ≤ r·Σλ_i²,   hence   (Q2) K ≤ (r−1)·Σλ_i² = (r−1)·tr(H²),
//
// and stops there. Where they differ:
//   • The middle term: the proof gives (r−1)·tr(H²), the statement prints (r−1)·tr(H). P2 and P3
//     are not even homogeneous — scaling the loss by c scales K by c², tr(H) by c — so whether
//     they hold depends on whether L is a sum or a mean (the paper uses both: ½Σ in §1, JᵀJ/n in
//     §4), and neither holds in general.
//   • The last step: nothing in the proof gives λ_max²; the step that follows from Q2 is
//     tr(H²) ≤ r·λ_max², i.e. (C1) K ≤ r(r−1)·λ_max². P4 (K ≤ (r−1)λ_max²) is false in general:
//     r equal eigenvalues λ give K = r(r−1)λ².
//   • P1 is not proved; it holds at interpolation because H = JᵀJ is positive semi-definite
//     (then K = Σ_{i≠j} λ_iλ_j ≥ 0).
//   • §4's "∇²L = (1/n)·JᵀJ" drops the residual term Σ r_i·∇²f_i, so it holds only at
//     interpolation, and with a mean loss (the ½Σ loss of §1 gives JᵀJ); J stacks every output
//     of every point (D rows per point), as rank(J_Z) does.
//   • Q1 needs H to have at most r non-zero eigenvalues, which holds exactly only AT
//     interpolation (the residual term Σ r_i·∇²f_i vanishes); near it, H has extra small
//     eigenvalues of either sign, so the checker also counts H's own numerical rank.
// A bound of the printed shape that does hold for PSD H of rank ≤ r is
//   (C2) K = Σ_i λ_i·Σ_{j≠i} λ_j ≤ (r−1)·λ_max·tr(H) ≤ r(r−1)·λ_max².
// The checker evaluates every one of these and reports which hold and by what margin.
import { JetcurveError } from '../errors.js';

export interface InequalityCheck {
  readonly id: 'P1' | 'P2' | 'P3' | 'P4' | 'Q1' | 'Q2' | 'C1' | 'C2';
  readonly source: 'printed' | 'proof' | 'completion';
  readonly statement: string;
  readonly lhs: number;
  readonly rhs: number;
  /** lhs ≤ rhs (up to a rounding allowance of 1e-12·max(|lhs|, |rhs|)). */
  readonly holds: boolean;
  /** rhs − lhs: positive when it holds. */
  readonly margin: number;
  /** (rhs − lhs)/max(|lhs|, |rhs|): the margin as a fraction. */
  readonly relativeMargin: number;
}

export interface TheoremCheck {
  /** K used: the full K when given (near interpolation), else tr(H)² − tr(H²). */
  readonly curvature: number;
  /** tr(H)² − tr(H²), K at an exact interpolation solution. */
  readonly interpolationCurvature: number;
  readonly trace: number;
  readonly traceOfSquare: number;
  readonly lambdaMax: number;
  readonly rank: number;
  /** Eigenvalues of H above P·ε·max|λ| in magnitude: Q1's r, which equals `rank` at interpolation. */
  readonly hessianRank: number;
  readonly negativeEigenvalues: number;
  readonly checks: readonly InequalityCheck[];
  /**
   * At interpolation, scaling the loss by c scales K by c² and tr(H) by c: the printed P2 holds for
   * c ≤ (r−1)·tr(H)/K (when K > 0) and P3 for c ≥ tr(H)/λ_max² (when λ_max ≠ 0). Both hold
   * together only for c in [p3From, p2Upto], an empty window when p3From > p2Upto.
   */
  readonly printedScaleWindow: { readonly p3From: number; readonly p2Upto: number };
}

export interface TheoremInput {
  /** All eigenvalues of H (from the dense Hessian). */
  readonly eigenvalues: ArrayLike<number>;
  /** Batch functional rank r = rank(J_Z) over the training points. */
  readonly rank: number;
  /** The full scalar curvature at θ (with its gradient terms), if θ is only near interpolation. */
  readonly scalarCurvature?: number;
}

export function checkTheorem41(input: TheoremInput): TheoremCheck {
  const lambda = Array.from(input.eigenvalues);
  const r = input.rank;
  if (!lambda.length || !Number.isInteger(r) || r < 0) throw new JetcurveError(`Theorem 4.1 needs eigenvalues and a rank ≥ 0, got ${lambda.length} eigenvalues and rank ${r}`, 'pass the Hessian spectrum and rank(J_Z)');
  const trace = lambda.reduce((s, x) => s + x, 0);
  const traceOfSquare = lambda.reduce((s, x) => s + x * x, 0);
  const lambdaMax = lambda.reduce((m, x) => Math.max(m, x), -Infinity);
  const scale = lambda.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const hessianRank = lambda.filter((x) => Math.abs(x) > scale * lambda.length * 2 ** -52).length;
  const interpolationCurvature = trace * trace - traceOfSquare;
  const k = input.scalarCurvature ?? interpolationCurvature;
  const check = (id: InequalityCheck['id'], source: InequalityCheck['source'], statement: string, lhs: number, rhs: number): InequalityCheck => {
    const size = Math.max(Math.abs(lhs), Math.abs(rhs));
    const margin = rhs - lhs;
    return { id, source, statement, lhs, rhs, holds: margin >= -1e-12 * size, margin, relativeMargin: size > 0 ? margin / size : 0 };
  };
  const checks = [
    check('P1', 'printed', '0 ≤ K', 0, k),
    check('P2', 'printed', 'K ≤ (r−1)·tr(H)', k, (r - 1) * trace),
    check('P3', 'printed', '(r−1)·tr(H) ≤ (r−1)·λ_max²', (r - 1) * trace, (r - 1) * lambdaMax ** 2),
    check('P4', 'printed', 'K ≤ (r−1)·λ_max²', k, (r - 1) * lambdaMax ** 2),
    check('Q1', 'proof', 'tr(H)² ≤ r·tr(H²)', trace * trace, r * traceOfSquare),
    check('Q2', 'proof', 'K ≤ (r−1)·tr(H²)', k, (r - 1) * traceOfSquare),
    check('C1', 'completion', 'K ≤ r(r−1)·λ_max²', k, r * (r - 1) * lambdaMax ** 2),
    check('C2', 'completion', 'K ≤ (r−1)·λ_max·tr(H)', k, (r - 1) * lambdaMax * trace),
  ];
  return {
    curvature: k, interpolationCurvature, trace, traceOfSquare, lambdaMax, rank: r, hessianRank,
    negativeEigenvalues: lambda.filter((x) => x < -scale * lambda.length * 2 ** -52).length, checks,
    printedScaleWindow: { p3From: lambdaMax !== 0 ? trace / lambdaMax ** 2 : Infinity, p2Upto: k > 0 ? ((r - 1) * trace) / k : Infinity },
  };
}

const fmtCheck = (x: number) => (Math.abs(x) >= 1e-3 && Math.abs(x) < 1e6 ? x.toFixed(4) : x.toExponential(3));

/** The columns and rows of a check, for report tables. */
export const THEOREM_HEADER = ['', 'source', 'inequality', 'lhs', 'rhs', 'holds', 'margin (rhs − lhs)', 'relative'] as const;
export function theoremRows(t: TheoremCheck): string[][] {
  return t.checks.map((c) => [c.id, c.source, c.statement, fmtCheck(c.lhs), fmtCheck(c.rhs), c.holds ? 'yes' : '**no**', fmtCheck(c.margin), `${(100 * c.relativeMargin).toFixed(1)}%`]);
}

/** The loss scales c for which the printed P2 and P3 hold together, in a sentence. */
export function scaleWindowText(t: TheoremCheck): string {
  const w = t.printedScaleWindow;
  return `P2 and P3 hold together for the loss scaled by c ∈ [${fmtCheck(w.p3From)}, ${fmtCheck(w.p2Upto)}]${w.p3From > w.p2Upto ? ' (empty)' : ''}.`;
}

/** A Markdown table of a check, for reports. */
export function theoremTable(t: TheoremCheck): string {
  return [
    `| ${THEOREM_HEADER.join(' | ')} |`,
    `|${THEOREM_HEADER.map(() => '---').join('|')}|`,
    ...theoremRows(t).map((row) => `| ${row.join(' | ')} |`),
    '',
    scaleWindowText(t),
  ].join('\n') + '\n';
}
