// Initialisation: bounds, variances and fans of Glorot uniform and He normal, zero biases, seeds.
import { describe, expect, it } from 'vitest';
import { mlp } from '../src/train/architectures.js';
import { checkConfig, runIdentity, type TrainConfig } from '../src/train/config.js';
import { initConv2d, initDense } from '../src/train/init.js';
import { moonsRun, runKey } from '../src/reproduce/runs.js';
import { Random } from '../src/util/random.js';

function variance(w: Float32Array): number {
  let s = 0;
  let q = 0;
  for (const x of w) {
    s += x;
    q += x * x;
  }
  return q / w.length - (s / w.length) ** 2;
}

describe('initialisation', () => {
  it('Glorot uniform for a tanh dense layer: U(±√(6/(in+out))), variance 2/(in+out)', () => {
    const { weight, bias } = initDense(64, 64, 'tanh', new Random(1));
    const limit = Math.sqrt(6 / 128);
    expect(weight.length).toBe(64 * 64);
    expect(Math.max(...weight.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...weight.map(Math.abs))).toBeGreaterThan(0.95 * limit);
    // 4 096 draws: the sample variance has a relative standard error of √(0.8/4096) ≈ 1.4%.
    expect(Math.abs(variance(weight) / (2 / 128) - 1)).toBeLessThan(0.07);
    expect(bias).toEqual(new Float32Array(64));
  });

  it('Glorot for conv: fan_in = in·kh·kw, fan_out = out·kh·kw', () => {
    const { weight, bias } = initConv2d(16, 8, 3, 3, 'none', new Random(2));
    expect(weight.length).toBe(16 * 8 * 9);
    expect(bias.length).toBe(16);
    const limit = Math.sqrt(6 / (8 * 9 + 16 * 9));
    expect(Math.max(...weight.map(Math.abs))).toBeLessThanOrEqual(limit);
    expect(Math.max(...weight.map(Math.abs))).toBeGreaterThan(0.95 * limit);
  });

  it('He normal for relu: N(0, 2/fan_in)', () => {
    const { weight } = initConv2d(64, 32, 3, 3, 'relu', new Random(3));
    // fan_in = 288; 18 432 draws: relative standard error of the variance √(2/18432) ≈ 1%.
    expect(Math.abs(variance(weight) / (2 / 288) - 1)).toBeLessThan(0.05);
    expect(Math.max(...weight.map(Math.abs))).toBeGreaterThan(3 * Math.sqrt(2 / 288)); // untruncated tails
    const dense = initDense(128, 9216, 'relu', new Random(4)).weight;
    expect(Math.abs(variance(dense) / (2 / 9216) - 1)).toBeLessThan(0.02);
  });

  it('is seeded', () => {
    expect(initDense(8, 4, 'tanh', new Random(5))).toEqual(initDense(8, 4, 'tanh', new Random(5)));
    expect(initDense(8, 4, 'tanh', new Random(5)).weight).not.toEqual(initDense(8, 4, 'tanh', new Random(6)).weight);
  });

  it('the MLP\'s --init pytorch: weights and biases U(±1/√fan_in), variance 1/(3·fan_in); xavier keeps zero biases', () => {
    const dense = (init: 'xavier' | 'pytorch') => mlp([2], 2, 7, [64, 64], init).spec.layers.flatMap((l) => (l.type === 'dense' ? [l] : []));
    const layers = dense('pytorch');
    expect(layers.map((l) => l.weight.shape)).toEqual([[64, 2], [64, 64], [2, 64]]);
    // Pooled over the 64-in layers: 4 096 + 128 weights, 64 + 2 biases; a uniform's variance has
    // a relative standard error of √(0.8/n): 1.4% for the weights, 11% for the biases.
    for (const l of layers) {
      const bound = 1 / Math.sqrt(l.weight.shape[1]!);
      for (const t of [l.weight.data, l.bias.data]) {
        expect(Math.max(...t.map(Math.abs))).toBeLessThanOrEqual(bound);
        expect(Math.max(...t.map(Math.abs))).toBeGreaterThan(0.5 * bound);
      }
    }
    const pooled = (pick: (l: (typeof layers)[number]) => Float32Array) => Float32Array.from(layers.slice(1).flatMap((l) => [...pick(l)]));
    expect(Math.abs(variance(pooled((l) => l.weight.data)) / (1 / (3 * 64)) - 1)).toBeLessThan(0.07);
    expect(Math.abs(variance(pooled((l) => l.bias.data)) / (1 / (3 * 64)) - 1)).toBeLessThan(0.45);
    const first = layers[0]!; // fan_in 2: bound 0.71, 128 weights and 64 biases
    expect(Math.abs(variance(Float32Array.from([...first.weight.data, ...first.bias.data])) / (1 / 6) - 1)).toBeLessThan(0.35);
    for (const l of dense('xavier')) expect(l.bias.data).toEqual(new Float32Array(l.bias.data.length));
    expect(mlp([2], 2, 7).spec).toEqual(mlp([2], 2, 7, [64, 64], 'xavier').spec);
  });

  it('--init is checked, and only the non-default init changes a run\'s identity and folder name', () => {
    const base: TrainConfig = { ...moonsRun(1, 5, 0.3), out: 'x', resume: false, lambdaPoints: 0 };
    expect(() => checkConfig({ ...base, init: 'kaiming' as 'xavier' })).toThrow(/unknown initialisation 'kaiming'/);
    expect(() => checkConfig({ ...base, init: 'pytorch', dataset: 'mnist', model: 'cnn' })).toThrow(/--init pytorch chooses the MLP's/);
    expect(() => checkConfig({ ...base, init: 'pytorch' })).not.toThrow();
    expect(runIdentity({ ...base, init: 'xavier' })).toEqual(runIdentity(base));
    expect(runIdentity({ ...base, init: 'pytorch' })).not.toEqual(runIdentity(base));
    const spec = moonsRun(1, 5, 0.3);
    expect(runKey({ ...spec, init: 'xavier' })).toBe(runKey(spec));
    expect(runKey(spec)).toBe('moons_mlp_plain_noise0.3_e5_b128_lr0.01_seed1');
    expect(runKey({ ...spec, init: 'pytorch' })).toBe('moons_mlp_plain_noise0.3_e5_b128_lr0.01_pytorchinit_seed1');
  });
});
