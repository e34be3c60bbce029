// A training run: data, network, Adam with the run's regularizer, epochs of seeded mini-batches;
// the run folder (src/train/run-folder.ts) gets a metrics line and a checkpoint after each epoch,
// and model.json and summary.json at the end. All randomness of epoch e comes from (seed, e), so
// --resume from the checkpoint of epoch e continues exactly as the uninterrupted run would have.
// Node only.
import type { Engine } from '../gpu/engine.js';
import { Model } from '../model/model.js';
import { CNN_WIDTHS, cnn, cnnBatchNorm, mlp, type Architecture } from './architectures.js';
import { checkConfig, runIdentity, type TrainConfig, type TrainHooks } from './config.js';
import { loadTrainingData, type TrainingData } from './data.js';
import { runEpoch } from './epoch.js';
import { RunFolder, type EpochRecord } from './run-folder.js';
import { Trainer, type RegularizerSpec } from './step.js';


export interface TrainSummary {
  readonly status: 'finished';
  readonly config: Omit<TrainConfig, 'out' | 'resume'>;
  readonly architecture: string;
  readonly parameters: number;
  readonly trainExamples: number;
  readonly testExamples: number;
  readonly flippedLabels: number;
  readonly epochs: number;
  readonly steps: number;
  readonly final: EpochRecord | null;
  /** Sum of the epochs' seconds, over all sessions of a resumed run. */
  readonly seconds: number;
  readonly secondsPerEpoch: number;
}

function architecture(c: TrainConfig, data: TrainingData): Architecture {
  if (c.model === 'mlp') return mlp(data.inputShape, data.classes, c.seed, undefined, c.init);
  // flatgrad's MNISTConvNet has one dropout, after its hidden layer: --dropout's second rate.
  if (c.model === 'cnn-bn') return cnnBatchNorm(data.inputShape, data.classes, c.seed, c.dropout?.[1]);
  const options = CNN_WIDTHS[c.width];
  return cnn(data.inputShape, data.classes, c.seed, c.dropout ? { ...options, dropout: c.dropout } : options);
}

function regularizer(c: TrainConfig): RegularizerSpec {
  switch (c.reg) {
    case 'none': return { kind: 'none' };
    case 'sam': case 'asam': return { kind: 'sam', rho: c.rho, adaptive: c.reg === 'asam' };
    case 'crr': return c.crr ? { kind: 'crr', crr: c.crr } : { kind: 'none' };
    case 'crr-target': return c.crr ? { kind: 'crr-target', crr: c.crr, target: c.crrTarget! } : { kind: 'none' };
  }
}

export async function train(engine: Engine, config: TrainConfig, hooks: TrainHooks = {}): Promise<TrainSummary> {
  checkConfig(config);
  const data = loadTrainingData({ dataset: config.dataset, seed: config.seed, labelNoise: config.labelNoise,
    ...(config.moonsPipeline !== undefined ? { moonsPipeline: config.moonsPipeline } : {}),
    ...(config.trainSize !== undefined ? { trainSize: config.trainSize } : {}), ...(config.testSize !== undefined ? { testSize: config.testSize } : {}),
    ...(config.subsets !== undefined ? { subsets: config.subsets } : {}), ...(config.mnistDir !== undefined ? { mnistDir: config.mnistDir } : {}) });
  const arch = architecture(config, data);
  const folder = new RunFolder(config.out);
  const id = runIdentity(config);

  const network = new Model(engine, arch.spec, arch.dropout);
  const trainer = new Trainer(network, { lr: config.lr }, regularizer(config));
  try {
    const opened = await folder.open(id, config.resume);
    if (opened.state) trainer.restore(opened.state);
    const records = opened.records;
    hooks.onStart?.({ description: arch.description, parameters: network.parameterCount, startEpoch: opened.epoch, trainSize: data.train.n, testSize: data.test.n });

    for (let epoch = opened.epoch + 1; epoch <= config.epochs; epoch++) {
      const record = await runEpoch(config, data, network, trainer, epoch, folder, hooks);
      records.push(record);
      await folder.epochDone(record, id, await trainer.state());
      hooks.onEpoch?.(record);
    }

    const final = records[records.length - 1] ?? null;
    const seconds = records.reduce((s, r) => s + r.seconds, 0);
    const { out: _o, resume: _r, ...settings } = config;
    const summary: TrainSummary = {
      status: 'finished', config: settings, architecture: arch.description, parameters: network.parameterCount,
      trainExamples: data.train.n, testExamples: data.test.n, flippedLabels: data.flipped, epochs: records.length, steps: trainer.steps,
      final, seconds, secondsPerEpoch: records.length ? seconds / records.length : 0,
    };
    const meta = { trainedBy: 'jetcurve train', architecture: arch.description, data: data.note, epochs: records.length,
      ...(final ? { testError: final.testError, lambda: final.lambda?.value ?? null } : {}) };
    await folder.finished(await network.toSpec(meta), { ...summary });
    return summary;
  } finally {
    trainer.release();
    network.release();
  }
}
