// λ along directions in PARAMETER space: the Taylor coefficients of t ↦ L(θ + t·v) for random
// unit directions v (GpuHessian.lossSeries: the weights as jets of order 1, up to order 60), in
// both conventions of λ: `raw`, the least-squares slope of log|Dⁿ_v L| = log|n!·cₙ| over orders
// 1..4, and `taylor`, −log of the radius of convergence fitted on the coefficients up to K.
// Each direction is run along s·v with a power-of-two s that brings its coefficients inside f32's
// range (the re-centring of src/jet/evaluate-jets.ts); the host divides by sⁿ.
import { recentre } from '../jet/evaluate-jets.js';
import { logRawDerivatives, rawLambda } from '../lambda/raw.js';
import { spread, type Spread } from '../lambda/stats.js';
import { estimateRadius } from '../lambda/taylor.js';
import { Random } from '../util/random.js';
import type { GpuHessian } from './gpu-hessian.js';

export interface ParameterLambdaOptions {
  /** Random unit directions (default 4). */
  readonly directions?: number;
  /** Highest order (default 60: the radius needs many). */
  readonly order?: number;
  readonly seed?: number;
}

export interface DirectionLambda {
  readonly raw: number;
  /** R² of the raw fit. */
  readonly r2: number;
  readonly taylor: number;
  readonly radius: number;
  /** The radius fit's relative change over the upper half of its window (its quality). */
  readonly tailChange: number;
}

export interface ParameterLambda {
  readonly directions: readonly DirectionLambda[];
  /** Over directions: the raw slope (orders 1–4) and −log R (over the directions where the radius fit succeeded). */
  readonly raw: Spread;
  readonly taylor: Spread;
  readonly order: number;
}

const MAX_PASSES = 6;

/** Coefficients of L along v with the scale that keeps them inside f32's range. */
async function scaledSeries(h: GpuHessian, v: Float64Array, order: number): Promise<Float64Array> {
  let log2Scale = 0;
  let c = await h.lossSeries(v, order, 1);
  for (let pass = 1; pass < MAX_PASSES; pass++) {
    const scaled = Float32Array.from(c, (x, k) => x * 2 ** (k * log2Scale));
    const shift = recentre(scaled, 0, order, 1);
    if (shift === 0) break;
    log2Scale += shift;
    c = await h.lossSeries(v, order, 2 ** log2Scale);
  }
  return c;
}

export async function parameterLambda(h: GpuHessian, options: ParameterLambdaOptions = {}): Promise<ParameterLambda> {
  const order = options.order ?? 60;
  const random = new Random(options.seed ?? 0);
  const out: DirectionLambda[] = [];
  for (let d = 0; d < (options.directions ?? 4); d++) {
    const v = random.unitVector(h.size);
    const c = await scaledSeries(h, v, order);
    const raw = rawLambda(logRawDerivatives(c), { from: 1, to: 4 });
    const taylor = estimateRadius(c);
    out.push({ raw: raw.lambda, r2: raw.r2, taylor: taylor.lambda, radius: taylor.radius, tailChange: taylor.tailChange });
  }
  // A radius the fit could not take (NaN: no clean asymptotic regime along that direction) is
  // left out of the spread, and stays NaN (null in JSON) in its direction's row.
  const finite = (xs: number[]) => xs.filter(Number.isFinite);
  return { directions: out, raw: spread(finite(out.map((d) => d.raw))), taylor: spread(finite(out.map((d) => d.taylor))), order };
}
