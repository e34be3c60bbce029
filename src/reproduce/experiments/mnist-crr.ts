// §5.4 "Practical Effects of Global CRR": clean MNIST at seven CRR scales; accuracy, ECE,
// hard-20% accuracy and λ per scale.
import { paperValue } from '../paper.js';
import { COMPARISON_HEADER, comparisonRow, noteRow, figure, fmt, fmtSummary, heading, paragraph, table, type Block } from '../report.js';
import { color, meanWithErrorBars, svgPlot } from '../figures.js';
import { summarize } from '../stats.js';
import type { Experiment, Plan, ScaleName, UnitContext } from '../types.js';
import { seedList } from '../runs.js';
import { MNIST_SCALES, mnistSettings, mnistSpec, trainAndMeasureMnist, type MnistResult, recipeNote, type MnistScale } from './mnist-common.js';

const SCALES = [0, 0.01, 0.1, 1, 10, 100, 200] as const;
/** §5.4 does not say which orders it penalizes; 2–4 is what Table 1 finds keeps λ in the task's band. */
const ORDERS = [2, 3, 4] as const;
interface Result extends MnistResult { readonly crrScale: number }

function plan(scale: ScaleName): Plan {
  // §5.4 trains five seeds per scale (Tables 1 and 2: three).
  const s = scale === 'paper' ? { ...MNIST_SCALES.paper, seeds: 5 } : MNIST_SCALES[scale];
  return {
    settings: mnistSettings(scale, s, { 'label noise': 'none', 'CRR scales': SCALES.join(', '), 'CRR orders': `${ORDERS.join(', ')} (not stated in §5.4; our choice)` }),
    units: seedList(s.seeds).flatMap((seed) => SCALES.map((c) => ({
      key: `scale${c}_seed${seed}`,
      run: async (ctx: UnitContext): Promise<Result> => ({
        crrScale: c, ...(await trainAndMeasureMnist(ctx, s, mnistSpec(s, seed, 0, c === 0 ? { kind: 'none' } : { kind: 'crr', scale: c, orders: ORDERS }))),
      }),
    }))),
    report: (stored) => report([...stored.values()] as Result[], s),
  };
}

function report(rs: readonly Result[], s: MnistScale): Block[] {
  const at = (c: number) => rs.filter((r) => r.crrScale === c);
  const col = (cs: readonly number[], f: (r: Result) => number) => summarize(cs.flatMap((c) => at(c).map(f)));
  const lam = (r: Result) => r.lambda.fitMean ?? NaN;
  const xs = SCALES.map((_, i) => i);
  const ticks = SCALES.map((c, i) => [i, String(c)] as const);
  const lamSvg = svgPlot({ title: 'MNIST: λ per CRR scale', subtitle: 'mean ± std over seeds; the paper: ≈ −2.6 up to 10, −3.1 to −3.3 at 100–200', xLabel: 'CRR scale (orders 2–4)', yLabel: 'λ (orders 2–4)', xTickLabels: ticks,
    series: [meanWithErrorBars('ours', color(0), xs, SCALES.map((c) => at(c).map(lam))), { label: 'paper', kind: 'markers', color: color(1), points: [[0, -2.6], [4, -2.6], [5, -3.2], [6, -3.2]] }] });
  const eceSvg = svgPlot({ title: 'MNIST: ECE per CRR scale', subtitle: 'mean ± std over seeds; the paper: 0.012 → 0.010 → 0.008', xLabel: 'CRR scale (orders 2–4)', yLabel: 'ECE (15 bins)', xTickLabels: ticks,
    series: [meanWithErrorBars('ours', color(0), xs, SCALES.map((c) => at(c).map((r) => r.ece))), { label: 'paper', kind: 'markers', color: color(1), points: [[0, 0.012], [1, 0.010], [2, 0.010], [3, 0.010], [5, 0.008], [6, 0.008]] }] });
  return [
    heading('Results'),
    table(['CRR scale', 'accuracy (%)', 'ECE', 'hard-20% accuracy (%)', 'λ', 'train s/run'], SCALES.map((c) => [String(c),
      fmtSummary(summarize(at(c).map((r) => 100 * r.accuracy)), 2), fmtSummary(summarize(at(c).map((r) => r.ece)), 4),
      fmtSummary(summarize(at(c).map((r) => 100 * r.hard20)), 1), fmtSummary(summarize(at(c).map(lam))), fmt(summarize(at(c).map((r) => r.trainSeconds)).mean, 0)]), 'Mean ± std over seeds.'),
    table([...COMPARISON_HEADER], [
      comparisonRow(paperValue('mnist-crr', 'accuracy'), col(SCALES, (r) => 100 * r.accuracy), 2),
      comparisonRow(paperValue('mnist-crr', 'ece0'), col([0], (r) => r.ece), 4),
      comparisonRow(paperValue('mnist-crr', 'eceMid'), col([0.01, 0.1, 1], (r) => r.ece), 4),
      comparisonRow(paperValue('mnist-crr', 'eceHigh'), col([100, 200], (r) => r.ece), 4),
      comparisonRow(paperValue('mnist-crr', 'hard'), col(SCALES, (r) => 100 * r.hard20), 1),
      comparisonRow(paperValue('mnist-crr', 'lambdaMid'), col([0, 0.01, 0.1, 1, 10], lam)),
      comparisonRow(paperValue('mnist-crr', 'lambdaHigh'), col([100, 200], lam)),
      noteRow(paperValue('mnist-crr', 'orders'), ORDERS.join(', '), 'our choice (Table 1: orders 2–4 keep λ in the task\'s band)'),
    ], 'Rows that name a range of scales pool those scales\' runs.'),
    figure('crr-lambda', lamSvg, 'λ per CRR scale.'),
    figure('crr-ece', eceSvg, 'ECE per CRR scale.'),
    heading('Where we differ, and why we think so'),
    paragraph(`**The claims:** accuracy unchanged across scales (97.8% ± 0.3), ECE falling from 0.012 to 0.008, hard-sample accuracy stable at 89–90%, λ ≈ −2.6 up to scale 10 and −3.1 to −3.3 at 100–200. Ours: accuracy ${fmt(col(SCALES, (r) => 100 * r.accuracy).mean, 2)}%, ECE ${fmt(col([0], (r) => r.ece).mean, 4)} at 0 vs ${fmt(col([100, 200], (r) => r.ece).mean, 4)} at 100–200, λ ${fmt(col([0, 0.01, 0.1, 1, 10], lam).mean)} (0–10) vs ${fmt(col([100, 200], lam).mean)} (100–200), a change of ${fmt(col([100, 200], lam).mean - col([0, 0.01, 0.1, 1, 10], lam).mean, 2)} where the paper's is about −0.6; accuracy ${fmt(col([0], (r) => 100 * r.accuracy).mean, 2)}% at scale 0 and ${fmt(col([200], (r) => 100 * r.accuracy).mean, 2)}% at 200.`),
    paragraph('The paper\'s 97.8% accuracy for this CNN is below its own 99.3% in Table 2 for the same architecture and training; we cannot tell which protocol produced it. Our penalty\'s absolute size depends on its normalization (mean over samples and directions of |Dⁿ_u L|, summed over orders; src/train/crr.ts), which the paper does not spell out, so equal scale numbers need not mean equal strength. At quick scale the small CNN trains for a few epochs on a subset, and CRR penalizes only part of each batch with one direction (cost control), which weakens the penalty further.'),
    ...recipeNote(s),
  ];
}

export const mnistCrr: Experiment = {
  name: 'mnist-crr',
  title: 'MNIST: CRR scales, accuracy, ECE, hard-20% accuracy and λ (§5.4)',
  about: 'The paper (§5.4) trains 35 MNIST CNNs at seven CRR scales (0, 0.01, 0.1, 1, 10, 100, 200; five seeds each) on clean MNIST: accuracy stays at 97.8% ± 0.3%, ECE falls from 0.012 to 0.008, λ stays near −2.6 up to scale 10 and drops to −3.1…−3.3 at 100–200.',
  plan,
};
