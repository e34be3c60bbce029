// One training step: the regularizer's gradient (src/train/regularizer.ts: plain and CRR take it
// once, SAM a second time at its ascent point), then Adam. Recording a step does not wait for
// the GPU; its value comes back as a promise.
import { Adam, type AdamOptions, type AdamState } from '../../kernels/adam.js';
import { JetcurveError } from '../errors.js';
import type { Model } from '../model/model.js';
import { CrrRegularizer, CrrTargetRegularizer, type CrrRun } from './crr.js';
import type { Batch, Objective, Recorded, StepValue } from './gradient.js';
import { EvalModePenalty } from './eval-mode-penalty.js';
import { plain, type Regularizer } from './regularizer.js';
import { SamRegularizer } from './sam.js';

export { gradient, meanCrossEntropy, recordGradient, NonFiniteLossError, type Batch, type Objective, type StepValue } from './gradient.js';

/** What a run asks for; makeRegularizer builds it for a model. */
export type RegularizerSpec =
  | { readonly kind: 'none' }
  /** Foret et al.'s SAM (adaptive: ASAM's elementwise |w| scaling). */
  | { readonly kind: 'sam'; readonly rho: number; readonly adaptive: boolean }
  | { readonly kind: 'crr'; readonly crr: CrrRun }
  /** flatgrad's target-λ regularizer: scale·(λ̂ − λ*)² on the same jets. */
  | { readonly kind: 'crr-target'; readonly crr: CrrRun; readonly target: number };

export function makeRegularizer(model: Model, spec: RegularizerSpec): Regularizer {
  switch (spec.kind) {
    case 'none': return plain;
    case 'sam': return new SamRegularizer(model, spec.rho, spec.adaptive);
    // BatchNorm has batch statistics at order 0 only: its penalty pass runs in eval mode.
    case 'crr': return withBatchNorm(model, new CrrRegularizer(spec.crr));
    case 'crr-target': return withBatchNorm(model, new CrrTargetRegularizer(spec.crr, spec.target));
  }
}

function withBatchNorm(model: Model, crr: Regularizer): Regularizer {
  return model.buffers.length > 0 ? new EvalModePenalty(crr) : crr;
}

export interface TrainerState {
  readonly parameters: readonly Float32Array[];
  readonly adam: readonly AdamState[];
  /** BatchNorm's running statistics (Model.buffers); absent in checkpoints of models without them. */
  readonly buffers?: readonly Float32Array[];
}

export class Trainer {
  /** One Adam per parameter tensor (the kernel works on one flat buffer). */
  readonly optimizers: readonly Adam[];
  readonly regularizer: Regularizer;

  constructor(readonly network: Model, adam: AdamOptions, regularizer: RegularizerSpec | Regularizer = { kind: 'none' }) {
    this.optimizers = network.parameters.map((p) => new Adam(network.engine, p.size, adam));
    this.regularizer = 'kind' in regularizer ? makeRegularizer(network, regularizer) : regularizer;
  }

  /** Adam steps taken so far. */
  get steps(): number {
    return this.optimizers[0]?.steps ?? 0;
  }

  /**
   * Records one step and returns without waiting for the GPU; `value` is the objective at the
   * current weights (before the update; for SAM, the first of its passes). `dropoutSeed` (u32)
   * turns dropout on.
   */
  async record(batch: Batch, objective?: Objective, dropoutSeed?: number): Promise<Recorded> {
    const recorded = await this.regularizer.gradient(this.network, batch, objective, dropoutSeed);
    this.network.parameters.forEach((p, i) => this.optimizers[i]!.step(p.value, p.grad));
    return recorded;
  }

  /** One step, waiting for its value. */
  async step(batch: Batch, objective?: Objective, dropoutSeed?: number): Promise<StepValue> {
    return (await this.record(batch, objective, dropoutSeed)).value;
  }

  /** The global gradient norm SAM used in its last step (scaled by |w| for ASAM), read back; null without SAM. */
  async lastSamNorm(): Promise<number | null> {
    return this.regularizer.lastNorm ? this.regularizer.lastNorm() : null;
  }

  async state(): Promise<TrainerState> {
    const adam: AdamState[] = [];
    for (const o of this.optimizers) adam.push(await o.state());
    const buffers = await this.network.readBuffers();
    return { parameters: await this.network.readParameters(), adam, ...(buffers.length ? { buffers } : {}) };
  }

  restore(state: TrainerState): void {
    if (state.adam.length !== this.optimizers.length) {
      throw new JetcurveError(`checkpoint holds Adam state for ${state.adam.length} tensors, the network has ${this.optimizers.length}`, 'resume with the same model, or start a new run');
    }
    this.network.writeParameters(state.parameters);
    this.network.writeBuffers(state.buffers ?? []);
    state.adam.forEach((s, i) => this.optimizers[i]!.restore(s));
  }

  release(): void {
    for (const o of this.optimizers) o.release();
    this.regularizer.release();
  }
}
