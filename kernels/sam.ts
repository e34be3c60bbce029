// SAM's ascent step θ ← θ + e(θ, g) over several parameter buffers (see shaders/sam.wgsl):
// partial sums of squares per buffer, one global norm, then the perturbation — all recorded
// into the pending encoder, nothing read back.
import wgsl from '../shaders/sam.wgsl';
import type { Engine } from '../src/gpu/engine.js';

export const samSumsq = { name: 'sam', wgsl, entryPoint: 'sam_sumsq' } as const;
export const samNorm = { name: 'sam', wgsl, entryPoint: 'sam_norm' } as const;
export const samPerturb = { name: 'sam', wgsl, entryPoint: 'sam_perturb' } as const;

/** Values per thread in the sum of squares, and in the perturbation (measured on SwiftShader: 16 halves its time against 1). */
export const SUMSQ_CHUNK = 256;
export const PERTURB_CHUNK = 16;

export interface SamBuffer {
  readonly theta: GPUBuffer;
  readonly grad: GPUBuffer;
  readonly count: number;
}

/** Scratch for samAscend: the partial sums and the norm; allocate once per parameter set. */
export interface SamScratch {
  readonly partial: GPUBuffer;
  readonly norm: GPUBuffer;
  readonly partials: number;
}

export function samScratch(engine: Engine, buffers: readonly SamBuffer[]): SamScratch {
  const partials = buffers.reduce((n, b) => n + Math.ceil(b.count / SUMSQ_CHUNK), 0);
  return { partial: engine.zeros(partials * 4), norm: engine.zeros(4), partials };
}

/**
 * Records θ_i += ρ·s_i²·g_i/‖s·g‖ for every buffer, the norm taken over all of them together
 * (s = 1 for SAM, |θ| for ASAM). The norm is left in scratch.norm[0].
 */
export function samAscend(engine: Engine, buffers: readonly SamBuffer[], rho: number, adaptive: boolean, scratch: SamScratch): void {
  const base = { chunk: SUMSQ_CHUNK, adaptive: adaptive ? 1 : 0, partials: scratch.partials, rho };
  let offset = 0;
  for (const b of buffers) {
    const threads = Math.ceil(b.count / SUMSQ_CHUNK);
    engine.dispatch(samSumsq, { theta: b.theta, grad: b.grad, partial: scratch.partial }, { ...base, count: b.count, offset }, threads);
    offset += threads;
  }
  engine.dispatch(samNorm, { partial: scratch.partial, norm: scratch.norm }, { ...base, count: 0, offset: 0 }, 1);
  for (const b of buffers) {
    engine.dispatch(samPerturb, { theta: b.theta, grad: b.grad, norm: scratch.norm }, { ...base, chunk: PERTURB_CHUNK, count: b.count, offset: 0 },
      Math.ceil(b.count / PERTURB_CHUNK));
  }
}
