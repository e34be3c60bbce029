// The statistics of the reproduction reports against values from scipy.stats (1.x) and exact
// enumeration, the result store's resume rules, and the paper table's integrity. No GPU.
import { mkdtempSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENT_NAMES, PAPER, paperText, paperValue } from '../src/reproduce/paper.js';
import { comparisonRow } from '../src/reproduce/report.js';
import { reportHtml } from '../src/reproduce/report-html.js';
import { reportMarkdown } from '../src/reproduce/report-md.js';
import { ResultStore } from '../src/reproduce/store.js';
import { moonsRun, runKey } from '../src/reproduce/runs.js';
import { bootstrapSlope, percentileInterval, permutationTestIndependent } from '../src/reproduce/resample.js';
import { measuredEpochs } from '../src/reproduce/experiments/moons-dynamics.js';
import { trendText } from '../src/reproduce/experiments/moons-common.js';
import { incompleteBeta, linearFit, pearson, permutationTest, ranks, spearman, summarize, tQuantile975, tTwoSidedP } from '../src/reproduce/stats.js';

describe('statistics', () => {
  it('Pearson r and its p match scipy.stats.pearsonr', () => {
    const a = pearson([1, 2, 3, 4, 5], [2, 4, 5, 4, 5]);
    expect(a.r).toBeCloseTo(0.7745966692414834, 12);
    expect(a.p).toBeCloseTo(0.1240270626575546, 10);
    const b = pearson([3.1, 2.2, 4.8, 1.0, 5.5, 3.3, 2.9, 4.1], [10, 8, 13, 7, 15, 9, 11, 12]);
    expect(b.r).toBeCloseTo(0.9510938836478069, 12);
    expect(b.p).toBeCloseTo(0.0002818136448782693, 12);
  });

  it('Spearman ρ (ties get mean ranks) and its p match scipy.stats.spearmanr', () => {
    expect(ranks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
    const s = spearman([1, 2, 3, 4, 5, 6], [1, 3, 2, 2, 6, 5]);
    expect(s.r).toBeCloseTo(0.753702346348183, 12);
    expect(s.p).toBeCloseTo(0.08352328137325983, 10);
  });

  it('Student t: two-sided p and the 97.5% quantile match scipy.stats.t', () => {
    expect(tTwoSidedP(2.0, 10)).toBeCloseTo(0.07338803477074037, 12);
    expect(tQuantile975(3)).toBeCloseTo(3.1824463052837078, 9);
    expect(tQuantile975(39)).toBeCloseTo(2.022690920036761, 9);
    expect(incompleteBeta(0.5, 2, 2)).toBeCloseTo(0.5, 14);
  });

  it('the permutation test agrees with exact enumeration (120 and 40 320 permutations)', () => {
    // Exact: 16 of the 120 orderings of y reach |r| ≥ 0.7746.
    const a = permutationTest([1, 2, 3, 4, 5], [2, 4, 5, 4, 5], 20000, 1);
    expect(a.p).toBeGreaterThan(16 / 120 - 0.01);
    expect(a.p).toBeLessThan(16 / 120 + 0.01);
    // Exact: 25 of 40 320 (p = 6.2e-4); the estimate counts the observed ordering, so ≥ 1/(N+1).
    const b = permutationTest([3.1, 2.2, 4.8, 1.0, 5.5, 3.3, 2.9, 4.1], [10, 8, 13, 7, 15, 9, 11, 12], 20000, 2);
    expect(b.p).toBeLessThan(0.002);
    expect(b.p).toBeGreaterThanOrEqual(1 / 20001);
    // Seeded: the same seed gives the same p.
    expect(permutationTest([1, 2, 3, 4, 5], [2, 4, 5, 4, 5], 500, 7).p).toBe(permutationTest([1, 2, 3, 4, 5], [2, 4, 5, 4, 5], 500, 7).p);
  });

  it('summaries: mean, std (n − 1), t interval; missing values are skipped', () => {
    const s = summarize([1, 2, 3, 4, NaN]);
    expect(s.n).toBe(4);
    expect(s.mean).toBe(2.5);
    expect(s.std).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(s.ci95[1] - s.mean).toBeCloseTo(3.1824463052837078 * Math.sqrt(5 / 3) / 2, 8);
    expect(summarize([]).n).toBe(0);
    expect(pearson([1, 2], [1, 2]).p).toBeNaN();
    expect(linearFit([0, 1, 2], [1, 3, 5])).toEqual({ slope: 2, intercept: 1 });
  });
});

describe('result store', () => {
  it('appends one line per unit, reads them back, and ignores a last line cut short', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'jetcurve-store-')), 'x', 'results.jsonl');
    const store = new ResultStore(path);
    expect(store.size).toBe(0);
    await store.append('seed1', { lambda: 1.5 }, 2);
    await store.append('seed2', { lambda: 1.7 }, 3);
    appendFileSync(path, '{"unit":"seed3","data":{"lam');
    const again = new ResultStore(path);
    expect(again.size).toBe(2);
    expect(again.has('seed1') && again.has('seed2') && !again.has('seed3')).toBe(true);
    expect(again.data().get('seed2')).toEqual({ lambda: 1.7 });
    // A redone unit appends a new line; the later one wins.
    await again.append('seed3', { lambda: 2 }, 1);
    expect(new ResultStore(path).data().get('seed3')).toEqual({ lambda: 2 });
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(4);
  });

  it('a missing file is an empty store', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jetcurve-store-'));
    writeFileSync(join(dir, 'other'), '');
    expect(new ResultStore(join(dir, 'results.jsonl')).size).toBe(0);
  });
});

describe('training runs', () => {
  it('a run\'s folder name changes with every setting that changes the run', () => {
    const base = moonsRun(3, 25, 0.3);
    const keys = [base, moonsRun(4, 25, 0.3), moonsRun(3, 50, 0.3), moonsRun(3, 25, 0),
      moonsRun(3, 25, 0.3, { scale: 0.003, orders: [2, 3], directions: 1, every: 1 }), moonsRun(3, 25, 0.3, { scale: 0.003, orders: [2, 3], directions: 2, every: 1 }),
      { ...base, trainSize: 500 }, { ...base, lr: 0.001 }].map(runKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(runKey(base)).toBe('moons_mlp_plain_noise0.3_e25_b128_lr0.01_seed3');
  });
});

describe('paper table and reports', () => {
  it('every experiment has reference rows, keys are unique, numbers print as transcribed', () => {
    for (const name of EXPERIMENT_NAMES) expect(PAPER.some((p) => p.experiment === name)).toBe(true);
    const keys = PAPER.map((p) => `${p.experiment}/${p.key}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(paperText(paperValue('moons-sweep', 'reduction'))).toBe('41');
    expect(paperText(paperValue('moons-clean', 'error'))).toBe('3.42 (95% CI 2.44 to 4.56)');
    expect(paperText(paperValue('mnist-sam', 'crr14:ece'))).toBe('0.0029 ± 0.0004');
    expect(paperText(paperValue('moons-protocol', 'directions'))).toMatch(/no number/);
  });

  it('a comparison row says whether the paper lies in our 95% CI', () => {
    expect(comparisonRow(paperValue('moons-clean', 'lambda'), summarize([1.9, 2.0, 2.1]))[3]).toMatch(/^agrees \(the paper's value is inside/);
    expect(comparisonRow(paperValue('moons-clean', 'lambda'), summarize([1.79, 1.8, 1.81]))[3]).toMatch(/inside the paper's 95% CI/);
    expect(comparisonRow(paperValue('moons-clean', 'lambda'), summarize([0.9, 1.0, 1.1]))[3]).toMatch(/^differs by -0.980/);
    expect(comparisonRow(paperValue('moons-clean', 'lambda'), null)[2]).toBe('not measured yet');
  });

  it('a mean within the paper\'s ± std over its seeds agrees, one outside it differs (Table 2: CRR 2–4 ECE 0.0038 ± 0.0003)', () => {
    const ece = paperValue('mnist-sam', 'crr24:ece');
    expect(comparisonRow(ece, summarize([0.0036, 0.0036]), 4)[3]).toBe('agrees (our mean is within the paper\'s ± std over its seeds; differs by -0.0002)');
    expect(comparisonRow(ece, summarize([0.0030, 0.0032]), 4)[3]).toBe('differs by -0.0007 (-18%)');
    // A relative difference under 1% keeps a decimal rather than printing "-0%".
    expect(comparisonRow(paperValue('mnist-crr', 'accuracy'), summarize([97.3, 97.4]), 2)[3]).toBe('differs by -0.45 (-0.5%)');
  });

  it('Markdown and HTML render the same blocks; the HTML has no external reference', () => {
    const report = {
      title: 'T <x>', experiment: 'moons-clean', status: 'PARTIAL: 1 of 2',
      blocks: [{ kind: 'paragraph', text: 'a **b** `c`' }, { kind: 'table', header: ['a', 'b|c'], rows: [['1', '2']] },
        { kind: 'figure', name: 'f', svg: '<svg xmlns="http://www.w3.org/2000/svg"></svg>', caption: 'cap' }],
    } as const;
    const md = reportMarkdown(report);
    expect(md).toContain('| a | b\\|c |');
    expect(md).toContain('![cap](figures/f.svg)');
    const html = reportHtml(report);
    expect(html).toContain('<title>T &lt;x&gt;</title>');
    expect(html).toContain('<strong>b</strong> <code>c</code>');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/<(link|script|img)\b|src=|@import/);
  });
});

describe('the Two Moons notebook\'s resampling statistics and measurement epochs', () => {
  it('percentile intervals follow NumPy\'s linear interpolation', () => {
    // np.percentile([1, 2, 3, 4, 5], [2.5, 97.5]) = [1.1, 4.9]
    const [lo, hi] = percentileInterval([5, 3, 1, 4, 2, NaN]);
    expect(lo).toBeCloseTo(1.1, 12);
    expect(hi).toBeCloseTo(4.9, 12);
  });

  it('a bootstrap of the slope of an exact line is that slope, interval included', () => {
    const x = [0, 1, 2, 3, 4, 5, 6, 7];
    const r = bootstrapSlope(x, x.map((v) => 1 - 0.3 * v), 200, 1);
    expect(r.slope).toBeCloseTo(-0.3, 12);
    expect(r.ci95[0]).toBeCloseTo(-0.3, 10);
    expect(r.ci95[1]).toBeCloseTo(-0.3, 10);
    // Noisy data: the interval holds the least-squares slope.
    const y = x.map((v, i) => 2 * v + (i % 3) - 1);
    const noisy = bootstrapSlope(x, y, 500, 2);
    expect(noisy.ci95[0]).toBeLessThan(noisy.slope);
    expect(noisy.ci95[1]).toBeGreaterThan(noisy.slope);
  });

  it('scipy\'s independent permutation test: p is the share of re-splits of the pooled values with |r| at least the observed', () => {
    const x = [1, 2, 4];
    const y = [3, 1.5, 5];
    const rOf = (a: readonly number[], b: readonly number[]) => pearson(a, b).r;
    const observed = Math.abs(rOf(x, y));
    // Exact: every ordering of the 6 pooled values, split 3 | 3.
    const pooled = [...x, ...y];
    let extreme = 0;
    let total = 0;
    const permute = (rest: number[], chosen: number[]): void => {
      if (rest.length === 0) { total++; if (Math.abs(rOf(chosen.slice(0, 3), chosen.slice(3))) >= observed - 1e-12) extreme++; return; }
      rest.forEach((v, i) => permute([...rest.slice(0, i), ...rest.slice(i + 1)], [...chosen, v]));
    };
    permute(pooled, []);
    const r = permutationTestIndependent(x, y, 10000, 3);
    expect(r.r).toBeCloseTo(rOf(x, y), 12);
    // 10 000 random deals: standard error ≤ 0.005, so 4 standard errors.
    expect(Math.abs(r.p - extreme / total)).toBeLessThan(0.02);
  });

  it('moons-dynamics measures where the notebook does (0-based 0, 5, …, 45 and the last epoch)', () => {
    expect(measuredEpochs(50)).toEqual([1, 6, 11, 16, 21, 26, 31, 36, 41, 46, 50]);
    expect(measuredEpochs(2)).toEqual([1, 2]);
  });

  it('report words follow the numbers', () => {
    expect(trendText([1.39, 1.63, 1.82])).toBe('rises');
    expect(trendText([1.8, 1.6, 1.4])).toBe('falls');
    expect(trendText([1.4, 1.6, 1.5])).toBe('is not monotone');
  });
});
