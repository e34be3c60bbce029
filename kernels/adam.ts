// Adam on the GPU: the optimizer state (first and second moments, step count) next to a flat
// f32 parameter buffer, updated in place by one dispatch per step (see shaders/adam.wgsl).
import wgsl from '../shaders/adam.wgsl';
import type { Engine } from '../src/gpu/engine.js';
import { JetcurveError } from '../src/errors.js';

export const adamStepKernel = { name: 'adam', wgsl, entryPoint: 'adam_step' } as const;

/**
 * `l2`: PyTorch's Adam(weight_decay=…), wd·θ added to the gradient (so it passes through the
 * moments). `decoupled`: PyTorch's AdamW, θ shrunk by lr·wd outside the moments (Loshchilov & Hutter).
 */
export type WeightDecayMode = 'l2' | 'decoupled';

export interface AdamOptions {
  readonly lr: number;
  /** Defaults as PyTorch: 0.9, 0.999, 1e-8, no weight decay, mode `l2` (AdamW's default decay is 0.01, pass it). */
  readonly beta1?: number;
  readonly beta2?: number;
  readonly eps?: number;
  readonly weightDecay?: number;
  readonly decay?: WeightDecayMode;
}

export type AdamSettings = Required<AdamOptions>;

export function adamSettings(options: AdamOptions): AdamSettings {
  const s: AdamSettings = {
    lr: options.lr, beta1: options.beta1 ?? 0.9, beta2: options.beta2 ?? 0.999, eps: options.eps ?? 1e-8,
    weightDecay: options.weightDecay ?? 0, decay: options.decay ?? 'l2',
  };
  const bad = (what: string, value: number, range: string): JetcurveError =>
    new JetcurveError(`Adam: ${what} must be ${range}, got ${value}`, `pass a ${what} ${range}`);
  if (!(s.lr > 0 && Number.isFinite(s.lr))) throw bad('learning rate', s.lr, 'positive and finite');
  if (!(s.beta1 >= 0 && s.beta1 < 1)) throw bad('beta1', s.beta1, 'in [0, 1)');
  if (!(s.beta2 >= 0 && s.beta2 < 1)) throw bad('beta2', s.beta2, 'in [0, 1)');
  if (!(s.eps > 0 && Number.isFinite(s.eps))) throw bad('eps', s.eps, 'positive and finite');
  if (!(s.weightDecay >= 0 && Number.isFinite(s.weightDecay))) throw bad('weight decay', s.weightDecay, '≥ 0 and finite');
  return s;
}

export interface AdamBuffers {
  /** Updated in place. */
  readonly theta: GPUBuffer;
  readonly grad: GPUBuffer;
  readonly m: GPUBuffer;
  readonly v: GPUBuffer;
}

/** Records step number `step` (1 for the first) over `count` parameters. */
export function adamStep(engine: Engine, buffers: AdamBuffers, count: number, step: number, settings: AdamSettings): void {
  if (!Number.isInteger(step) || step < 1) throw new Error(`Adam step count must be an integer ≥ 1, got ${step}`);
  for (const name of ['theta', 'grad', 'm', 'v'] as const) {
    const buffer = buffers[name];
    if (buffer.size < count * 4) throw new Error(`Adam: buffer '${name}' holds ${buffer.size} bytes, ${count} parameters need ${count * 4}`);
  }
  engine.dispatch(adamStepKernel, { theta: buffers.theta, grad: buffers.grad, m: buffers.m, v: buffers.v }, {
    count,
    decoupled: settings.decay === 'decoupled' ? 1 : 0,
    lr: settings.lr,
    beta1: settings.beta1,
    beta2: settings.beta2,
    one_minus_beta1: 1 - settings.beta1,
    one_minus_beta2: 1 - settings.beta2,
    eps: settings.eps,
    weight_decay: settings.weightDecay,
    step_size: settings.lr / (1 - settings.beta1 ** step),
    inv_sqrt_bc2: 1 / Math.sqrt(1 - settings.beta2 ** step),
  }, count);
}

export interface AdamState {
  readonly m: Float32Array;
  readonly v: Float32Array;
  readonly steps: number;
}

/** Adam's state for one flat parameter buffer: moments zeroed on the GPU, and the step count. */
export class Adam {
  readonly settings: AdamSettings;
  readonly m: GPUBuffer;
  readonly v: GPUBuffer;
  /** Steps taken so far (the next step's bias correction uses steps + 1). */
  steps = 0;
  /** The learning rate of the next step: settings.lr unless a schedule changes it between steps. */
  lr: number;

  constructor(readonly engine: Engine, readonly count: number, options: AdamOptions) {
    this.settings = adamSettings(options);
    this.lr = this.settings.lr;
    this.m = engine.zeros(count * 4);
    this.v = engine.zeros(count * 4);
  }

  /** Records one step: theta ← Adam(theta, grad). Nothing runs until the engine flushes. */
  step(theta: GPUBuffer, grad: GPUBuffer): void {
    this.steps++;
    adamStep(this.engine, { theta, grad, m: this.m, v: this.v }, this.count, this.steps, { ...this.settings, lr: this.lr });
  }

  /** The moments and step count, for a checkpoint that `--resume` restores. */
  async state(): Promise<AdamState> {
    const bytes = this.count * 4;
    return { m: await this.engine.read(this.m, bytes), v: await this.engine.read(this.v, bytes), steps: this.steps };
  }

  restore(state: AdamState): void {
    if (state.m.length !== this.count || state.v.length !== this.count || !Number.isInteger(state.steps) || state.steps < 0) {
      throw new JetcurveError(`Adam checkpoint does not fit: ${state.m.length}/${state.v.length} moments for ${this.count} parameters, step ${state.steps}`,
        'resume with the same model, or start a new run');
    }
    // Pending dispatches may still read the old moments; submit them before overwriting.
    this.engine.flush();
    this.engine.device.queue.writeBuffer(this.m, 0, state.m.buffer, state.m.byteOffset, state.m.byteLength);
    this.engine.device.queue.writeBuffer(this.v, 0, state.v.buffer, state.v.byteOffset, state.v.byteLength);
    this.steps = state.steps;
  }

  release(): void {
    this.engine.pool.release(this.m);
    this.engine.pool.release(this.v);
  }
}
