// Summary statistics over points, and root-mean-squares taken in log space (raw derivatives
// of order 60 reach 1e159: their squares would overflow f64).

export interface Spread {
  readonly count: number;
  readonly mean: number;
  /** Sample standard deviation (n − 1); 0 for one value. */
  readonly std: number;
  /** The central 95% of the values: [2.5th, 97.5th] percentile (linear interpolation). */
  readonly interval95: readonly [number, number];
  /** 95% confidence interval of the mean, mean ± 1.96·std/√n. */
  readonly meanCI95: readonly [number, number];
}

export function spread(values: readonly number[]): Spread {
  const n = values.length;
  if (n === 0) return { count: 0, mean: NaN, std: NaN, interval95: [NaN, NaN], meanCI95: [NaN, NaN] };
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  const sorted = [...values].sort((a, b) => a - b);
  const half = 1.96 * std / Math.sqrt(n);
  return { count: n, mean, std, interval95: [percentile(sorted, 2.5), percentile(sorted, 97.5)], meanCI95: [mean - half, mean + half] };
}

/** The median of the finite values (NaN if none). */
export function median(values: ArrayLike<number>): number {
  const sorted = Array.from(values).filter(Number.isFinite).sort((a, b) => a - b);
  return sorted.length ? percentile(sorted, 50) : NaN;
}

export function percentile(sorted: readonly number[], p: number): number {
  const i = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(i);
  const hi = Math.ceil(i);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (i - lo);
}

/** log √(mean exp(2·lᵢ)): the RMS of values given by their logs (−∞ for zeros). */
export function logRms(logs: ArrayLike<number>): number {
  return logRootWeightedSum(logs, Array.from(logs, () => 1 / logs.length));
}

/** log √(Σ wᵢ·exp(2·lᵢ)) for weights wᵢ ≥ 0, computed around the largest term so nothing overflows. */
export function logRootWeightedSum(logs: ArrayLike<number>, weights: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < logs.length; i++) if (weights[i]! > 0 && logs[i]! > max) max = logs[i]!;
  if (max === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < logs.length; i++) if (weights[i]! > 0) s += weights[i]! * Math.exp(2 * (logs[i]! - max));
  return max + 0.5 * Math.log(s);
}
