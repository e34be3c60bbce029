// One training step on the GPU: forward on a tape, the per-row loss jet, its cotangent from an
// objective, backward (parameter gradients accumulate in Parameter.grad), Adam. With SAM the
// gradient is taken a second time at the ascent point w + e before Adam uses it.
//
// The objective sees the per-row loss jet [rows][K+1] read back to the host and returns the
// cotangent of every coefficient. Plain training is K = 0 and the mean over rows; CRR (a later
// step) passes a jet of points × directions at order K and an objective whose penalty weighs
// the coefficients above 0 (src/train/crr.ts) — the same kernels run backward through them.
import { Adam, type AdamOptions, type AdamState } from '../../kernels/adam.js';
import { samAscend, samScratch, type SamBuffer, type SamScratch } from '../../kernels/sam.js';
import { differentiable } from '../autodiff/ops.js';
import { Tape } from '../autodiff/tape.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { Jet } from '../jet/jet.js';
import type { Model } from '../model/model.js';

export interface Batch {
  /** The inputs as a jet: rows × (d+1) × input shape (d = 0: the points themselves). */
  readonly input: Jet;
  /**
   * The order K ≥ d of the loss jet (default d): the input stands for the order-K jet whose
   * coefficients above d are zero, and the layers that keep them zero run at order d
   * (Model.record). CRR passes c_0, c_1 (d = 1) and K = max(orders).
   */
  readonly order?: number;
  /** One class label per row (kernels/softmax-xent.ts uploadLabels). */
  readonly labels: GPUBuffer;
}

export interface ObjectiveValue {
  /** The data term (mean cross-entropy). */
  readonly loss: number;
  /** What a regularizer adds (0 for plain training). */
  readonly penalty: number;
  /** d(loss + penalty)/d(coefficient) for every coefficient of the loss jet, [rows][K+1]. */
  readonly seed: Float32Array;
}

/** Maps the loss jet (one scalar per row, read back as [rows][K+1]) to the objective and its cotangent. */
export type Objective = (coefficients: Float32Array, rows: number, order: number) => ObjectiveValue;

/** Mean cross-entropy over the rows, from the order-0 coefficients; higher ones get no weight. */
export const meanCrossEntropy: Objective = (coefficients, rows, order) => {
  const seed = new Float32Array(rows * (order + 1));
  let loss = 0;
  for (let r = 0; r < rows; r++) {
    loss += coefficients[r * (order + 1)]!;
    seed[r * (order + 1)] = 1 / rows;
  }
  return { loss: loss / rows, penalty: 0, seed };
};

/** The loss (or penalty) came out NaN or infinite: training has diverged. */
export class NonFiniteLossError extends JetcurveError {
  constructor(readonly value: ObjectiveValue) {
    super(`the training loss is not finite (loss ${value.loss}, penalty ${value.penalty})`, 'lower --lr (or the penalty scale); what was written before stays');
  }
}

/**
 * Sets every Parameter.grad of `network` to the gradient of the objective on `batch` and
 * returns the objective's value. Throws NonFiniteLossError (before any backward work) when the
 * value is not finite.
 */
export async function gradient(network: Model, batch: Batch, objective: Objective = meanCrossEntropy, dropoutSeed?: number): Promise<ObjectiveValue> {
  network.zeroGrads();
  const tape = new Tape();
  try {
    const logits = network.record(tape, batch.input, dropoutSeed, batch.order);
    const loss = differentiable.softmaxCrossEntropy(tape, logits, batch.labels);
    const value = objective(await loss.read(), loss.rows, loss.order);
    if (!Number.isFinite(value.loss) || !Number.isFinite(value.penalty)) throw new NonFiniteLossError(value);
    const seed = Jet.fromArray(network.engine, value.seed, loss.rows, loss.order, [1]);
    tape.backward(loss, seed);
    seed.release();
    return value;
  } finally {
    tape.release();
  }
}

export type Regularizer =
  | { readonly kind: 'none' }
  /** Foret et al.'s SAM (adaptive: ASAM's elementwise |w| scaling). */
  | { readonly kind: 'sam'; readonly rho: number; readonly adaptive: boolean };

export interface TrainerState {
  readonly parameters: readonly Float32Array[];
  readonly adam: readonly AdamState[];
}

/** Copies src[i] into dst[i] in queue order after everything recorded so far. */
function copyBuffers(engine: Engine, pairs: readonly (readonly [GPUBuffer, GPUBuffer, number])[]): void {
  engine.flush();
  const encoder = engine.device.createCommandEncoder();
  for (const [src, dst, bytes] of pairs) encoder.copyBufferToBuffer(src, 0, dst, 0, bytes);
  engine.device.queue.submit([encoder.finish()]);
}

export class Trainer {
  /** One Adam per parameter tensor (the kernel works on one flat buffer). */
  readonly optimizers: readonly Adam[];
  private readonly sam: { readonly buffers: readonly SamBuffer[]; readonly backup: readonly GPUBuffer[]; readonly scratch: SamScratch } | null = null;

  constructor(readonly network: Model, adam: AdamOptions, readonly regularizer: Regularizer = { kind: 'none' }) {
    const engine = network.engine;
    this.optimizers = network.parameters.map((p) => new Adam(engine, p.size, adam));
    if (regularizer.kind === 'sam') {
      if (!(regularizer.rho > 0 && Number.isFinite(regularizer.rho))) {
        throw new JetcurveError(`SAM's ρ must be positive and finite, got ${regularizer.rho}`, 'pass e.g. --rho 0.05');
      }
      const buffers = network.parameters.map((p) => ({ theta: p.value, grad: p.grad, count: p.size }));
      this.sam = { buffers, backup: network.parameters.map((p) => engine.pool.acquire(p.size * 4)), scratch: samScratch(engine, buffers) };
    }
  }

  /** Adam steps taken so far. */
  get steps(): number {
    return this.optimizers[0]?.steps ?? 0;
  }

  /**
   * One step; returns the objective at the current weights (before the update; for SAM, the
   * first of its two passes). `dropoutSeed` (u32) turns dropout on; SAM's two passes share it.
   */
  async step(batch: Batch, objective: Objective = meanCrossEntropy, dropoutSeed?: number): Promise<ObjectiveValue> {
    const network = this.network;
    const value = await gradient(network, batch, objective, dropoutSeed);
    if (this.sam) {
      const { buffers, backup, scratch } = this.sam;
      const params = network.parameters;
      copyBuffers(network.engine, params.map((p, i) => [p.value, backup[i]!, p.size * 4] as const));
      if (this.regularizer.kind === 'sam') samAscend(network.engine, buffers, this.regularizer.rho, this.regularizer.adaptive, scratch);
      try {
        await gradient(network, batch, objective, dropoutSeed);
      } finally {
        // Back to w exactly (a copy, not w + e − e), then the update with the gradient at w + e.
        copyBuffers(network.engine, params.map((p, i) => [backup[i]!, p.value, p.size * 4] as const));
      }
    }
    network.parameters.forEach((p, i) => this.optimizers[i]!.step(p.value, p.grad));
    return value;
  }

  /** The global gradient norm SAM used in its last step (scaled by |w| for ASAM), read back. */
  async lastSamNorm(): Promise<number | null> {
    return this.sam ? (await this.network.engine.read(this.sam.scratch.norm, 4))[0]! : null;
  }

  async state(): Promise<TrainerState> {
    const adam: AdamState[] = [];
    for (const o of this.optimizers) adam.push(await o.state());
    return { parameters: await this.network.readParameters(), adam };
  }

  restore(state: TrainerState): void {
    if (state.adam.length !== this.optimizers.length) {
      throw new JetcurveError(`checkpoint holds Adam state for ${state.adam.length} tensors, the network has ${this.optimizers.length}`, 'resume with the same model, or start a new run');
    }
    this.network.writeParameters(state.parameters);
    state.adam.forEach((s, i) => this.optimizers[i]!.restore(s));
  }

  release(): void {
    for (const o of this.optimizers) o.release();
    if (this.sam) {
      for (const b of this.sam.backup) this.network.engine.pool.release(b);
      this.network.engine.pool.release(this.sam.scratch.partial);
      this.network.engine.pool.release(this.sam.scratch.norm);
    }
  }
}
