// One epoch of a run (src/train/loop.ts): seeded mini-batches through the trainer, then the
// held-out metrics and λ. Everything random in epoch e comes from (seed, e), which is what makes
// --resume exact. Steps are recorded without waiting for the GPU: each step's loss comes back as
// a promise, at most MAX_IN_FLIGHT steps behind, for the progress line and the divergence check.
import { uploadLabels } from '../../kernels/softmax-xent.js';
import { batchCount, epochBatches } from '../data/batches.js';
import { JetcurveError } from '../errors.js';
import { Jet } from '../jet/jet.js';
import { featureCount } from '../jet/layout.js';
import type { Model } from '../model/model.js';
import { Random } from '../util/random.js';
import type { TrainConfig, TrainHooks } from './config.js';
import { deriveSeed, type TrainingData } from './data-split.js';
import { epochCurvature } from './epoch-curvature.js';
import { epochLambda, epochLambdaBand, evaluate } from './held-out.js';
import { NonFiniteLossError, type StepValue } from './gradient.js';
import type { Divergence, EpochRecord } from './run-folder.js';
import { applySchedule } from './schedule.js';
import type { Trainer } from './step.js';

/** Steps recorded ahead of the last loss read back: enough to keep the GPU busy, few enough to stop soon after a divergence. */
const MAX_IN_FLIGHT = 2;

/** Where a divergence is recorded before the epoch throws (the run folder in Node; nothing in the browser). */
export interface DivergenceSink {
  diverged(at: Divergence): Promise<void>;
}

export async function runEpoch(config: TrainConfig, data: TrainingData, network: Model, trainer: Trainer, epoch: number,
  folder: DivergenceSink, hooks: TrainHooks): Promise<EpochRecord> {
  const engine = network.engine;
  const random = new Random(deriveSeed(config.seed, 1000 + epoch));
  const batches = epochBatches(data.train.n, config.batch, random);
  const totalSteps = config.epochs * batchCount(data.train.n, config.batch);
  const size = featureCount(data.inputShape);
  const dropout = network.dropoutPlan.length > 0;
  const t0 = performance.now();
  const lossSums = new Float64Array(batches.length);
  let lossSum = 0;
  let seen = 0;
  let divergence: Divergence | null = null;
  const pending: Promise<void>[] = [];
  const settle = (b: number, n: number) => (v: StepValue): void => {
    if (!Number.isFinite(v.loss) || !Number.isFinite(v.penalty)) {
      if (!divergence || b + 1 < divergence.batch) divergence = { epoch, batch: b + 1, ...v };
      return;
    }
    lossSums[b] = v.loss * n;
    lossSum += v.loss * n;
    seen += n;
    hooks.onBatch?.({ epoch, epochs: config.epochs, batch: b + 1, batches: batches.length, loss: lossSum / seen, examplesPerSecond: seen / ((performance.now() - t0) / 1000) });
  };
  for (let b = 0; b < batches.length && !divergence; b++) {
    if (b >= MAX_IN_FLIGHT) await pending[b - MAX_IN_FLIGHT];
    if (divergence) break;
    const indices = batches[b]!;
    const inputs = new Float32Array(indices.length * size);
    const labels = new Uint32Array(indices.length);
    indices.forEach((j, r) => {
      inputs.set(data.train.inputs.subarray(j * size, (j + 1) * size), r * size);
      labels[r] = data.train.labels[j]!;
    });
    // The regularizer makes the step's rows: plain ones, or CRR's points × directions.
    const prepared = trainer.regularizer.prepare(inputs, labels, size, random, trainer.steps);
    const input = Jet.fromArray(engine, prepared.data, prepared.rows, prepared.order, data.inputShape);
    const labelBuffer = uploadLabels(engine, prepared.labels, data.classes);
    // Drawn even without dropout, so the shuffles do not depend on it.
    const dropoutSeed = random.int(2 ** 32);
    try {
      // The rate follows from the steps taken so far, so a resumed run picks it up where it was.
      applySchedule(trainer, config.schedule ?? 'constant', config.lr, totalSteps);
      const { value } = await trainer.record({ input, labels: labelBuffer, order: prepared.lossOrder }, prepared.objective, dropout ? dropoutSeed : undefined);
      pending.push(value.then(settle(b, indices.length)));
    } catch (e) {
      if (!(e instanceof NonFiniteLossError)) throw e;
      divergence = { epoch, batch: b + 1, ...e.value };
    } finally {
      input.release();
      engine.pool.release(labelBuffer);
    }
  }
  await Promise.all(pending);
  // The epoch's time includes all of its GPU work (the last step's backward pass and Adam too).
  await engine.finish();
  if (divergence) {
    const at: Divergence = divergence;
    await folder.diverged(at);
    throw new JetcurveError(`training diverged at epoch ${epoch}, batch ${at.batch} of ${batches.length}: the loss is ${at.loss}`,
      `lower --lr; the epochs finished before (${epoch - 1}) stay in ${config.out} (metrics.jsonl, checkpoint.json)`);
  }
  const t1 = performance.now();
  const metrics = await evaluate(network, data.test, data.pairs);
  const estimator = config.lambdaEstimator ?? 'rms';
  const lambda = config.lambdaPoints > 0 ? await epochLambda(network, data.test, config.lambdaPoints, estimator, epochLambdaBand(config.dataset, estimator)) : null;
  const curvature = config.curvatureEvery && epoch % config.curvatureEvery === 0
    ? await epochCurvature(network, data.train, config.curvaturePoints ?? 128, deriveSeed(config.seed, 3000 + epoch)) : undefined;
  const t2 = performance.now();
  return {
    epoch, trainLoss: lossSums.reduce((a, v) => a + v, 0) / seen, testError: 1 - metrics.accuracy, testAccuracy: metrics.accuracy, ece: metrics.ece,
    hardest20Accuracy: metrics.hardestAccuracy, ...(data.pairs.length ? { pairConfusion: metrics.pairConfusion } : {}),
    lambda, ...(curvature ? { curvature } : {}), trainSeconds: (t1 - t0) / 1000, evalSeconds: (t2 - t1) / 1000, seconds: (t2 - t0) / 1000,
  };
}
