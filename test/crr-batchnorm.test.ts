// CRR on a model with BatchNorm (src/train/eval-mode-penalty.ts): the data term in train mode,
// the penalty in eval mode, as the flatgrad library computes them. The penalty is checked
// against the float64 eval-mode forward, the data term against a plain train-mode step, the
// gradient of their sum against central differences, and the running statistics against one
// plain step's.
import { describe, expect, it } from 'vitest';
import { uploadLabels } from '../kernels/softmax-xent.js';
import { Jet } from '../src/jet/jet.js';
import { Model } from '../src/model/model.js';
import { randomMlp } from '../src/model/random-mlp.js';
import type { BatchNormLayer, ModelSpec } from '../src/model/spec.js';
import { tensor } from '../src/model/tensor.js';
import { softmaxCrossEntropy64 } from '../src/reference/loss64.js';
import { referenceJets } from '../src/reference/model64.js';
import { crrInput, crrObjective, type CrrRun } from '../src/train/crr.js';
import { gradient, makeRegularizer, type StepValue } from '../src/train/step.js';
import { Random } from '../src/util/random.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

/** dense 2→6, BatchNorm1d(6) with running statistics far from the batch's, tanh, dense 6→2. */
function bnMlp(seed: number, momentum: number): ModelSpec {
  const mlp = randomMlp([2, 6, 2], { seed, gain: 1.3 });
  const random = new Random(seed + 100);
  // A generator seeded with a small integer starts with a uniform ≈ 1, so its first normal pair
  // is ≈ 0: randomMlp's first row would give a channel of near-zero batch variance, which
  // BatchNorm amplifies beyond what a difference quotient can follow. Rows of order one instead.
  random.normals(2);
  const first = { ...mlp.layers[0]!, weight: tensor([6, 2], Float32Array.from(random.normals(12))) };
  const vector = (f: () => number) => tensor([6], Float32Array.from({ length: 6 }, f));
  const bn: BatchNormLayer = {
    type: 'batchnorm', eps: 1e-5, momentum,
    weight: vector(() => 0.5 + random.uniform()), bias: vector(() => 0.3 * random.normal()),
    runningMean: vector(() => 0.5 * random.normal()), runningVar: vector(() => 0.5 + random.uniform()),
  };
  return { input: mlp.input, layers: [first, bn, ...mlp.layers.slice(1)] };
}

const B = 8;
const SETTINGS: CrrRun = { scale: 0.05, orders: [1, 2, 3], directions: 1, reduction: 'mean', every: 1 };
const DIRECTION_SEED = 6;

/** One CRR step's value and gradients through the regularizer train uses for a BatchNorm model. */
async function crrStep(model: Model, x: Float32Array, y: Uint32Array): Promise<{ value: StepValue; grads: Float32Array[] }> {
  const e = model.engine;
  const regularizer = makeRegularizer(model, { kind: 'crr', crr: SETTINGS });
  const prepared = regularizer.prepare(x, y, 2, new Random(DIRECTION_SEED), 0);
  const input = Jet.fromArray(e, prepared.data, prepared.rows, prepared.order, [2]);
  const labels = uploadLabels(e, prepared.labels, 2);
  const recorded = await regularizer.gradient(model, { input, labels, order: prepared.lossOrder }, prepared.objective);
  const value = await recorded.value;
  input.release();
  e.pool.release(labels);
  const grads: Float32Array[] = [];
  for (const p of model.parameters) grads.push(await p.readGrad());
  return { value, grads };
}

describe('CRR with BatchNorm: penalty in eval mode, data term in train mode', () => {
  const random = new Random(11);
  const x = Float32Array.from(random.normals(2 * B));
  const y = Uint32Array.from({ length: B }, (_, i) => i % 2);

  it('its penalty is the float64 eval-mode penalty, its loss a plain train-mode step\'s', async () => {
    const spec = bnMlp(3, 0);
    const model = new Model(engine(), spec);
    const { value } = await crrStep(model, x, y);
    // The same directions, made as the regularizer made them, through the float64 eval-mode model.
    const rows = crrInput(x, y, 2, SETTINGS, new Random(DIRECTION_SEED));
    const points = new Float64Array(2 * B);
    const directions = new Float64Array(2 * B);
    for (let r = 0; r < B; r++) {
      points.set(rows.data.subarray(r * 4, r * 4 + 2), 2 * r);
      directions.set(rows.data.subarray(r * 4 + 2, r * 4 + 4), 2 * r);
    }
    const loss = softmaxCrossEntropy64(referenceJets(spec, points, directions, 3), y);
    const expected = crrObjective(loss.data, B, SETTINGS).penalty;
    // f32 jets of a 2-6-2 network: ~1e-6 relative per coefficient; 1e-4 leaves room for the
    // orders' factorials, and train mode (batch statistics) would be off by far more.
    expect(Math.abs(value.penalty - expected) / expected).toBeLessThan(1e-4);

    const plain = new Model(engine(), spec);
    const input = Jet.fromArray(plain.engine, x, B, 0, [2]);
    const labels = uploadLabels(plain.engine, y, 2);
    const trainMode = await gradient(plain, { input, labels });
    input.release();
    plain.engine.pool.release(labels);
    expect(value.loss).toBeCloseTo(trainMode.loss, 6);
    model.release();
    plain.release();
  });

  it('its gradient is the central difference of loss + penalty', async () => {
    // momentum 0: the running statistics stay put, so every evaluation sees the same eval mode.
    const model = new Model(engine(), bnMlp(5, 0));
    const w0 = await model.readParameters();
    const { value, grads } = await crrStep(model, x, y);
    expect(value.penalty).toBeGreaterThan(0);
    const d = w0.map((w) => Float32Array.from(w, () => random.normal()));
    const predicted = grads.reduce((s, g, t) => s + g.reduce((a, gi, i) => a + gi * d[t]![i]!, 0), 0);
    const at = async (h: number) => {
      model.writeParameters(w0.map((w, t) => Float32Array.from(w, (wi, i) => wi + h * d[t]![i]!)));
      const v = (await crrStep(model, x, y)).value;
      return v.loss + v.penalty;
    };
    const D = async (h: number) => ((await at(h)) - (await at(-h))) / (2 * h);
    const h = 2e-3;
    const measured = (4 * (await D(h / 2)) - (await D(h))) / 3;
    // As test/crr.test.ts: f32 roundoff of the quotient ~1e-5 relative; 2e-3 leaves margin.
    expect(Math.abs(measured - predicted) / Math.abs(predicted)).toBeLessThan(2e-3);
    model.release();
  });

  it('moves the running statistics once per step, as a plain step does', async () => {
    const spec = bnMlp(7, 0.1);
    const crr = new Model(engine(), spec);
    await crrStep(crr, x, y);
    const plain = new Model(engine(), spec);
    const input = Jet.fromArray(plain.engine, x, B, 0, [2]);
    const labels = uploadLabels(plain.engine, y, 2);
    await gradient(plain, { input, labels });
    input.release();
    plain.engine.pool.release(labels);
    const [after, expected] = [await crr.readBuffers(), await plain.readBuffers()];
    expect(after.length).toBe(2);
    after.forEach((b, i) => expect(Array.from(b)).toEqual(Array.from(expected[i]!)));
    // and they did move
    expect(Array.from(after[0]!)).not.toEqual(Array.from((spec.layers[1] as BatchNormLayer).runningMean.data));
    crr.release();
    plain.release();
  });
});
