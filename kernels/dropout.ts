// Inverted dropout of a jet with a hashed mask (shaders/dropout.wgsl); the same call with the
// same seed is its vector-Jacobian product.
import wgsl from '../shaders/dropout.wgsl';
import type { Jet } from '../src/jet/jet.js';
import { JetcurveError } from '../src/errors.js';
import { runUnary } from './elementwise.js';

export const dropoutApply = { name: 'dropout', wgsl, entryPoint: 'dropout_apply' } as const;

/** y = x·m/(1 − rate), m ~ Bernoulli(1 − rate) per (row, feature) from `seed` (a u32). */
export function dropout(x: Jet, rate: number, seed: number): Jet {
  if (!(rate >= 0 && rate < 1)) throw new JetcurveError(`dropout rate must lie in [0, 1), got ${rate}`, 'pass e.g. 0.25');
  const keep = 1 - rate;
  return runUnary(dropoutApply, x, { seed: seed >>> 0, threshold: Math.min(0xffffffff, Math.round(keep * 2 ** 32)), scale: 1 / keep });
}
