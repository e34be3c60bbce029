// §5.2 "Controllability Through Regularization": CRR on orders 2 and 3 at six scales, 30% label
// noise; λ and test error per scale (the paper: 41% lower λ at +0.22 pp test error).
import type { CrrRun } from '../../train/crr.js';
import type { LambdaMeasurement } from '../measure.js';
import { paperValue } from '../paper.js';
import { COMPARISON_HEADER, comparisonRow, noteRow, figure, fmt, fmtSummary, heading, paragraph, table, type Block } from '../report.js';
import { color, meanWithErrorBars, svgPlot } from '../figures.js';
import type { Summary } from '../stats.js';
import type { Experiment, Plan, ScaleName, UnitContext } from '../types.js';
import { seedList } from '../runs.js';
import { PROTOCOL_TEXT, lambdaOf, moonsSettings, moonsSpec, over, trainAndMeasure, type MoonsEval, type MoonsScale } from './moons-common.js';

interface SweepScale extends MoonsScale { readonly crrDirections: number }
const SCALES: Record<ScaleName, SweepScale> = {
  smoke: { seeds: 1, epochs: 1, trainSize: 256, crrDirections: 1 },
  quick: { seeds: 3, epochs: 25, crrDirections: 1 },
  paper: { seeds: 40, epochs: 25, crrDirections: 2 },
};
/** The paper names 0, 0.002–0.005 and 0.01 of its six scales; 0.001 and the split of 0.002–0.005 are ours. */
export const CRR_SCALES = [0, 0.001, 0.002, 0.003, 0.005, 0.01] as const;
const NOISE = 0.3;
/** "a curvature rate penalty on second- and third-order input derivatives". */
export const crrFor = (scale: number, directions: number): CrrRun | undefined => (scale === 0 ? undefined : { scale, orders: [2, 3], directions, every: 1 });

interface Result extends MoonsEval { readonly crrScale: number; readonly lambda: LambdaMeasurement }

const key = (c: number, seed: number) => `scale${c}_seed${seed}`;

function plan(scale: ScaleName): Plan {
  const s = SCALES[scale];
  return {
    settings: moonsSettings(scale, s, {
      'label noise': `${100 * NOISE}% (training labels)`, 'CRR scales': CRR_SCALES.join(', '),
      CRR: `penalty scale · mean over directions and samples of Σ_{n=2,3} |Dⁿ_u L| (src/train/crr.ts), ${s.crrDirections} random unit direction(s) per sample and step, every step`,
      protocol: PROTOCOL_TEXT,
    }),
    // Seed-major: a partial sweep has every scale for the first seeds.
    units: seedList(s.seeds).flatMap((seed) => CRR_SCALES.map((c) => ({
      key: key(c, seed),
      run: (ctx: UnitContext) => trainAndMeasure(ctx, moonsSpec(s, seed, NOISE, crrFor(c, s.crrDirections)), async (model, data) => ({ crrScale: c, lambda: await lambdaOf(ctx, model, data) })),
    }))),
    report: (stored) => report([...stored.values()] as Result[]),
  };
}

function report(rs: readonly Result[]): Block[] {
  const at = (c: number) => rs.filter((r) => r.crrScale === c);
  const lam = (c: number) => over(at(c), (r) => r.lambda.fitMean);
  const noisy = (c: number) => over(at(c), (r) => 100 * r.noisyTestError);
  const clean = (c: number) => over(at(c), (r) => 100 * r.testError);
  const base = lam(0).mean;
  const reduction = (c: number) => 100 * (1 - lam(c).mean / base);
  const rows = CRR_SCALES.map((c) => [String(c), fmtSummary(lam(c)), Number.isFinite(reduction(c)) && c > 0 ? `${reduction(c).toFixed(0)}%` : '—', fmtSummary(noisy(c), 2), fmtSummary(clean(c), 2)]);
  const mid = [0.002, 0.003, 0.005];
  const midRed = mid.map(reduction).filter(Number.isFinite);
  const midErr = mid.map((c) => noisy(c).mean).filter(Number.isFinite);
  const single = (x: number): Summary | number | null => (Number.isFinite(x) ? x : null);
  const xs = CRR_SCALES.map((_, i) => i);
  const ticks = CRR_SCALES.map((c, i) => [i, String(c)] as const);
  const lamSvg = svgPlot({ title: 'λ per CRR scale (Two Moons, 30% label noise)', subtitle: 'mean ± std over seeds; the paper: 1.59 at 0, 0.94 at 0.01',
    xLabel: 'CRR scale (orders 2–3)', yLabel: 'λ', xTickLabels: ticks,
    series: [meanWithErrorBars('ours', color(0), xs, CRR_SCALES.map((c) => at(c).map((r) => r.lambda.fitMean ?? NaN))),
      { label: 'paper (named scales)', kind: 'markers', color: color(1), points: [[0, 1.59], [5, 0.94]] }] });
  const errSvg = svgPlot({ title: 'Test error per CRR scale', subtitle: 'against noisy test labels (as the paper\'s must be) and clean ones; mean ± std over seeds',
    xLabel: 'CRR scale (orders 2–3)', yLabel: 'test error (%)', xTickLabels: ticks,
    series: [meanWithErrorBars('ours, noisy test labels', color(0), xs, CRR_SCALES.map((c) => at(c).map((r) => 100 * r.noisyTestError))),
      meanWithErrorBars('ours, clean test labels', color(2), xs, CRR_SCALES.map((c) => at(c).map((r) => 100 * r.testError))),
      { label: 'paper', kind: 'markers', color: color(1), points: [[0, 32.25], [5, 32.47]] }] });
  const red = reduction(0.01);
  const inc = noisy(0.01).mean - noisy(0).mean;
  return [
    heading('Results'),
    table(['CRR scale', 'λ', 'λ reduction vs scale 0', 'test error, noisy labels (%)', 'test error, clean labels (%)'], rows, 'Mean ± std over seeds.'),
    table([...COMPARISON_HEADER], [
      comparisonRow(paperValue('moons-sweep', 'lambda0'), lam(0)),
      comparisonRow(paperValue('moons-sweep', 'lambdaMax'), lam(0.01)),
      comparisonRow(paperValue('moons-sweep', 'reduction'), single(red), 0),
      comparisonRow(paperValue('moons-sweep', 'error0'), noisy(0), 2),
      comparisonRow(paperValue('moons-sweep', 'errorMax'), noisy(0.01), 2),
      comparisonRow(paperValue('moons-sweep', 'errorIncrease'), single(inc), 2),
      comparisonRow(paperValue('moons-sweep', 'midReduction'), midRed.length ? midRed.reduce((a, b) => a + b) / midRed.length : null, 0),
      comparisonRow(paperValue('moons-sweep', 'midError'), midErr.length ? midErr.reduce((a, b) => a + b) / midErr.length : null, 2),
      noteRow(paperValue('moons-sweep', 'scales'), CRR_SCALES.join(', '), '0.001 and the split of 0.002–0.005 are our choice'),
    ], 'Test errors here are against noisy test labels (see below). Range rows compare the mean over the scales 0.002, 0.003, 0.005.'),
    figure('sweep-lambda', lamSvg, 'λ per CRR scale.'),
    figure('sweep-error', errSvg, 'Test error per CRR scale.'),
    heading('Where we differ, and why we think so'),
    paragraph(`**The claim** is a large drop in λ (41% from scale 0 to 0.01) at almost no cost in test error (+0.22 pp). Ours: λ falls by ${fmt(red, 0)}% (from ${fmt(base)} to ${fmt(lam(0.01).mean)}) while the test error against noisy labels changes by ${fmt(inc, 2)} pp (clean labels: ${fmt(clean(0.01).mean - clean(0).mean, 2)} pp).`),
    paragraph(`**Why the paper's cost looks small.** Against test labels flipped with probability p, a change Δ of the clean error shows as (1 − 2p)·Δ = 0.4·Δ at p = 0.3, so the paper's +0.22 pp is about +0.55 pp of clean error. Our clean error rises by ${fmt(clean(0.01).mean - clean(0).mean, 2)} pp from scale 0 to 0.01 (0.4 × that is ${fmt(0.4 * (clean(0.01).mean - clean(0).mean), 2)} pp; measured on noisy labels: ${fmt(inc, 2)} pp) and by ${fmt(clean(0.003).mean - clean(0).mean, 2)} pp at 0.003. ${clean(0.01).mean - clean(0).mean > 1.5 ? 'So at the largest scale CRR costs accuracy here, more than "almost no cost"; the 0.002–0.005 regime is where λ drops by a quarter to a third at a small cost, as the paper says.' : 'So CRR costs little accuracy here too.'}`),
    paragraph('**Test error.** The paper\'s ~32% at 30% label noise is only possible if its test labels carry the noise too (a perfect classifier then scores 30%; for binary labels the expected error is 30% + 0.4 × clean error). We report both; the noisy-label column is the one to put beside the paper, the clean one says more about the models.'),
    paragraph('**CRR.** Our penalty is the library form of flatgrad (src/train/crr.ts): scale · mean |Dⁿ_u L| over random unit directions and samples, summed over n = 2, 3, the same direction for both orders. The paper\'s Two Moons notebook draws a fresh direction per order. The paper names only the scales 0, 0.002–0.005 and 0.01, so 0.001 and the points 0.002, 0.003, 0.005 are our choice. At quick scale we train 3 seeds per scale where the paper trains 40, and use 1 direction per sample and step (CRR costs one jet pass over batch × directions rows), so the std over seeds is large relative to the differences between neighbouring scales.'),
    paragraph('**Not reproduced:** the paper\'s "Quantitative Effect Size" (a regression of test error on λ pooling 120 observations across label-noise conditions, slope −0.285) does not say which conditions were pooled, and its sign contradicts its own sentence ("each unit increase in λ associates with approximately 0.29 percentage points higher test error"), so we do not attempt it.'),
  ];
}

export const moonsSweep: Experiment = {
  name: 'moons-sweep',
  title: 'Two Moons: CRR scale sweep under 30% label noise (§5.2)',
  about: 'The paper (§5.2, "Controllability Through Regularization") penalizes second- and third-order input derivatives at six scales (40 seeds each, 30% label noise): λ falls smoothly from 1.59 to 0.94 at scale 0.01 (41%), while test error rises from 32.25% to 32.47%.',
  plan,
};
