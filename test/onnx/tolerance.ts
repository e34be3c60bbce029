// "To float32 rounding": how far two float32 evaluations of a network may be apart.
//
// A dot product of length L rounded in f32 is off by at most about L·u·Σ|wᵢxᵢ| (u = U32 = 2^-24),
// and two f32 evaluations that sum in different orders (ONNX Runtime's blocked FMA kernels, our
// WGSL loops) differ by up to twice that. We allow 4·L·U32·max|y|, with L the longest dot product
// of the network (fan-in of a dense layer, C·kh·kw of a conv) and max|y| the largest output
// magnitude: a few ulp of the output per term of the longest sum. Measured differences are a few
// units of U32·max|y|, far below the bound, while any mapping mistake (a transpose, padding, a
// lost bias) is O(1).
import { expect } from 'vitest';
import type { ModelSpec } from '../../src/model/spec.js';

export const U32 = 2 ** -24;

/** The longest dot product of the network: what a rounding error of one output accumulates over. */
export function longestDot(spec: ModelSpec): number {
  let longest = 1;
  for (const layer of spec.layers) {
    if (layer.type === 'dense' || layer.type === 'conv2d') longest = Math.max(longest, layer.weight.shape.slice(1).reduce((a, b) => a * b, 1));
  }
  return longest;
}

/** The bound in units of U32·max|y|. */
export const roundingBound = (spec: ModelSpec): number => 4 * longestDot(spec);

export interface Gap { maxAbs: number; maxRel: number; inUnits: number }

/** max |a − b|, max |a − b|/|b|, and max |a − b| in units of U32·max|b|. */
export function gap(got: ArrayLike<number>, want: ArrayLike<number>): Gap {
  expect(got.length).toBe(want.length);
  let maxAbs = 0;
  let maxRel = 0;
  let scale = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(got[i]! - want[i]!);
    maxAbs = Math.max(maxAbs, d);
    if (want[i] !== 0) maxRel = Math.max(maxRel, d / Math.abs(want[i]!));
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return { maxAbs, maxRel, inUnits: maxAbs / (U32 * scale) };
}

export const gapText = (g: Gap): string => `max abs ${g.maxAbs.toExponential(2)}, max rel ${g.maxRel.toExponential(2)}, ${g.inUnits.toFixed(2)} U32·max|y|`;

/** Checks got against want within the bound of spec, and returns the gap for the log. */
export function expectWithinRounding(got: ArrayLike<number>, want: ArrayLike<number>, spec: ModelSpec): Gap {
  const g = gap(got, want);
  expect(g.inUnits, gapText(g)).toBeLessThanOrEqual(roundingBound(spec));
  return g;
}
