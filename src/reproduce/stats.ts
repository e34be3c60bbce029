// Statistics of the reproduction reports: means with t-based 95% intervals, Pearson and Spearman
// correlation with two-sided p-values, a seeded permutation test, and a least-squares slope.
// The paper reports Pearson r with its t-test p and a permutation p (§5.2), so we give both.
import { Random } from '../util/random.js';

export interface Summary {
  readonly n: number;
  readonly mean: number;
  /** Standard deviation: the sample's (ddof 1, n − 1) by default, the population's with ddof 0 (NumPy's np.std); 0 for one value, NaN for none. */
  readonly std: number;
  /** 95% confidence interval of the mean, mean ± t_{0.975, n−1}·std/√n (NaN for n < 2). */
  readonly ci95: readonly [number, number];
}

/** Mean, std and the t interval of the mean (which uses the sample std whatever `ddof` says). */
export function summarize(values: readonly number[], ddof: 0 | 1 = 1): Summary {
  const v = values.filter((x) => Number.isFinite(x));
  const n = v.length;
  if (n === 0) return { n, mean: NaN, std: NaN, ci95: [NaN, NaN] };
  const mean = v.reduce((a, b) => a + b, 0) / n;
  const squares = v.reduce((a, x) => a + (x - mean) ** 2, 0);
  const sample = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
  const half = n > 1 ? tQuantile975(n - 1) * sample / Math.sqrt(n) : NaN;
  return { n, mean, std: ddof === 0 ? Math.sqrt(squares / n) : sample, ci95: [mean - half, mean + half] };
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, 9 terms: ~15 digits). */
export function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** The regularized incomplete beta function I_x(a, b) (continued fraction, Numerical Recipes §6.4). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast for x < (a+1)/(a+b+2); use the symmetry otherwise.
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - (a + b) * x / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let f = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let num = m * (b - m) * x / ((a + m2 - 1) * (a + m2));
    d = 1 + num * d; if (Math.abs(d) < tiny) d = tiny; d = 1 / d;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    f *= d * c;
    num = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1));
    d = 1 + num * d; if (Math.abs(d) < tiny) d = tiny; d = 1 / d;
    c = 1 + num / c; if (Math.abs(c) < tiny) c = tiny;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return front * f / a;
}

/** P(|T| ≥ |t|) for Student's t with ν degrees of freedom. */
export function tTwoSidedP(t: number, nu: number): number {
  if (!Number.isFinite(t)) return Number.isNaN(t) ? NaN : 0;
  return incompleteBeta(nu / (nu + t * t), nu / 2, 0.5);
}

/** The 97.5% quantile of Student's t (bisection on the p-value; ν ≥ 1). */
export function tQuantile975(nu: number): number {
  let lo = 0;
  let hi = 20;
  while (tTwoSidedP(hi, nu) > 0.05) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (tTwoSidedP(mid, nu) > 0.05) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

export interface Correlation {
  readonly n: number;
  readonly r: number;
  /** Two-sided p of H0: no correlation, from t = r·√((n−2)/(1−r²)) with n − 2 degrees of freedom. */
  readonly p: number;
}

function pairs(x: readonly number[], y: readonly number[]): [number[], number[]] {
  if (x.length !== y.length) throw new Error(`correlation of ${x.length} and ${y.length} values`);
  const keep = x.map((v, i) => Number.isFinite(v) && Number.isFinite(y[i]!));
  return [x.filter((_, i) => keep[i]), y.filter((_, i) => keep[i])];
}

export function pearsonR(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

function withP(n: number, r: number): Correlation {
  if (n < 3 || !Number.isFinite(r)) return { n, r, p: NaN };
  const t = Math.abs(r) >= 1 ? Infinity : r * Math.sqrt((n - 2) / (1 - r * r));
  return { n, r, p: tTwoSidedP(t, n - 2) };
}

/** Pearson's r over the pairs where both values are finite. */
export function pearson(x: readonly number[], y: readonly number[]): Correlation {
  const [a, b] = pairs(x, y);
  return withP(a.length, pearsonR(a, b));
}

/** Ranks 1..n, ties given their mean rank. */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((p, q) => p[0] - q[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Spearman's ρ (Pearson's r of the ranks), with the same t approximation for p. */
export function spearman(x: readonly number[], y: readonly number[]): Correlation {
  const [a, b] = pairs(x, y);
  return withP(a.length, pearsonR(ranks(a), ranks(b)));
}

/**
 * Two-sided permutation test of Pearson's r: the fraction of `permutations` random relabellings
 * of y with |r| ≥ |r_observed|, counting the observed one ((k + 1)/(N + 1), never 0).
 */
export function permutationTest(x: readonly number[], y: readonly number[], permutations = 10000, seed = 0): Correlation {
  const [a, b] = pairs(x, y);
  const r = pearsonR(a, b);
  if (a.length < 3 || !Number.isFinite(r)) return { n: a.length, r, p: NaN };
  const random = new Random(seed);
  let extreme = 0;
  const shuffled = [...b];
  for (let k = 0; k < permutations; k++) {
    const perm = random.permutation(b.length);
    for (let i = 0; i < b.length; i++) shuffled[i] = b[perm[i]!]!;
    if (Math.abs(pearsonR(a, shuffled)) >= Math.abs(r) - 1e-12) extreme++;
  }
  return { n: a.length, r, p: (extreme + 1) / (permutations + 1) };
}

/** Least-squares line y ≈ a + b·x. */
export function linearFit(x: readonly number[], y: readonly number[]): { slope: number; intercept: number } {
  const [a, b] = pairs(x, y);
  const n = a.length;
  const mx = a.reduce((s, v) => s + v, 0) / n;
  const my = b.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) { sxy += (a[i]! - mx) * (b[i]! - my); sxx += (a[i]! - mx) ** 2; }
  const slope = sxx > 0 ? sxy / sxx : NaN;
  return { slope, intercept: my - slope * mx };
}
