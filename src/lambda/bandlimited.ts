// The band-limited row of the analytic suite (§5.1): a synthesized signal with spectral cutoff Ω,
// whose raw derivative norms grow like Ωⁿ, so λ_raw = log Ω.
//
// Signal: f(x) = Σ_{j=1..M} M^{-1/2}·sin(ω_j·x + φ_j), ω_j = j·Ω/M (a flat spectrum filling
// [0, Ω]), phases φ_j seeded-uniform. Its period is 2π·M/Ω; ‖Dⁿf‖ is the RMS of Dⁿf over N > 2M
// equally spaced points of one period, where discrete orthogonality makes it exactly the
// continuous L² mean ½·Σ a_j²·ω_j^{2n}. Dⁿ sin(ωx+φ) = ωⁿ·sin(ωx+φ+nπ/2) in closed form; at n = 60
// ωⁿ ~ 1e159, so values are carried as (scaled sum, n·log s) and only logs leave this file.
//
// Finite-band ("finite-domain") correction: for a spectrum confined to the finite domain
// [−Ω, Ω] with density |F|², ‖Dⁿf‖² = ∫ω^{2n}|F(ω)|²dω = |F|²·2Ω^{2n+1}/(2n+1) when |F| is flat near
// the edge. The factor (2n+1)^{-1/2} bends log‖Dⁿf‖ below the line n·log Ω, so the plain slope is
// low by about 1/(2n̄). The corrected estimate fits log‖Dⁿf‖ + ½·log(2n+1) instead.
import { Random } from '../util/random.js';
import { logRms } from './stats.js';
import { fitLine } from './fit.js';

export interface BandLimitedSignal {
  readonly cutoff: number;
  readonly frequencies: Float64Array;
  readonly amplitudes: Float64Array;
  readonly phases: Float64Array;
  /** Sample points: one period, equally spaced. */
  readonly samples: number;
  readonly period: number;
}

export function bandLimitedSignal(cutoff = 450, components = 900, seed = 1): BandLimitedSignal {
  const random = new Random(seed);
  const frequencies = Float64Array.from({ length: components }, (_, j) => ((j + 1) * cutoff) / components);
  const amplitudes = new Float64Array(components).fill(1 / Math.sqrt(components));
  const phases = Float64Array.from({ length: components }, () => random.between(0, 2 * Math.PI));
  // 2^⌈log2(2M+1)⌉ samples: more than 2M, so the products of distinct components average to zero exactly.
  const samples = 2 ** Math.ceil(Math.log2(2 * components + 1));
  return { cutoff, frequencies, amplitudes, phases, samples, period: (2 * Math.PI * components) / cutoff };
}

/** log‖Dⁿf‖ (RMS over the sample points) for n = 0..order. */
export function bandLimitedLogNorms(signal: BandLimitedSignal, order: number): Float64Array {
  const { frequencies: w, amplitudes: a, phases, samples, period } = signal;
  // Scale each ωⁿ by sⁿ (a power of two at least the cutoff) so the sums stay near 1.
  const s = 2 ** Math.ceil(Math.log2(Math.max(...w)));
  const ratio = w.map((v) => v / s);
  const sums = Array.from({ length: order + 1 }, () => new Float64Array(samples));
  for (let i = 0; i < samples; i++) {
    const x = (i * period) / samples;
    for (let j = 0; j < w.length; j++) {
      const theta = w[j]! * x + phases[j]!;
      // sin(θ + nπ/2) cycles through sin, cos, −sin, −cos.
      const cycle = [Math.sin(theta), Math.cos(theta), -Math.sin(theta), -Math.cos(theta)];
      let r = a[j]!;
      for (let n = 0; n <= order; n++) {
        sums[n]![i]! += r * cycle[n % 4]!;
        r *= ratio[j]!;
      }
    }
  }
  return Float64Array.from(sums, (values, n) => logRms(values.map((v) => Math.log(Math.abs(v)))) + n * Math.log(s));
}

export interface CutoffEstimate {
  /** Ω from the plain slope of log‖Dⁿf‖. */
  readonly plain: number;
  /** Ω from the slope of log‖Dⁿf‖ + ½·log(2n+1) (finite-band correction). */
  readonly corrected: number;
  readonly orders: readonly [number, number];
  readonly r2Plain: number;
  readonly r2Corrected: number;
  /** The corrected line, log‖Dⁿf‖ ≈ intercept + n·log Ω − ½·log(2n+1), for plots. */
  readonly intercept: number;
}

export function estimateCutoff(logNorms: ArrayLike<number>, from = 1, to = logNorms.length - 1): CutoffEstimate {
  const ns = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  const plain = fitLine(ns, ns.map((n) => logNorms[n]!));
  const corrected = fitLine(ns, ns.map((n) => logNorms[n]! + 0.5 * Math.log(2 * n + 1)));
  return {
    plain: Math.exp(plain.slope), corrected: Math.exp(corrected.slope), orders: [from, to],
    r2Plain: plain.r2, r2Corrected: corrected.r2, intercept: corrected.intercept,
  };
}
