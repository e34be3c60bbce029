// One epoch of a run (src/train/loop.ts): seeded mini-batches through the trainer, then the
// held-out metrics and λ. Everything random in epoch e comes from (seed, e), which is what makes
// --resume exact.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { uploadLabels } from '../../kernels/softmax-xent.js';
import { batchCount, epochBatches } from '../data/batches.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { Jet } from '../jet/jet.js';
import { featureCount } from '../jet/layout.js';
import { Random } from '../util/random.js';
import { deriveSeed, type TrainingData } from './data.js';
import { epochLambda, evaluate, type EpochLambda } from './evaluate.js';
import type { TrainConfig, TrainHooks } from './loop.js';
import type { Network } from './network.js';
import { NonFiniteLossError, meanCrossEntropy, type Objective, type Trainer } from './step.js';
import { crrInput, crrObjective } from './crr.js';
import { applySchedule } from './schedule.js';

export interface EpochRecord {
  readonly epoch: number;
  readonly trainLoss: number;
  readonly testError: number;
  readonly testAccuracy: number;
  readonly ece: number;
  readonly hardest20Accuracy: number;
  readonly pairConfusion?: Readonly<Record<string, number>>;
  readonly lambda: EpochLambda | null;
  /** Training (the epoch's steps), evaluation (metrics and λ), and their sum. */
  readonly trainSeconds: number;
  readonly evalSeconds: number;
  readonly seconds: number;
}

export interface Progress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  /** Mean training loss of the epoch so far. */
  readonly loss: number;
  readonly examplesPerSecond: number;
}

export async function runEpoch(engine: Engine, config: TrainConfig, data: TrainingData, network: Network, trainer: Trainer, epoch: number,
  hooks: TrainHooks): Promise<EpochRecord> {
  const random = new Random(deriveSeed(config.seed, 1000 + epoch));
  const batches = epochBatches(data.train.n, config.batch, random);
  const totalSteps = config.epochs * batchCount(data.train.n, config.batch);
  const size = featureCount(data.inputShape);
  const dropout = network.dropoutPlan.length > 0;
  const t0 = performance.now();
  let lossSum = 0;
  let seen = 0;
  for (let b = 0; b < batches.length; b++) {
    const indices = batches[b]!;
    const inputs = new Float32Array(indices.length * size);
    const labels = new Uint32Array(indices.length);
    indices.forEach((j, r) => {
      inputs.set(data.train.inputs.subarray(j * size, (j + 1) * size), r * size);
      labels[r] = data.train.labels[j]!;
    });
    // A CRR step runs the batch as jets of points × directions (order max(orders)) and adds
    // the penalty to the objective; other steps (and other regularizers) run order 0.
    const crr = config.reg === 'crr' && config.crr && (trainer.steps % config.crr.every === 0) ? config.crr : null;
    const penalized = crr ? Math.min(crr.subset ?? indices.length, indices.length) : 0;
    const batchInput = crr ? crrInput(inputs, labels, size, crr, random, penalized) : { data: inputs, labels, rows: indices.length, order: 0, lossOrder: 0 };
    const objective: Objective = crr ? (coefficients) => crrObjective(coefficients, indices.length, crr, penalized) : meanCrossEntropy;
    const input = Jet.fromArray(engine, batchInput.data, batchInput.rows, batchInput.order, data.inputShape);
    const labelBuffer = uploadLabels(engine, batchInput.labels, data.classes);
    // Drawn even without dropout, so the shuffles do not depend on it.
    const dropoutSeed = random.int(2 ** 32);
    try {
      // The rate follows from the steps taken so far, so a resumed run picks it up where it was.
      applySchedule(trainer, config.schedule ?? 'constant', config.lr, totalSteps);
      const value = await trainer.step({ input, labels: labelBuffer, order: batchInput.lossOrder }, objective, dropout ? dropoutSeed : undefined);
      lossSum += value.loss * indices.length;
      seen += indices.length;
    } catch (e) {
      if (e instanceof NonFiniteLossError) {
        await writeFile(join(config.out, 'summary.json'), `${JSON.stringify({ status: 'diverged', epoch, batch: b + 1, loss: String(e.value.loss), penalty: String(e.value.penalty) }, null, 2)}\n`);
        throw new JetcurveError(`training diverged at epoch ${epoch}, batch ${b + 1} of ${batches.length}: the loss is ${e.value.loss}`,
          `lower --lr; the epochs finished before (${epoch - 1}) stay in ${config.out} (metrics.jsonl, checkpoint.json)`);
      }
      throw e;
    } finally {
      input.release();
      engine.pool.release(labelBuffer);
    }
    hooks.onBatch?.({ epoch, epochs: config.epochs, batch: b + 1, batches: batches.length, loss: lossSum / seen, examplesPerSecond: seen / ((performance.now() - t0) / 1000) });
  }
  const t1 = performance.now();
  const metrics = await evaluate(network, data.test, data.pairs);
  const lambda = config.lambdaPoints > 0 ? await epochLambda(network, data.test, config.lambdaPoints, config.lambdaEstimator) : null;
  const t2 = performance.now();
  return {
    epoch, trainLoss: lossSum / seen, testError: 1 - metrics.accuracy, testAccuracy: metrics.accuracy, ece: metrics.ece,
    hardest20Accuracy: metrics.hardestAccuracy, ...(data.pairs.length ? { pairConfusion: metrics.pairConfusion } : {}),
    lambda, trainSeconds: (t1 - t0) / 1000, evalSeconds: (t2 - t1) / 1000, seconds: (t2 - t0) / 1000,
  };
}
