// Shared by the Node and the Chromium test runs: a kernel case runs one GPU op, runs the
// float64 reference on the same (f32-rounded) inputs, and reports the relative error per order,
//   err_k = ‖got_k − want_k‖₂ / ‖want_k‖₂   (norm over rows and features),
// next to the tolerance the case states. Outcomes are plain data so they cross page.evaluate.
import type { Engine } from '../../src/gpu/engine.js';
import { Jet } from '../../src/jet/jet.js';
import { featureCount } from '../../src/jet/layout.js';
import { jet64, type Jet64 } from '../../src/reference/jet64.js';
import { Random } from '../../src/util/random.js';

export interface CaseOutcome {
  readonly name: string;
  readonly errors: number[];
  readonly tolerances: number[];
  readonly ok: boolean;
  readonly detail: string;
}

export interface KernelCase {
  readonly name: string;
  run(engine: Engine): Promise<CaseOutcome>;
}

/** Orders every kernel is held to the reference at. */
export const TEST_ORDERS = [0, 1, 2, 4, 8, 16, 60] as const;

/** Unit roundoff of f32. Tolerances below are written as multiples of it. */
export const U32 = 2 ** -24;

export function orderErrors(got: ArrayLike<number>, want: Jet64): number[] {
  const K = want.order;
  const F = featureCount(want.shape);
  const num = new Float64Array(K + 1);
  const den = new Float64Array(K + 1);
  for (let row = 0; row < want.rows; row++) {
    for (let k = 0; k <= K; k++) {
      for (let f = 0; f < F; f++) {
        const i = (row * (K + 1) + k) * F + f;
        const w = want.data[i]!;
        const d = got[i]! - w;
        num[k]! += d * d;
        den[k]! += w * w;
      }
    }
  }
  const errors: number[] = [];
  for (let k = 0; k <= K; k++) {
    const g = Math.sqrt(num[k]!);
    const w = Math.sqrt(den[k]!);
    // An exactly zero reference order must come back exactly zero (or NaN-free and tiny).
    errors.push(w === 0 ? (g === 0 ? 0 : Number.isFinite(g) ? g : Infinity) : Number.isFinite(g) ? g / w : Infinity);
  }
  return errors;
}

/** ‖got − want‖₂ / ‖want‖₂ over all entries (the estimators' own, shared). */
export { relativeError } from '../../src/curvature/vector.js';

export function outcome(name: string, got: ArrayLike<number>, want: Jet64, tolerance: (k: number) => number): CaseOutcome {
  const errors = orderErrors(got, want);
  const tolerances = errors.map((_, k) => tolerance(k));
  const bad = errors.map((e, k) => [e, k] as const).filter(([e, k]) => !(e <= tolerances[k]!));
  const detail = bad.length === 0
    ? `max error ${Math.max(...errors).toExponential(2)}`
    : bad.slice(0, 4).map(([e, k]) => `order ${k}: error ${e.toExponential(3)} > tolerance ${tolerances[k]!.toExponential(2)}`).join('; ');
  return { name, errors, tolerances, ok: bad.length === 0, detail };
}

/** Random f32-representable values: the reference then sees exactly what the GPU sees. */
export function randomF32(random: Random, n: number, std = 1): Float64Array {
  const v = random.normals(n, std);
  for (let i = 0; i < n; i++) v[i] = Math.fround(v[i]!);
  return v;
}

/**
 * A random input jet whose order-k coefficients have size ~ decay^k: decay < 1 keeps the
 * composed series away from the range limits of f32 at order 60.
 */
export function randomJet64(random: Random, rows: number, order: number, shape: readonly number[], decay = 0.5, std = 1): Jet64 {
  const j = jet64(rows, order, shape);
  const F = featureCount(shape);
  for (let row = 0; row < rows; row++) {
    for (let k = 0; k <= order; k++) {
      for (let f = 0; f < F; f++) j.data[(row * (order + 1) + k) * F + f] = Math.fround(std * decay ** k * random.normal());
    }
  }
  return j;
}

export function toGpu(engine: Engine, j: Jet64): Jet {
  return Jet.fromArray(engine, Float32Array.from(j.data), j.rows, j.order, j.shape);
}

export function gpuBuffer(engine: Engine, values: Float64Array): GPUBuffer {
  return engine.upload(Float32Array.from(values));
}

/** Uploads the reference inputs, runs a GPU op on them, reads its output; all buffers go back to the pool. */
export async function runOp(engine: Engine, inputs: Jet64[], op: (...jets: Jet[]) => Jet): Promise<Float32Array> {
  const jets = inputs.map((j) => toGpu(engine, j));
  const y = op(...jets);
  const data = await y.read();
  y.release();
  for (const x of jets) x.release();
  return data;
}
