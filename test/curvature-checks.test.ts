// The pre-flight check of a Hessian-vector product: a correct operator passes; each classic
// silent bug (an accumulator kept between calls, batch leakage, an unsymmetric product) fails
// the identity it breaks. Malformed parameter blocks are refused.
import { describe, expect, it } from 'vitest';
import { checkOperator } from '../src/curvature/checks.js';
import { hutchinson } from '../src/curvature/hutchinson.js';
import { DenseOperator, type SymmetricOperator } from '../src/curvature/operator.js';
import { mlpLikeSpectrum, withSpectrum } from './curvature-matrices.js';

const n = 40;
const a = withSpectrum(mlpLikeSpectrum(n, [5, 2, -1], 1), 2);
const good = new DenseOperator(n, a);

describe('checkOperator', () => {
  it('passes a correct operator', async () => {
    const c = await checkOperator(good);
    expect(c.ok).toBe(true);
    expect(Math.max(c.symmetry, c.linearity, c.repeatability, c.batching)).toBeLessThan(1e-13);
  });

  it('catches an accumulator that is not cleared between calls', async () => {
    let acc = new Float64Array(n);
    const leaky: SymmetricOperator = {
      size: n,
      async apply(vs) {
        const out = await good.apply(vs);
        return out.map((hv) => { acc = acc.map((x, i) => x + hv[i]!); return Float64Array.from(acc); });
      },
    };
    const c = await checkOperator(leaky);
    expect(c.ok).toBe(false);
    expect(c.repeatability).toBeGreaterThan(0.1);
  });

  it('catches vectors of a batch leaking into each other', async () => {
    const mixed: SymmetricOperator = {
      size: n,
      async apply(vs) {
        const out = await good.apply(vs);
        return out.map((hv, k) => (k > 0 ? hv.map((x, i) => x + 1e-3 * out[0]![i]!) : hv));
      },
    };
    const c = await checkOperator(mixed);
    expect(c.ok).toBe(false);
    expect(c.batching).toBeGreaterThan(1e-5);
  });

  it('catches an unsymmetric product (a transpose missing in one block)', async () => {
    const bad = Float64Array.from(a);
    for (let j = 1; j < n; j++) bad[j] = 2 * a[j]!; // row 0 doubled, column 0 not
    const c = await checkOperator(new DenseOperator(n, bad));
    expect(c.ok).toBe(false);
    expect(c.symmetry).toBeGreaterThan(1e-4);
    expect(c.linearity).toBeLessThan(1e-13);
  });
});

describe('parameter blocks', () => {
  it('an operator with overlapping or out-of-range blocks is refused by the estimators', async () => {
    const overlapping: SymmetricOperator = { size: n, blocks: [{ name: 'a', offset: 0, size: 10 }, { name: 'b', offset: 5, size: 10 }], apply: (vs) => good.apply(vs) };
    await expect(hutchinson(overlapping)).rejects.toThrow(/'b' overlaps/);
    const outside: SymmetricOperator = { size: n, blocks: [{ name: 'w', offset: 35, size: 10 }], apply: (vs) => good.apply(vs) };
    await expect(hutchinson(outside)).rejects.toThrow(/does not fit in 0..40/);
  });
});
