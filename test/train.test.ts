// Training on the GPU: a step lowers the loss, dropout masks, a short Two Moons run reaches a
// low test error, and a run interrupted after an epoch and resumed ends with the very same
// parameters as one that was not.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dropout } from '../kernels/dropout.js';
import { maxpool2d, maxpool2dVjp } from '../kernels/maxpool2d.js';
import { relu, reluVjp } from '../kernels/relu.js';
import { uploadLabels } from '../kernels/softmax-xent.js';
import { moonsDataset } from '../src/data/moons.js';
import { Jet } from '../src/jet/jet.js';
import { Model } from '../src/model/model.js';
import { loadModel } from '../src/node.js';
import { cnn, mlp } from '../src/train/architectures.js';
import { Random } from '../src/util/random.js';
import type { TrainConfig } from '../src/train/config.js';
import { train } from '../src/train/loop.js';
import { Trainer } from '../src/train/step.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const dir = mkdtempSync(join(tmpdir(), 'jetcurve-train-'));

describe('training step', () => {
  it('Adam steps on one batch lower the mean cross-entropy', async () => {
    const data = moonsDataset({ seed: 3, n: 64 });
    const network = new Model(engine(), mlp([2], 2, 1).spec);
    const trainer = new Trainer(network, { lr: 0.01 });
    const input = Jet.fromArray(engine(), Float32Array.from(data.train.x), data.train.n, 0, [2]);
    const labels = uploadLabels(engine(), Uint32Array.from(data.train.y), 2);
    const losses: number[] = [];
    for (let i = 0; i < 40; i++) losses.push((await trainer.step({ input, labels })).loss);
    input.release();
    engine().pool.release(labels);
    trainer.release();
    network.release();
    expect(losses[0]).toBeGreaterThan(0.4);
    expect(losses[39]!).toBeLessThan(0.5 * losses[0]!);
    expect(trainer.steps).toBe(40);
  });

  it('a tiny CNN with dropout (conv, relu, pool, flatten, dense) fits 32 random images, and exports its spec', async () => {
    const arch = cnn([1, 8, 8], 3, 2, { channels: [4, 6], hidden: 16, firstStride: 1, dropout: [0.1, 0.2] });
    const network = new Model(engine(), arch.spec, arch.dropout);
    const trainer = new Trainer(network, { lr: 0.01 });
    const random = new Random(4);
    const input = Jet.fromArray(engine(), Float32Array.from({ length: 32 * 64 }, () => random.normal()), 32, 0, [1, 8, 8]);
    const labels = uploadLabels(engine(), Uint32Array.from({ length: 32 }, (_, i) => i % 3), 3);
    const losses: number[] = [];
    for (let i = 0; i < 60; i++) losses.push((await trainer.step({ input, labels }, undefined, 1000 + i)).loss);
    const spec = await network.toSpec();
    input.release();
    engine().pool.release(labels);
    trainer.release();
    network.release();
    expect(losses.slice(-5).reduce((a, b) => a + b) / 5).toBeLessThan(0.5 * losses[0]!);
    expect(spec.layers.map((l) => l.type)).toEqual(['conv2d', 'relu', 'conv2d', 'maxpool2d', 'relu', 'flatten', 'dense', 'relu', 'dense']);
  });

  it('the CNN\'s pool → relu is relu → pool on jets: the same values and the same cotangents', async () => {
    // Coefficients from {−2, …, 2} make ties and zero leads common, where the two could differ.
    const random = new Random(9);
    const rows = 3, order = 3, shape = [2, 6, 6];
    const x = Jet.fromArray(engine(), Float32Array.from({ length: rows * (order + 1) * 72 }, () => random.int(5) - 2), rows, order, shape);
    const ybar = Jet.fromArray(engine(), Float32Array.from({ length: rows * (order + 1) * 18 }, () => random.normal()), rows, order, [2, 3, 3]);
    const pool = { size: 2, stride: 2 };
    const r = relu(x);
    const a = maxpool2d(r, pool);
    const p = maxpool2d(x, pool);
    const b = relu(p);
    expect(Array.from(await b.read())).toEqual(Array.from(await a.read()));
    const ra = maxpool2dVjp(r, ybar, pool);
    const xa = reluVjp(x, ra);
    const pb = reluVjp(p, ybar);
    const xb = maxpool2dVjp(x, pb, pool);
    expect(Array.from(await xb.read())).toEqual(Array.from(await xa.read()));
    for (const j of [x, ybar, r, a, p, b, ra, xa, pb, xb]) j.release();
  });

  it('dropout keeps about 1 − rate of the entries, scaled by 1/(1 − rate), the same for every order and seed', async () => {
    const rows = 64, features = 100, order = 2;
    const x = Jet.fromArray(engine(), new Float32Array(rows * (order + 1) * features).fill(1), rows, order, [features]);
    const y = await dropout(x, 0.25, 1234).read();
    const again = await dropout(x, 0.25, 1234).read();
    const other = await dropout(x, 0.25, 99).read();
    x.release();
    expect(Array.from(again)).toEqual(Array.from(y));
    expect(Array.from(other)).not.toEqual(Array.from(y));
    let kept = 0;
    for (let r = 0; r < rows; r++) {
      for (let f = 0; f < features; f++) {
        const v = y[(r * (order + 1)) * features + f]!;
        expect(v === 0 || v === Math.fround(1 / 0.75)).toBe(true);
        for (let k = 1; k <= order; k++) expect(y[(r * (order + 1) + k) * features + f]).toBe(v);
        if (v !== 0) kept++;
      }
    }
    expect(kept / (rows * features)).toBeGreaterThan(0.72);
    expect(kept / (rows * features)).toBeLessThan(0.78);
  });
});

const moons = (out: string, epochs: number, extra: Partial<TrainConfig> = {}): TrainConfig => ({
  dataset: 'moons', model: 'mlp', width: 'small', reg: 'none', rho: 0.05, epochs, batch: 128, lr: 0.01, labelNoise: 0, seed: 5,
  out: join(dir, out), resume: false, lambdaPoints: 0, ...extra,
});

const weights = (out: string) => JSON.parse(readFileSync(join(dir, out, 'model.json'), 'utf8')).layers;
const metrics = (out: string) => readFileSync(join(dir, out, 'metrics.jsonl'), 'utf8').trim().split('\n')
  .map((l) => { const { seconds: _s, trainSeconds: _t, evalSeconds: _e, ...rest } = JSON.parse(l); return rest; });

describe('training runs', () => {
  it('Two Moons (2 100 training points, 10 epochs) reaches a test error below 6%, and λ is measured', async () => {
    const summary = await train(engine(), moons('short', 10, { lambdaPoints: 64 }));
    expect(summary.final!.testError).toBeLessThan(0.06);
    const lines = metrics('short');
    expect(lines).toHaveLength(10);
    expect(lines[9].lambda.convention).toBe('raw');
    expect(Number.isFinite(lines[9].lambda.value)).toBe(true);
    // model.json is a model file: the engine's Model gives the logits the trained network gave.
    const model = new Model(engine(), await loadModel(join(dir, 'short', 'model.json')));
    const test = moonsDataset({ seed: 5 }).test;
    const logits = (await model.jets({ points: test.x.subarray(0, 40), directions: new Float64Array(40), order: 0 })).coefficients;
    model.destroy();
    let wrong = 0;
    for (let i = 0; i < 20; i++) if ((logits[2 * i + 1]! > logits[2 * i]! ? 1 : 0) !== test.y[i]) wrong++;
    expect(wrong).toBeLessThanOrEqual(3);
  });

  for (const reg of ['none', 'sam'] as const) {
    it(`--resume after an interruption reproduces the uninterrupted run exactly (${reg})`, async () => {
      const extra = { reg, trainSize: 300, dropout: undefined };
      await train(engine(), moons(`whole-${reg}`, 3, extra));
      await train(engine(), moons(`split-${reg}`, 1, extra));
      await expect(train(engine(), moons(`split-${reg}`, 3, extra))).rejects.toThrow(/holds a run already/);
      await expect(train(engine(), moons(`split-${reg}`, 3, { ...extra, lr: 0.02, resume: true }))).rejects.toThrow(/lr was 0.01, now 0.02/);
      await train(engine(), moons(`split-${reg}`, 3, { ...extra, resume: true }));
      expect(weights(`split-${reg}`)).toEqual(weights(`whole-${reg}`));
      expect(metrics(`split-${reg}`)).toEqual(metrics(`whole-${reg}`));
    });
  }

  it('--resume is exact under CRR too (its directions come from the epoch\'s stream), and crr-target trains on the same rows', async () => {
    const crr = { scale: 0.01, orders: [2, 3], directions: 1, every: 1, reduction: 'mean' as const };
    const extra = { reg: 'crr' as const, crr, trainSize: 300 };
    await train(engine(), moons('whole-crr', 2, extra));
    await train(engine(), moons('split-crr', 1, extra));
    await train(engine(), moons('split-crr', 2, { ...extra, resume: true }));
    expect(weights('split-crr')).toEqual(weights('whole-crr'));
    await expect(train(engine(), moons('target-missing', 1, { ...extra, reg: 'crr-target' }))).rejects.toThrow(/needs the target λ\*/);
    const target = await train(engine(), moons('target', 2, { ...extra, reg: 'crr-target', crrTarget: -1, crr: { ...crr, orders: [1, 2, 3, 4], scale: 0.5 } }));
    expect(target.status).toBe('finished');
    expect(weights('target')).not.toEqual(weights('whole-crr'));
  });
});
