// Hutch++ (Meyer, Musco, Musco & Woodruff, 2021): sketch the top of the spectrum with k
// products, take the trace of H on that subspace exactly, and run Hutchinson only on the
// deflated rest P·H·P (P = I − QQᵀ), whose off-diagonal mass — Hutchinson's variance — is what
// the outliers of a Hessian spectrum would otherwise dominate.
//
// The uncertainty reported: for ANY fixed Q, tr(QᵀHQ) is exact and Hutchinson on P·H·P is
// unbiased for tr(PHP) = tr(H) − tr(QᵀHQ); so given the sketch, the estimate is unbiased and its
// only randomness is the residual Hutchinson mean, whose standard error is the one reported.
// The sketch changes which residual is estimated, not the unbiasedness: the stated error is
// conditional on the sketch, and it is the error of this run's number. The residual part is
// stopped on its standard error like plain Hutchinson (an adaptive variant of Hutch++'s fixed
// m/3 split).
import { Random } from '../util/random.js';
import type { Estimate } from './estimate.js';
import { checkProbeCounts, hutchinson, type BlockTrace } from './hutchinson.js';
import { blocksOf, type SymmetricOperator } from './operator.js';
import { axpy, dot, orthogonalizeTwice, rademacher } from './vector.js';

export interface HutchPlusPlusOptions {
  readonly seed?: number;
  /** Sketch size k (default 16); a column of H·S that is dependent on the others is dropped. */
  readonly sketch?: number;
  readonly tolerance?: number;
  readonly minProbes?: number;
  readonly maxProbes?: number;
  readonly batch?: number;
}

export interface HutchPlusPlusResult {
  readonly trace: Estimate;
  /** tr(QᵀHQ), exact given the sketch. */
  readonly lowRankPart: number;
  /** Hutchinson on P·H·P. */
  readonly residualPart: Estimate;
  readonly blocks: readonly Omit<BlockTrace, 'squareShare'>[];
  /** The rank of the sketch kept. */
  readonly rank: number;
  /** Operator products spent: 2·k for the sketch plus the residual probes. */
  readonly products: number;
  readonly stoppedBy: 'tolerance' | 'maxProbes';
}

export async function hutchPlusPlus(op: SymmetricOperator, options: HutchPlusPlusOptions = {}): Promise<HutchPlusPlusResult> {
  const { seed = 0, sketch = 16, tolerance, minProbes = 10, maxProbes = 1000, batch = 8 } = options;
  checkProbeCounts(minProbes, maxProbes, batch);
  const random = new Random(seed);
  const k = Math.max(1, Math.min(sketch, op.size));
  const y = await op.apply(Array.from({ length: k }, () => rademacher(random, op.size)));
  // Q: an orthonormal basis of range(H·S); columns whose remainder is at rounding level go.
  const q: Float64Array[] = [];
  const scale = Math.max(...y.map((c) => Math.sqrt(dot(c, c))));
  for (const col of y) {
    const rest = orthogonalizeTwice(col, q);
    if (rest > 1e-12 * scale && rest > 0) q.push(col.map((x) => x / rest));
  }
  const hq = q.length ? await op.apply(q) : [];
  const m = q.map((qi) => hq.map((hqj) => dot(qi, hqj)));
  const lowRankPart = q.reduce((s, _, i) => s + m[i]![i]!, 0);
  const project = (v: Float64Array) => {
    const out = Float64Array.from(v);
    for (const qi of q) axpy(-dot(qi, v), qi, out);
    return out;
  };
  const deflated: SymmetricOperator = {
    size: op.size,
    blocks: op.blocks,
    async apply(vectors) {
      return (await op.apply(vectors.map(project))).map(project);
    },
  };
  const residual = await hutchinson(deflated, { seed: random.int(2 ** 31), tolerance, minProbes, maxProbes, batch });
  // Per block: tr_B(H) = tr_B(PHP) + tr_B(QQᵀH + HQQᵀ − QQᵀHQQᵀ), the second term exact:
  // (QQᵀH)_ii = (HQQᵀ)_ii = Σ_j q_j[i]·(Hq_j)[i] and (QQᵀHQQᵀ)_ii = Σ_{j,l} q_j[i]·M_jl·q_l[i].
  const blocks = blocksOf(op).map((b, n) => {
    let lowRank = 0;
    for (let i = b.offset; i < b.offset + b.size; i++) {
      for (let j = 0; j < q.length; j++) {
        lowRank += 2 * q[j]![i]! * hq[j]![i]!;
        for (let l = 0; l < q.length; l++) lowRank -= q[j]![i]! * m[j]![l]! * q[l]![i]!;
      }
    }
    const r = residual.blocks[n]!.trace;
    return { ...b, trace: { value: lowRank + r.value, stdErr: r.stdErr } };
  });
  return {
    trace: { value: lowRankPart + residual.trace.value, stdErr: residual.trace.stdErr },
    lowRankPart,
    residualPart: residual.trace,
    blocks,
    rank: q.length,
    products: k + q.length + residual.probes,
    stoppedBy: residual.stoppedBy,
  };
}
