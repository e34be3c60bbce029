// The directions along which ‖Dⁿf(x)‖ is measured, and the weights that turn directional
// derivatives into a norm. Both rules measure the same quantity, the sphere RMS
//     Sₙ(x) = ( E_{v uniform on the unit sphere} (Dⁿf(x)[v,…,v])² )^{1/2},
// where Dⁿf(x)[v,…,v] = n!·cₙ of the jet along v:
// - `random` (default, the paper's): R seeded random unit directions per point, equal weights:
//   an unbiased Monte-Carlo estimate of Sₙ², fine for any input size;
// - `sphere` (exact, small inputs): a cubature rule that integrates (Dⁿf[v,…,v])², a polynomial
//   of degree 2n in v, exactly: one direction in 1-D; n_max+1 equally spaced angles on the half
//   circle in 2-D; in d ≥ 3 the product Gauss–Hermite rule with n_max+1 nodes per coordinate
//   (E_g[T(g)²] for a standard normal g equals E_v[T(v)²]·E|g|^{2n}, E|g|^{2n} = d(d+2)…(d+2n−2)).
// Neither is the Frobenius norm of the symmetric tensor Dⁿf (n = 2: S₂² = (2·tr H² + (tr H)²)/(d(d+2)),
// not tr H²); the coordinate axes alone would give only the pure partials ∂ᵢⁿf.
import { JetcurveError } from '../errors.js';
import { Random } from '../util/random.js';

export type DirectionSpec =
  | { readonly kind: 'random'; readonly count: number; readonly seed: number }
  | { readonly kind: 'sphere' }
  /** Explicit directions, used as given (not normalized): `count` per point of the data, point-major [points][count][inputSize]. */
  | { readonly kind: 'given'; readonly count: number; readonly directions: Float64Array; readonly source?: string };

export interface DirectionRule {
  readonly spec: DirectionSpec;
  /** Directions per point. */
  readonly count: number;
  /** Row-major [points·count][inputSize]: point p's directions are rows p·count … p·count + count − 1. */
  readonly directions: Float64Array;
  /** Weight of direction i at order n: Sₙ² = Σᵢ weight(i, n)·(Dⁿ_{vᵢ}f)². */
  weight(i: number, n: number): number;
  readonly description: string;
}

/** Directions beyond this many per point make the exact rule too costly: random directions then. */
export const MAX_SPHERE_DIRECTIONS = 4096;

/**
 * The directions of `points` points. For `given` directions, `selected` says which points of
 * the data these are (their indices; all points in order when absent).
 */
export function directionRule(spec: DirectionSpec, points: number, inputSize: number, maxOrder: number, selected?: readonly number[]): DirectionRule {
  if (spec.kind === 'given') {
    const stride = spec.count * inputSize;
    const total = spec.directions.length / stride;
    const which = selected ?? Array.from({ length: points }, (_, p) => p);
    if (!Number.isInteger(total) || which.length !== points || which.some((p) => p >= total)) {
      throw new JetcurveError(`the given directions cover ${total} points of ${inputSize} inputs, ${which.length > points ? 'other' : 'more'} points were asked for`,
        'give R directions for every point of the data, shaped [R][points][inputs]');
    }
    const directions = new Float64Array(points * stride);
    which.forEach((p, s) => directions.set(spec.directions.subarray(p * stride, (p + 1) * stride), s * stride));
    return { spec, count: spec.count, directions, weight: () => 1 / spec.count,
      description: `${spec.count} given direction${spec.count > 1 ? 's' : ''} per point${spec.source ? ` (${spec.source})` : ''}, used as given (not normalized)` };
  }
  if (spec.kind === 'random') {
    if (!Number.isInteger(spec.count) || spec.count < 1) {
      throw new JetcurveError(`--directions ${spec.count} is not a positive integer`, 'give the number of random directions per point, e.g. --directions 4');
    }
    const random = new Random(spec.seed);
    const directions = new Float64Array(points * spec.count * inputSize);
    for (let r = 0; r < points * spec.count; r++) directions.set(random.unitVector(inputSize), r * inputSize);
    return { spec, count: spec.count, directions, weight: () => 1 / spec.count,
      description: `${spec.count} random unit direction${spec.count > 1 ? 's' : ''} per point (seed ${spec.seed})` };
  }
  const m = maxOrder + 1;
  if (inputSize === 1) return repeat(spec, points, [Float64Array.of(1)], () => 1, 'exact: the one direction of a 1-D input');
  if (inputSize === 2) {
    const dirs = Array.from({ length: m }, (_, j) => Float64Array.of(Math.cos((j * Math.PI) / m), Math.sin((j * Math.PI) / m)));
    return repeat(spec, points, dirs, () => 1 / m, `exact sphere RMS: ${m} equally spaced directions on the half circle`);
  }
  const count = m ** inputSize;
  if (count > MAX_SPHERE_DIRECTIONS) {
    throw new JetcurveError(`the exact sphere norm of a ${inputSize}-coordinate input up to order ${maxOrder} needs ${count} directions per point`,
      `it is meant for small inputs (at most ${MAX_SPHERE_DIRECTIONS} directions); use random directions (--norm random --directions R)`);
  }
  const { nodes, weights } = gaussHermite(m);
  const dirs: Float64Array[] = [];
  const w: number[] = [];
  for (let i = 0; i < count; i++) {
    const v = new Float64Array(inputSize);
    let wi = 1;
    for (let k = 0, rest = i; k < inputSize; k++, rest = Math.floor(rest / m)) {
      v[k] = nodes[rest % m]!;
      wi *= weights[rest % m]!;
    }
    dirs.push(v);
    w.push(wi);
  }
  const moment = (n: number) => { let s = 1; for (let k = 0; k < n; k++) s *= inputSize + 2 * k; return s; };
  return repeat(spec, points, dirs, (i, n) => w[i]! / moment(n),
    `exact sphere RMS: product Gauss–Hermite rule, ${m}^${inputSize} = ${count} directions per point`);
}

function repeat(spec: DirectionSpec, points: number, dirs: readonly Float64Array[], weight: (i: number, n: number) => number,
  description: string): DirectionRule {
  const size = dirs[0]!.length;
  const directions = new Float64Array(points * dirs.length * size);
  for (let p = 0; p < points; p++) dirs.forEach((v, i) => directions.set(v, (p * dirs.length + i) * size));
  return { spec, count: dirs.length, directions, weight, description };
}

/**
 * Nodes and weights of the m-point Gauss–Hermite rule for the standard normal density
 * (probabilists' Hermite polynomials He_m): roots by bisection between sign changes,
 * weights m!/(m²·He_{m−1}(x)²). Exact for polynomials of degree ≤ 2m − 1.
 */
export function gaussHermite(m: number): { nodes: number[]; weights: number[] } {
  const he = (x: number, k: number): number => {
    let a = 1;
    let b = x;
    if (k === 0) return a;
    for (let j = 1; j < k; j++) [a, b] = [b, x * b - j * a];
    return b;
  };
  const nodes: number[] = [];
  const limit = 2 * Math.sqrt(m) + 2;
  const steps = 2000 * m;
  for (let i = 0; i < steps; i++) {
    let lo = -limit + (2 * limit * i) / steps;
    let hi = lo + (2 * limit) / steps;
    const flo = he(lo, m);
    if (flo === 0) { nodes.push(lo); continue; }
    if (flo * he(hi, m) >= 0) continue;
    for (let it = 0; it < 80; it++) {
      const mid = (lo + hi) / 2;
      if (he(mid, m) * flo > 0) lo = mid;
      else hi = mid;
    }
    nodes.push((lo + hi) / 2);
  }
  // A root on a grid point is found from both of its intervals: keep one.
  const distinct = nodes.filter((v, i) => i === 0 || v - nodes[i - 1]! > 1e-9);
  nodes.length = 0;
  nodes.push(...distinct);
  if (nodes.length !== m) throw new Error(`Gauss–Hermite: found ${nodes.length} roots of He_${m}`);
  let mFactorial = 1;
  for (let j = 2; j <= m; j++) mFactorial *= j;
  const weights = nodes.map((x) => mFactorial / (m * m * he(x, m - 1) ** 2));
  return { nodes, weights };
}
