// The resampling statistics of the Two Moons notebook, as it computes them: a bootstrap of a
// least-squares slope with a percentile interval, and scipy's permutation_test with its default
// permutation_type='independent' (which pools the two samples and re-splits them: a test of
// whether err and λ come from one distribution, not of their correlation; stats.ts has the
// pairing permutation test of r, which is the right one, beside it).
import { percentile } from '../lambda/stats.js';
import { Random } from '../util/random.js';
import { linearFit, pearsonR } from './stats.js';

/** The central 95% of values (2.5th and 97.5th percentiles, NumPy's linear interpolation): what the notebook calls a "95% CI". */
export function percentileInterval(values: readonly number[]): readonly [number, number] {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? [percentile(sorted, 2.5), percentile(sorted, 97.5)] : [NaN, NaN];
}

/** The least-squares slope of y on x and its 95% percentile-bootstrap interval over resampled pairs. */
export function bootstrapSlope(x: readonly number[], y: readonly number[], resamples = 1000, seed = 0): { slope: number; ci95: readonly [number, number]; n: number } {
  const keep = x.map((v, i) => Number.isFinite(v) && Number.isFinite(y[i]!));
  const a = x.filter((_, i) => keep[i]);
  const b = y.filter((_, i) => keep[i]);
  const n = a.length;
  if (n < 3) return { slope: NaN, ci95: [NaN, NaN], n };
  const random = new Random(seed);
  const slopes: number[] = [];
  const xs = new Array<number>(n);
  const ys = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) { const j = random.int(n); xs[i] = a[j]!; ys[i] = b[j]!; }
    slopes.push(linearFit(xs, ys).slope);
  }
  return { slope: linearFit(a, b).slope, ci95: percentileInterval(slopes), n };
}

/**
 * scipy.stats.permutation_test((x, y), pearson r, permutation_type='independent'), two-sided:
 * the 2n values are pooled and dealt into two groups of n at random; p = (k + 1)/(N + 1) with
 * k the deals whose |r| reaches the observed one (scipy's own count adds the observed deal too).
 */
export function permutationTestIndependent(x: readonly number[], y: readonly number[], permutations = 10000, seed = 0): { r: number; p: number; n: number } {
  const keep = x.map((v, i) => Number.isFinite(v) && Number.isFinite(y[i]!));
  const a = x.filter((_, i) => keep[i]);
  const b = y.filter((_, i) => keep[i]);
  const n = a.length;
  const r = n >= 3 ? pearsonR(a, b) : NaN;
  if (!Number.isFinite(r)) return { r, p: NaN, n };
  const pooled = [...a, ...b];
  const random = new Random(seed);
  let extreme = 0;
  for (let k = 0; k < permutations; k++) {
    const perm = random.permutation(2 * n);
    const first = Array.from({ length: n }, (_, i) => pooled[perm[i]!]!);
    const second = Array.from({ length: n }, (_, i) => pooled[perm[n + i]!]!);
    if (Math.abs(pearsonR(first, second)) >= Math.abs(r) - 1e-12) extreme++;
  }
  return { r, p: (extreme + 1) / (permutations + 1), n };
}
