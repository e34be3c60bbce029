// A run's network and trainer, epoch by epoch: what `jetcurve train` (src/train/loop.ts) drives
// with its run folder, and what the browser playground drives one epoch at a time, so that the
// same settings and seed give the same numbers in both. Runs in Node and in the browser.
import type { Engine } from '../gpu/engine.js';
import { Model } from '../model/model.js';
import { CNN_WIDTHS, cnn, cnnBatchNorm, mlp, type Architecture } from './architectures.js';
import { checkConfig, type TrainConfig, type TrainHooks } from './config.js';
import type { TrainingData } from './data-split.js';
import { runEpoch, type DivergenceSink } from './epoch.js';
import type { EpochRecord } from './run-folder.js';
import { Trainer, type RegularizerSpec } from './step.js';

/** The MLP's hidden width when the config does not set one (flatgrad's 64-64). */
export const DEFAULT_HIDDEN = 64;

export function architecture(c: TrainConfig, data: TrainingData): Architecture {
  if (c.model === 'mlp') {
    const h = c.hidden ?? DEFAULT_HIDDEN;
    return mlp(data.inputShape, data.classes, c.seed, [h, h], c.init);
  }
  // flatgrad's MNISTConvNet has one dropout, after its hidden layer: --dropout's second rate.
  if (c.model === 'cnn-bn') return cnnBatchNorm(data.inputShape, data.classes, c.seed, c.dropout?.[1]);
  const options = CNN_WIDTHS[c.width];
  return cnn(data.inputShape, data.classes, c.seed, c.dropout ? { ...options, dropout: c.dropout } : options);
}

export function regularizerSpec(c: TrainConfig): RegularizerSpec {
  switch (c.reg) {
    case 'none': return { kind: 'none' };
    case 'sam': case 'asam': return { kind: 'sam', rho: c.rho, adaptive: c.reg === 'asam' };
    case 'crr': return c.crr ? { kind: 'crr', crr: c.crr } : { kind: 'none' };
    case 'crr-target': return c.crr ? { kind: 'crr-target', crr: c.crr, target: c.crrTarget! } : { kind: 'none' };
  }
}

const NO_SINK: DivergenceSink = { diverged: async () => {} };

export class TrainingSession {
  readonly architecture: Architecture;
  readonly network: Model;
  readonly trainer: Trainer;
  /** Epochs finished so far (set by a resumed run before the first next()). */
  epoch = 0;

  constructor(engine: Engine, readonly config: TrainConfig, readonly data: TrainingData) {
    checkConfig(config);
    this.architecture = architecture(config, data);
    this.network = new Model(engine, this.architecture.spec, this.architecture.dropout);
    this.trainer = new Trainer(this.network, { lr: config.lr }, regularizerSpec(config));
  }

  get done(): boolean {
    return this.epoch >= this.config.epochs;
  }

  /** Trains the next epoch and measures it (metrics, λ); a divergence is recorded in `sink`, then thrown. */
  async next(hooks: TrainHooks = {}, sink: DivergenceSink = NO_SINK): Promise<EpochRecord> {
    const record = await runEpoch(this.config, this.data, this.network, this.trainer, this.epoch + 1, sink, hooks);
    this.epoch++;
    return record;
  }

  release(): void {
    this.trainer.release();
    this.network.release();
  }
}
