// Lanczos with full reorthogonalization for the extreme eigenvalues of a symmetric operator,
// with a residual and a `converged` flag for every Ritz value. Unlike power iteration it finds
// the largest AND the smallest eigenvalue from one Krylov space, so a spectrum whose top two
// magnitudes are ±λ (a random initialization) neither oscillates nor returns |λ| with the
// wrong sign: +λ is the top Ritz value and −λ the bottom one.
//
// Residuals come from the Lanczos relation H·Q_j = Q_j·T_j + β_j·q_{j+1}·e_jᵀ: the Ritz pair
// (θ_i, y_i = Q_j·s_i) has ‖H·y_i − θ_i·y_i‖ = β_j·|s_{j,i}|, the last component of s_i, at no
// cost. With `verify`, one extra batched product recomputes ‖H·y − θ·y‖ directly, which also
// catches an operator that is not what Lanczos assumes (a non-symmetric or buggy HVP). A
// converged θ is within its residual of an eigenvalue of H (for symmetric H, always); which
// eigenvalue is the Krylov method's only blind spot — a start vector nearly orthogonal to the
// top eigenvector, improbable for a random start. Repeated eigenvalues are found only when the
// Krylov space closes (breakdown), after which the run restarts orthogonally to its basis.
//
// Memory: the basis (one vector of size P per product) and the small tridiagonal matrix;
// nothing else grows with the iterations.
import { JetcurveError } from '../errors.js';
import { Random } from '../util/random.js';
import { applyOne, type SymmetricOperator } from './operator.js';
import { tridiagonalEigen } from './tridiagonal.js';
import { axpy, dot, norm, orthogonalizeTwice } from './vector.js';

export interface LanczosOptions {
  /** Largest eigenvalues wanted (default 1). */
  readonly top?: number;
  /** Smallest eigenvalues wanted (default 1). */
  readonly bottom?: number;
  /** Converged when the residual ≤ tolerance·max|θ| (default 1e-3). */
  readonly tolerance?: number;
  /** At most this many products (default min(size, 100)). */
  readonly maxProducts?: number;
  readonly seed?: number;
  /** A start vector instead of a random one. */
  readonly start?: Float64Array;
  /** One extra batched product to compute ‖H·y − θ·y‖ directly (default false). */
  readonly verify?: boolean;
  /** Return the Ritz vectors of the wanted values (default false). */
  readonly vectors?: boolean;
}

export interface RitzValue {
  readonly value: number;
  /** β_j·|s_{j,i}| from the Lanczos relation. */
  readonly residual: number;
  /** ‖H·y − θ·y‖ computed with a product (only with `verify`). */
  readonly verifiedResidual?: number;
  /** Residual (the verified one when there is one) ≤ tolerance·max|θ|. */
  readonly converged: boolean;
  readonly vector?: Float64Array;
}

export interface LanczosResult {
  /** Descending. */
  readonly top: readonly RitzValue[];
  /** Ascending. */
  readonly bottom: readonly RitzValue[];
  readonly iterations: number;
  /** Operator products: one per iteration, plus one per wanted value when verifying (one batched call). */
  readonly products: number;
  /** Vectors held in the basis at the end (= iterations). */
  readonly basisSize: number;
  /** max_j |q_{j−1}ᵀ·H·q_j − β_{j−1}| / max|θ|: 0 up to rounding for a symmetric operator. */
  readonly symmetryDefect: number;
  /** Times the Krylov space closed and the run restarted orthogonally to it. */
  readonly breakdowns: number;
  /** The tridiagonal matrix T (diagonal α, off-diagonal β; β = 0 at a breakdown). */
  readonly alpha: Float64Array;
  readonly beta: Float64Array;
  /** max|θ|, the scale of the tolerance. */
  readonly scale: number;
}

export async function lanczos(op: SymmetricOperator, options: LanczosOptions = {}): Promise<LanczosResult> {
  const { top = 1, bottom = 1, tolerance = 1e-3, seed = 0, verify = false, vectors = false } = options;
  const maxProducts = Math.min(options.maxProducts ?? Math.min(op.size, 100), op.size);
  if (top + bottom < 1 || top < 0 || bottom < 0) throw new JetcurveError(`top ${top}, bottom ${bottom}: nothing to compute`, 'ask for at least one eigenvalue');
  if (maxProducts < 1) throw new JetcurveError(`maxProducts ${maxProducts} allows no iteration`, 'pass maxProducts ≥ 1');
  const random = new Random(seed);
  const run = new LanczosRun(op, options.start ?? random.normals(op.size), random);
  let ritz: RitzSet | null = null;
  let atLastBreakdown: number[] | null = null;
  while (run.steps < maxProducts) {
    const closed = await run.step();
    ritz = ritzValues(run, top, bottom, tolerance, false);
    const values = ritz.wanted.map((w) => w.value);
    if (closed) {
      // The Krylov space closed: every residual is zero, but a repeated eigenvalue may still be
      // missing. Go on, restarted, until a whole new block leaves the wanted values unchanged.
      const previous: number[] | null = atLastBreakdown;
      const unchanged = previous !== null && previous.length === values.length
        && values.every((v, i) => Math.abs(v - previous[i]!) <= tolerance * ritz!.scale);
      if (unchanged) break;
      atLastBreakdown = values;
      continue;
    }
    if (run.steps >= op.size) break;
    if (ritz.wanted.every((w) => w.converged) && currentBlockConverged(run, top, bottom, tolerance * ritz.scale)) break;
  }
  // Ritz vectors (all rows of the small eigenvector matrix) once, at the end.
  if (!ritz || vectors || verify) ritz = ritzValues(run, top, bottom, tolerance, vectors || verify);
  let wanted = ritz.wanted;
  let products = run.steps;
  if (verify && wanted.length) {
    const hy = await op.apply(wanted.map((w) => w.vector!));
    products += wanted.length;
    wanted = wanted.map((w, i) => {
      const r = Float64Array.from(hy[i]!);
      axpy(-w.value, w.vector!, r);
      const verifiedResidual = norm(r);
      return { ...w, verifiedResidual, converged: w.converged && verifiedResidual <= tolerance * ritz!.scale };
    });
  }
  if (!vectors) wanted = wanted.map(({ vector: _, ...w }) => w);
  return {
    top: wanted.slice(0, ritz.topCount),
    bottom: wanted.slice(ritz.topCount),
    iterations: run.steps,
    products,
    basisSize: run.basis.length,
    symmetryDefect: ritz.scale > 0 ? run.symmetryDefect / ritz.scale : 0,
    breakdowns: run.breakdowns,
    alpha: Float64Array.from(run.alpha),
    beta: Float64Array.from(run.beta.slice(0, run.steps - 1)),
    scale: ritz.scale,
  };
}

/**
 * The Lanczos recurrence with full reorthogonalization (twice, against the whole basis), one
 * product per step. `beta[j]` couples q_j and q_{j+1}; `beta[steps−1]` is the current β_j of
 * the residuals. Shared by `lanczos` and stochastic Lanczos quadrature.
 */
export class LanczosRun {
  readonly basis: Float64Array[] = [];
  readonly alpha: number[] = [];
  readonly beta: number[] = [];
  symmetryDefect = 0;
  breakdowns = 0;
  /** Where the current block of T starts (after the last breakdown). */
  blockStart = 0;
  private next: Float64Array;

  constructor(private readonly op: SymmetricOperator, start: Float64Array, private readonly random: Random) {
    if (start.length !== op.size) throw new JetcurveError(`a start vector of length ${start.length} for an operator of size ${op.size}`, `pass a start vector of length ${op.size}`);
    const s = norm(start);
    if (!(s > 0) || !Number.isFinite(s)) throw new JetcurveError('the Lanczos start vector is zero or not finite', 'pass a finite non-zero start vector');
    this.next = start.map((x) => x / s);
  }

  get steps(): number { return this.alpha.length; }
  get size(): number { return this.op.size; }

  /** One product; returns true when the Krylov space closed (β_j negligible) and the next vector is a restart. */
  async step(): Promise<boolean> {
    const j = this.steps;
    const q = this.next;
    this.basis.push(q);
    const w = await applyOne(this.op, q);
    const a = dot(q, w);
    this.alpha.push(a);
    if (j > 0) {
      const prev = this.beta[j - 1]!;
      // For symmetric H, q_{j−1}ᵀ·H·q_j = β_{j−1} (0 after a restart).
      this.symmetryDefect = Math.max(this.symmetryDefect, Math.abs(dot(this.basis[j - 1]!, w) - prev));
    }
    const b = orthogonalizeTwice(w, this.basis);
    const scale = Math.max(...this.alpha.map(Math.abs), ...this.beta.map(Math.abs), b);
    if (this.basis.length >= this.op.size) {
      this.beta.push(b);
      return false;
    }
    if (b > 1e-10 * scale) {
      this.beta.push(b);
      this.next = w.map((x) => x / b);
      return false;
    }
    // Breakdown: an invariant subspace. T decouples (β = 0); restart with a random vector
    // orthogonal to the basis so that eigenvalues outside the subspace (or repeated) can appear.
    this.beta.push(0);
    this.breakdowns += 1;
    this.blockStart = j + 1;
    for (;;) {
      const r = this.random.normals(this.op.size);
      const rest = orthogonalizeTwice(r, this.basis);
      if (rest > 1e-8 * norm(r)) { this.next = r.map((x) => x / rest); return true; }
    }
  }
}

/**
 * After a restart the earlier blocks' Ritz values have zero residuals; the current block must
 * also bring its own extremes to convergence before the run may stop, or a repeated eigenvalue
 * that it is about to find would be missed.
 */
function currentBlockConverged(run: LanczosRun, top: number, bottom: number, threshold: number): boolean {
  const start = run.blockStart;
  if (start === 0) return true;
  const k = run.steps;
  const { values, rows } = tridiagonalEigen(run.alpha.slice(start), run.beta.slice(start, k - 1), [k - 1 - start]);
  const betaJ = run.beta[k - 1] ?? 0;
  const m = values.length;
  const extremes = new Set([...Array.from({ length: Math.min(top, m) }, (_, i) => m - 1 - i), ...Array.from({ length: Math.min(bottom, m) }, (_, i) => i)]);
  return [...extremes].every((i) => betaJ * Math.abs(rows[0]![i]!) <= threshold);
}

interface RitzSet {
  readonly wanted: RitzValue[];
  readonly topCount: number;
  readonly scale: number;
}

function ritzValues(run: LanczosRun, top: number, bottom: number, tolerance: number, withVectors: boolean): RitzSet {
  const k = run.steps;
  const rows = withVectors ? Array.from({ length: k }, (_, i) => i) : [k - 1];
  const { values, rows: s } = tridiagonalEigen(run.alpha, run.beta.slice(0, k - 1), rows);
  const last = s[s.length - 1]!;
  const betaJ = run.beta[k - 1] ?? 0;
  const scale = Math.max(...Array.from(values, Math.abs));
  const topCount = Math.min(top, k);
  const bottomCount = Math.min(bottom, k - topCount);
  const indices = [
    ...Array.from({ length: topCount }, (_, i) => k - 1 - i),
    ...Array.from({ length: bottomCount }, (_, i) => i),
  ];
  const wanted = indices.map((i): RitzValue => {
    const residual = betaJ * Math.abs(last[i]!);
    const value: RitzValue = { value: values[i]!, residual, converged: residual <= tolerance * scale };
    if (!withVectors) return value;
    const y = new Float64Array(run.size);
    run.basis.forEach((q, r) => axpy(s[r]![i]!, q, y));
    return { ...value, vector: y };
  });
  return { wanted, topCount, scale };
}
