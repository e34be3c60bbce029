// Sharpness-Aware Minimization (Foret et al.) as a regularizer: the gradient g at w, the ascent
// step e = ρ·g/‖g‖₂ (ASAM: e = ρ·T²g/‖Tg‖₂ with T = |w|), the gradient again at w + e on the same
// batch, and the weights copied back to w exactly (a copy, not w + e − e) before Adam uses the
// second gradient. Batches are plain rows. Nothing is read back.
import { samAscend, samScratch, type SamBuffer, type SamScratch } from '../../kernels/sam.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import type { Model } from '../model/model.js';
import { recordGradient, type Batch, type Objective, type Recorded } from './gradient.js';
import { plainBatch, type PreparedBatch, type Regularizer } from './regularizer.js';

/** Copies src[i] into dst[i] in queue order after everything recorded so far. */
function copyBuffers(engine: Engine, pairs: readonly (readonly [GPUBuffer, GPUBuffer, number])[]): void {
  engine.flush();
  const encoder = engine.device.createCommandEncoder();
  for (const [src, dst, bytes] of pairs) encoder.copyBufferToBuffer(src, 0, dst, 0, bytes);
  engine.device.queue.submit([encoder.finish()]);
}

export class SamRegularizer implements Regularizer {
  private readonly buffers: readonly SamBuffer[];
  private readonly backup: readonly GPUBuffer[];
  private readonly scratch: SamScratch;

  constructor(private readonly model: Model, readonly rho: number, readonly adaptive: boolean) {
    if (!(rho > 0 && Number.isFinite(rho))) throw new JetcurveError(`SAM's ρ must be positive and finite, got ${rho}`, 'pass e.g. --rho 0.05');
    const engine = model.engine;
    this.buffers = model.parameters.map((p) => ({ theta: p.value, grad: p.grad, count: p.size }));
    this.backup = model.parameters.map((p) => engine.pool.acquire(p.size * 4));
    this.scratch = samScratch(engine, this.buffers);
  }

  prepare(inputs: Float32Array, labels: Uint32Array): PreparedBatch {
    return plainBatch(inputs, labels);
  }

  /** Returns the value at w (the first pass); the gradient left in Parameter.grad is the one at w + e. */
  async gradient(model: Model, batch: Batch, objective?: Objective, dropoutSeed?: number): Promise<Recorded> {
    const first = await recordGradient(model, batch, objective, dropoutSeed);
    const params = model.parameters;
    copyBuffers(model.engine, params.map((p, i) => [p.value, this.backup[i]!, p.size * 4] as const));
    samAscend(model.engine, this.buffers, this.rho, this.adaptive, this.scratch);
    try {
      await recordGradient(model, batch, objective, dropoutSeed);
    } finally {
      copyBuffers(model.engine, params.map((p, i) => [this.backup[i]!, p.value, p.size * 4] as const));
    }
    return first;
  }

  async lastNorm(): Promise<number> {
    return (await this.model.engine.read(this.scratch.norm, 4))[0]!;
  }

  release(): void {
    const pool = this.model.engine.pool;
    for (const b of this.backup) pool.release(b);
    pool.release(this.scratch.partial);
    pool.release(this.scratch.norm);
  }
}
