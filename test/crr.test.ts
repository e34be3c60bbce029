// Curvature Rate Regularization: the penalty's formula on hand-made coefficients, and its
// parameter gradient (reverse mode through the order-4 loss jets) against a finite-difference
// check through the GPU's own forward pass.
import { describe, expect, it } from 'vitest';
import { uploadLabels } from '../kernels/softmax-xent.js';
import { Jet } from '../src/jet/jet.js';
import { randomMlp } from '../src/model/random-mlp.js';
import type { ModelSpec } from '../src/model/spec.js';
import { tensor } from '../src/model/tensor.js';
import { crrInput, crrObjective, crrWeights, parseOrders, type CrrSettings } from '../src/train/crr.js';
import { Model } from '../src/model/model.js';
import { gradient, type Objective } from '../src/train/step.js';
import { Random } from '../src/util/random.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

describe('CRR penalty', () => {
  it('is scale · mean over directions and samples of Σ_n |n!·c_n|, with the loss from c_0', () => {
    // 2 samples × 2 directions, orders 1..2: rows [c0, c1, c2].
    const c = [0.5, 0.1, -0.2, 0.5, -0.3, 0.05, 1.5, 0.0, 0.4, 1.5, 0.2, -0.1];
    const v = crrObjective(c, 2, { scale: 0.1, orders: [1, 2], directions: 2 });
    const byHand = 0.1 * ((0.1 + 0.4) + (0.3 + 0.1) + (0 + 0.8) + (0.2 + 0.2)) / 4;
    expect(v.penalty).toBeCloseTo(byHand, 12);
    expect(v.loss).toBeCloseTo((0.5 + 1.5) / 2, 12);
    // d/dc2 of row 0: scale · 2! · sign(−0.2) / 4.
    expect(v.seed[2]).toBeCloseTo(-0.1 * 2 / 4, 7);
    expect(v.seed[7]).toBe(0);
  });

  it('reads order sets', () => {
    expect(parseOrders('1-4')).toEqual([1, 2, 3, 4]);
    expect(parseOrders('2,4')).toEqual([2, 4]);
    expect(() => parseOrders('0-4')).toThrow(/outside 1\.\.60/);
    expect(() => parseOrders('x')).toThrow(/cannot read/);
  });
});

describe('CRR gradient', () => {
  for (const [label, penalized] of [['whole batch', 6], ['subset of 3', 3]] as const) {
    it(`matches a finite-difference check through the GPU forward (${label})`, async () => {
      const e = engine();
      const network = new Model(e, randomMlp([2, 8, 8, 2], { seed: 3, gain: 1.5 }));
      const settings: CrrSettings = { scale: 0.05, orders: parseOrders('1-4'), directions: 2 };
      const random = new Random(4);
      const x = Float32Array.from(random.normals(12));
      const y = Uint32Array.from([0, 1, 1, 0, 1, 0]);
      const objectiveAt = async (): Promise<{ value: number; grads: Float32Array[] }> => {
        // The same directions at every evaluation: a fixed seed. |·| has a kink at 0, so a seed
        // is used under which no penalized coefficient crosses zero within the difference step
        // (seed 5 puts one there and the check fails by 5%, as it should).
        const input = crrInput(x, y, 2, settings, new Random(6), penalized);
        const jet = Jet.fromArray(e, input.data, input.rows, input.order, [2]);
        const labels = uploadLabels(e, input.labels, 2);
        const objective: Objective = (coefficients) => crrObjective(coefficients, 6, settings, penalized);
        const v = await gradient(network, { input: jet, labels, order: input.lossOrder }, objective);
        jet.release();
        e.pool.release(labels);
        const grads: Float32Array[] = [];
        for (const p of network.parameters) grads.push(await p.readGrad());
        return { value: v.loss + v.penalty, grads };
      };
      const w0 = await network.readParameters();
      const { value, grads } = await objectiveAt();
      expect(value).toBeGreaterThan(0);
      const d = w0.map((w) => Float32Array.from(w, () => random.normal()));
      const predicted = grads.reduce((s, g, t) => s + g.reduce((a, gi, i) => a + gi * d[t]![i]!, 0), 0);
      const at = async (h: number) => {
        network.writeParameters(w0.map((w, t) => Float32Array.from(w, (wi, i) => wi + h * d[t]![i]!)));
        return (await objectiveAt()).value;
      };
      const D = async (h: number) => ((await at(h)) - (await at(-h))) / (2 * h);
      const h = 2e-3;
      const measured = (4 * (await D(h / 2)) - (await D(h))) / 3;
      network.writeParameters(w0);
      // f32 difference quotient: roundoff ~ u·|J|/h ≈ 1e-5·|J|, |J| ~ 1 and the slope ~ 1: 2e-3 relative leaves margin.
      expect(Math.abs(measured - predicted) / Math.abs(predicted)).toBeLessThan(2e-3);
      network.release();
    });
  }
});

// CRR's input has c_0 and c_1 only; the layers before the first tanh (all of a relu CNN) run at
// order 1 and the jet is raised to K after them (Model.record). That must change nothing:
// the same objective and gradients as the input padded with zero coefficients to order K, run
// at order K everywhere. Exactly equal: only additions of exact zeros are left out.
describe('CRR at the input order', () => {
  const cnnSpec = (random: Random): ModelSpec => {
    const f32 = (n: number, std: number) => Float32Array.from(random.normals(n, std));
    return {
      input: [1, 6, 6],
      layers: [
        { type: 'conv2d', weight: tensor([4, 1, 3, 3], f32(36, 0.5)), bias: tensor([4], f32(4, 0.1)), stride: 1, padding: 0 },
        { type: 'relu' },
        { type: 'maxpool2d', size: 2, stride: 2 },
        { type: 'flatten' },
        { type: 'dense', weight: tensor([8, 16], f32(128, 0.4)), bias: tensor([8], f32(8, 0.1)) },
        { type: 'relu' },
        { type: 'dense', weight: tensor([3, 8], f32(24, 0.5)), bias: tensor([3], f32(3, 0.1)) },
      ],
    };
  };
  const cases = [
    ['tanh MLP', randomMlp([2, 8, 8, 2], { seed: 5, gain: 1.5 }), 2, 2],
    ['relu CNN', cnnSpec(new Random(8)), 36, 3],
  ] as const;
  for (const [label, spec, size, classes] of cases) {
    it(`gives the gradient of the padded order-4 pass (${label})`, async () => {
      const e = engine();
      const network = new Model(e, spec);
      const settings: CrrSettings = { scale: 0.05, orders: parseOrders('1-4'), directions: 2 };
      const random = new Random(9);
      const x = Float32Array.from(random.normals(5 * size));
      const y = Uint32Array.from([0, 1, 2, 1, 0].map((c) => c % classes));
      const input = crrInput(x, y, size, settings, new Random(10), 4);
      const K = input.lossOrder;
      const padded = new Float32Array(input.rows * (K + 1) * size);
      for (let r = 0; r < input.rows; r++) padded.set(input.data.subarray(r * 2 * size, (r + 1) * 2 * size), r * (K + 1) * size);
      const objective: Objective = (coefficients) => crrObjective(coefficients, 5, settings, 4);
      const run = async (data: Float32Array, order: number) => {
        const jet = Jet.fromArray(e, data, input.rows, order, spec.input);
        const labels = uploadLabels(e, input.labels, classes);
        const v = await gradient(network, { input: jet, labels, order: K }, objective);
        jet.release();
        e.pool.release(labels);
        const grads: Float32Array[] = [];
        for (const p of network.parameters) grads.push(await p.readGrad());
        return { v, grads };
      };
      const low = await run(input.data, 1);
      const full = await run(padded, K);
      expect(low.v.penalty).toBeGreaterThan(0);
      expect(low.v.loss).toBe(full.v.loss);
      expect(low.v.penalty).toBe(full.v.penalty);
      low.grads.forEach((g, i) => expect(Array.from(g)).toEqual(Array.from(full.grads[i]!)));
      network.release();
    });
  }
});

describe('CRR on the GPU', () => {
  it('crrWeights gives crrObjective\'s gradient exactly, and its value to f32 rounding, without a read-back', async () => {
    const e = engine();
    const network = new Model(e, randomMlp([2, 8, 8, 2], { seed: 7, gain: 1.5 }));
    const settings: CrrSettings = { scale: 0.05, orders: parseOrders('1-4'), directions: 2 };
    const random = new Random(8);
    const x = Float32Array.from(random.normals(12));
    const y = Uint32Array.from([0, 1, 1, 0, 1, 0]);
    const input = crrInput(x, y, 2, settings, new Random(9), 4);
    const run = async (objective: Objective) => {
      const jet = Jet.fromArray(e, input.data, input.rows, input.order, [2]);
      const labels = uploadLabels(e, input.labels, 2);
      const v = await gradient(network, { input: jet, labels, order: input.lossOrder }, objective);
      jet.release();
      e.pool.release(labels);
      return { v, grads: await Promise.all(network.parameters.map((p) => p.readGrad())) };
    };
    const host = await run((coefficients) => crrObjective(coefficients, 6, settings, 4));
    const gpu = await run(crrWeights(6, settings, 4));
    gpu.grads.forEach((g, i) => expect(Array.from(g)).toEqual(Array.from(host.grads[i]!)));
    // f32 sums of 10 rows' terms against the host's f64 sums.
    expect(Math.abs(gpu.v.loss - host.v.loss)).toBeLessThan(1e-6 * Math.abs(host.v.loss));
    expect(Math.abs(gpu.v.penalty - host.v.penalty)).toBeLessThan(1e-5 * host.v.penalty);
    network.release();
  });
});
