// Model jets on the GPU against the float64 reference forward (same f32 weights and inputs):
// relative error per order n, err_n = ‖c_n − ref_n‖/‖ref_n‖ over all points and outputs.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Model, referenceJets, saveModel, type JetResult, type ModelSpec } from '../src/node.js';
import { randomMlp } from '../src/model/random-mlp.js';
import { ACTIVATION_TYPES } from '../src/model/spec.js';
import { tensor } from '../src/model/tensor.js';
import { Random } from '../src/util/random.js';
import { orderErrors } from './cases/harness.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

/** The criterion: 1e-4 through order 8, 1e-2 up to order 60. */
const tolerance = (n: number) => (n <= 8 ? 1e-4 : 1e-2);

function inputs(seed: number, rows: number, size: number) {
  const random = new Random(seed);
  const points = random.normals(rows * size);
  const directions = new Float64Array(rows * size);
  for (let r = 0; r < rows; r++) directions.set(random.unitVector(size), r * size);
  return { points, directions };
}

async function compare(spec: ModelSpec, rows: number, order: number, seed: number): Promise<{ errors: number[]; result: JetResult }> {
  const model = new Model(engine(), spec);
  const size = spec.input.reduce((a, b) => a * b, 1);
  const { points, directions } = inputs(seed, rows, size);
  const result = await engine().checked(() => model.jets({ points, directions, order }));
  model.destroy();
  const ref = referenceJets(spec, points, directions, order);
  return { errors: orderErrors(result.coefficients, ref), result };
}

function expectWithin(errors: number[]) {
  const bad = errors.map((e, n) => [n, e] as const).filter(([n, e]) => !(e <= tolerance(n)));
  expect(bad, `orders over tolerance: ${bad.map(([n, e]) => `${n}: ${e.toExponential(2)}`).join(', ')}`).toEqual([]);
}

const report = (label: string, errors: number[]) =>
  console.log(`${label}: err_1 ${errors[1]?.toExponential(1)}, err_4 ${errors[4]?.toExponential(1)}, err_8 ${errors[8]?.toExponential(1)}, ` +
    `err_60 ${errors[60]?.toExponential(1) ?? '-'}, max ${Math.max(...errors).toExponential(1)}`);

describe('2-64-64-1 tanh MLP vs the f64 reference', () => {
  // Weights of order one: std 1/√fan_in keeps pre-activations O(1); std 1 (every weight O(1),
  // pre-activations ~8 in the second layer) saturates tanh and makes the coefficients grow fast.
  const configs = [
    { name: 'weights N(0, 1/fan_in)', spec: randomMlp([2, 64, 64, 1], { seed: 21 }) },
    { name: 'weights N(0, 1)', spec: randomMlp([2, 64, 64, 1], { seed: 22, weightStd: 1 }) },
  ];
  for (const { name, spec } of configs) {
    for (const order of [1, 4, 8, 60]) {
      it(`${name}, order ${order}`, async () => {
        const { errors, result } = await compare(spec, 16, order, 100 + order);
        if (order === 60) report(`MLP ${name}, order 60 (${result.passes} passes, scales 2^${Math.min(...Array.from(result.scales, Math.log2))}..2^${Math.max(...Array.from(result.scales, Math.log2))})`, errors);
        expect(result.converged).toBe(true);
        expectWithin(errors);
      });
    }
  }

  it('one direction for all points, and points as arrays', async () => {
    const spec = randomMlp([2, 8, 1], { seed: 3 });
    const model = new Model(engine(), spec);
    const points = [[0.1, 0.2], [0.3, -0.4], [1, 2]];
    const a = await model.jets({ points, directions: [[1, 0]], order: 5 });
    const b = await model.jets({ points: points.flat(), directions: [1, 0, 1, 0, 1, 0], order: 5 });
    model.destroy();
    expect(Array.from(a.coefficients)).toEqual(Array.from(b.coefficients));
    expect(a.rows).toBe(3);
  });

  it('rejects points of the wrong size', async () => {
    const model = new Model(engine(), randomMlp([2, 8, 1], { seed: 3 }));
    await expect(model.jets({ points: [[1, 2, 3]], directions: [[1, 0, 0]], order: 2 })).rejects.toThrow(/point 0 has 3 numbers, the input needs 2/);
    model.destroy();
  });
});

// Every activation layer the registry declares (kernels/index.ts), new ones included without a
// line here, through a model file's layer walk (Model.forward) against forward64's.
describe('each activation layer in a 2-16-16-1 MLP vs the f64 reference', () => {
  for (const activation of ACTIVATION_TYPES) {
    for (const order of [1, 4, 8, 60]) {
      it(`${activation}, order ${order}`, async () => {
        const { errors, result } = await compare(randomMlp([2, 16, 16, 1], { seed: 31, activation }), 8, order, 500 + order);
        expect(result.converged).toBe(true);
        expectWithin(errors);
      });
    }
  }
});

describe('small CNNs vs the f64 reference', () => {
  const random = new Random(77);
  const t = (shape: number[], std: number) => tensor(shape, random.normals(shape.reduce((a, b) => a * b, 1), std));
  // The brief's CNN: conv2d → relu → maxpool2d → flatten → dense. Piecewise linear: orders ≥ 2 are exactly 0.
  const reluCnn: ModelSpec = {
    input: [1, 8, 8],
    layers: [
      { type: 'conv2d', weight: t([4, 1, 3, 3], 1 / 3), bias: t([4], 0.3), stride: 1, padding: 1 },
      { type: 'relu' },
      { type: 'maxpool2d', size: 2, stride: 2 },
      { type: 'flatten' },
      { type: 'dense', weight: t([3, 64], 1 / 8), bias: t([3], 0.3) },
    ],
  };
  // Smooth layers everywhere, a strided conv and a pool of stride 1: every order is nonzero.
  const smoothCnn: ModelSpec = {
    input: [2, 9, 9],
    layers: [
      { type: 'conv2d', weight: t([4, 2, 3, 3], 1 / Math.sqrt(18)), bias: t([4], 0.3), stride: 1, padding: 0 },
      { type: 'tanh' },
      { type: 'maxpool2d', size: 2, stride: 1 },
      { type: 'conv2d', weight: t([3, 4, 2, 2], 1 / 4), bias: t([3], 0.3), stride: 2, padding: 1 },
      { type: 'sigmoid' },
      { type: 'flatten' },
      { type: 'dense', weight: t([5, 48], 1 / Math.sqrt(48)), bias: t([5], 0.3) },
      { type: 'tanh' },
      { type: 'dense', weight: t([2, 5], 1), bias: t([2], 0.3) },
    ],
  };
  for (const order of [1, 4, 8, 60]) {
    it(`conv2d → relu → maxpool2d → flatten → dense, order ${order}`, async () => {
      const { errors } = await compare(reluCnn, 6, order, 300 + order);
      expectWithin(errors);
      for (let n = 2; n <= order; n++) expect(errors[n]).toBe(0);
    });
    it(`conv2d → tanh → maxpool2d → conv2d(stride 2) → sigmoid → flatten → dense → tanh → dense, order ${order}`, async () => {
      const { errors } = await compare(smoothCnn, 6, order, 400 + order);
      if (order === 60) report('smooth CNN, order 60', errors);
      expectWithin(errors);
    });
  }
});

describe('Model', () => {
  it('loads from JSON, releases its weights, and refuses use after destroy', async () => {
    const e = engine();
    const before = e.pool.stats().liveBytes;
    const model = Model.fromJson(e, '{"format":"jetcurve-model/1","input":[2],"layers":[{"type":"dense","weight":[[1,2]],"bias":[0.5]},{"type":"tanh"}]}');
    const r = await model.jets({ points: [0, 0], directions: [1, 0], order: 3 });
    // tanh(t + 0.5) at t = 0: c_0 = tanh 0.5, c_1 = 1 − tanh² 0.5.
    expect(r.coefficients[0]).toBeCloseTo(Math.tanh(0.5), 6);
    expect(r.coefficients[1]).toBeCloseTo(1 - Math.tanh(0.5) ** 2, 6);
    expect(model.outputShape).toEqual([1]);
    model.destroy();
    expect(e.pool.stats().liveBytes).toBe(before);
    await expect(model.jets({ points: [0, 0], directions: [1, 0], order: 3 })).rejects.toThrow(/after destroy/);
  });

  it('Model.fromFile, as in the README', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jetcurve-')), 'm.json');
    const spec = randomMlp([2, 8, 1], { seed: 4 });
    await saveModel(path, spec);
    const model = await Model.fromFile(engine(), path);
    const r = await model.jets({ points: [[0.5, 0.5]], directions: [[1, 1]], order: 8 });
    model.destroy();
    expect(orderErrors(r.coefficients, referenceJets(spec, [0.5, 0.5], [1, 1], 8)).every((e) => e < 1e-5)).toBe(true);
  });

  it('a model of flatten only gives back its input', async () => {
    const model = new Model(engine(), { input: [1, 2, 2], layers: [{ type: 'flatten' }] });
    const r = await model.jets({ points: [1, 2, 3, 4], directions: [0, 1, 0, 0], order: 2 });
    model.destroy();
    expect(Array.from(r.coefficients)).toEqual([1, 2, 3, 4, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
});
