// Initialisation: bounds, variances and fans of Glorot uniform and He normal, zero biases, seeds.
import { describe, expect, it } from 'vitest';
import { initConv2d, initDense } from '../src/train/init.js';
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
});
