// Reverse-mode cases, shared by the Node and Chromium runs. For a scalar s = ⟨ȳ, f(inputs)⟩
// with a random cotangent ȳ over every output coefficient, a case is checked twice:
//  1. against the float64 reference gradient: central differences of the float64 forward
//     reference with one Richardson step (error O(h⁴), ~1e-10 here), per input coefficient;
//  2. by a gradient check on the GPU itself: ⟨x̄, d⟩ against the same Richardson difference of
//     s along a random direction d through the GPU's own f32 forward pass.
import type { Engine } from '../../src/gpu/engine.js';
import { Random } from '../../src/util/random.js';
import { U32, type CaseOutcome, type KernelCase } from './harness.js';

export interface VjpProblem {
  /** The inputs (jet coefficients, weights, biases), flattened and f32-representable. */
  readonly inputs: Float64Array[];
  /** Which inputs get a cotangent (e.g. not the labels). */
  readonly differentiable: boolean[];
  /** The cotangent of every output value. */
  readonly ybar: Float64Array;
  forward64(inputs: Float64Array[]): Float64Array;
  /** GPU forward pass on f32 copies of the inputs. */
  forwardGpu(engine: Engine, inputs: Float64Array[]): Promise<Float32Array>;
  /** GPU reverse pass: one cotangent array per differentiable input (in order). */
  vjpGpu(engine: Engine, inputs: Float64Array[], ybar: Float64Array): Promise<Float32Array[]>;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: ArrayLike<number>): number {
  return Math.sqrt(dot(a, a));
}

/** Richardson-extrapolated central difference: (4·D(h/2) − D(h))/3, D(h) = (g(h) − g(−h))/2h. */
async function richardson(g: (h: number) => Promise<number>, h: number): Promise<number> {
  const d = async (step: number) => ((await g(step)) - (await g(-step))) / (2 * step);
  return (4 * (await d(h / 2)) - (await d(h))) / 3;
}

export async function referenceGradient(p: VjpProblem, which: number): Promise<Float64Array> {
  const x = p.inputs[which]!;
  const grad = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const h = 1e-3 * Math.max(1, Math.abs(x[i]!));
    grad[i] = await richardson(async (step) => {
      const shifted = p.inputs.map((v, j) => (j === which ? v.map((xi, k) => (k === i ? xi + step : xi)) : v));
      return dot(p.ybar, p.forward64(shifted));
    }, h);
  }
  return grad;
}

export interface VjpTolerance {
  /** Relative error of each input cotangent against the float64 reference gradient. */
  readonly reference: number;
  /** Relative error of ⟨x̄, d⟩ against the f32 GPU difference quotient. */
  readonly gradientCheck: number;
}

export function vjpCase(name: string, make: () => VjpProblem, tolerance: VjpTolerance, seed = 1): KernelCase {
  return {
    name,
    async run(engine: Engine): Promise<CaseOutcome> {
      const p = make();
      const got = await p.vjpGpu(engine, p.inputs, p.ybar);
      const errors: number[] = [];
      const tolerances: number[] = [];
      const notes: string[] = [];
      let slot = 0;
      for (let which = 0; which < p.inputs.length; which++) {
        if (!p.differentiable[which]) continue;
        const want = await referenceGradient(p, which);
        const g = got[slot++]!;
        const diff = Array.from(want, (w, i) => g[i]! - w);
        const scale = norm(want);
        errors.push(scale === 0 ? norm(diff) : norm(diff) / scale);
        tolerances.push(tolerance.reference);
        notes.push(`input ${which}: ${errors.at(-1)!.toExponential(2)}`);
      }
      // Gradient check along one random direction of all differentiable inputs together.
      const random = new Random(seed);
      const dirs = p.inputs.map((v, j) => (p.differentiable[j] ? Float64Array.from(v, () => Math.fround(random.normal())) : new Float64Array(v.length)));
      let predicted = 0;
      slot = 0;
      for (let j = 0; j < p.inputs.length; j++) if (p.differentiable[j]) predicted += dot(got[slot++]!, dirs[j]!);
      const h = 1e-2;
      const measured = await richardson(async (step) => {
        const moved = p.inputs.map((v, j) => v.map((xi, i) => Math.fround(xi + step * dirs[j]![i]!)));
        return dot(p.ybar, await p.forwardGpu(engine, moved));
      }, h);
      const magnitude = Math.max(Math.abs(predicted), norm(got.flatMap((g) => Array.from(g))) * Math.sqrt(dirs.reduce((n, d) => n + dot(d, d), 0)) * 1e-3);
      errors.push(Math.abs(measured - predicted) / magnitude);
      tolerances.push(tolerance.gradientCheck);
      notes.push(`gradient check: ${errors.at(-1)!.toExponential(2)}`);
      const ok = errors.every((e, i) => e <= tolerances[i]!);
      return { name, errors, tolerances, ok, detail: notes.join('; ') };
    },
  };
}

export { U32 };
