// §5.6 / Table 2: SAM vs CRR (orders 2–4) vs CRR (orders 1–4) on MNIST: accuracy, ECE, hard-20%
// accuracy, λ on the digit pairs 4/9, 3/8, 6/7, and training time.
import { MNIST_CONFUSABLE_PAIRS } from '../../train/metrics.js';
import { paperValue } from '../paper.js';
import { COMPARISON_HEADER, comparisonRow, noteRow, figure, fmt, fmtSummary, heading, paragraph, table, type Block } from '../report.js';
import { color, meanWithErrorBars, svgPlot } from '../figures.js';
import { summarize } from '../stats.js';
import type { Experiment, Plan, ScaleName, UnitContext } from '../types.js';
import { seedList } from '../runs.js';
import { MNIST_SCALES, mnistSettings, mnistSpec, trainAndMeasureMnist, type MnistResult, recipeNote, type MnistScale } from './mnist-common.js';

/**
 * Table 2 does not give the CRR scale. flatgrad's library default 1e-3 left the network as plain
 * training left it (our first quick run), so we take 100: §5.4 reports λ unchanged for scales
 * 0–10 and lowered from 100 on, and Table 1 trains its orders at 1, 100 and 200.
 */
const CRR_SCALE = 100;
const CRR_SCALE_WHY = 'the smallest scale at which §5.4 reports a lower λ (Table 1 uses 1, 100, 200)';
const METHODS = [
  { key: 'sam', label: 'SAM (ρ = 0.05)', reg: { kind: 'sam', rho: 0.05 } },
  { key: 'crr24', label: 'CRR (n = 2–4)', reg: { kind: 'crr', scale: CRR_SCALE, orders: [2, 3, 4] } },
  { key: 'crr14', label: 'CRR (n = 1–4)', reg: { kind: 'crr', scale: CRR_SCALE, orders: [1, 2, 3, 4] } },
] as const;
const PAIRS = MNIST_CONFUSABLE_PAIRS;
interface Result extends MnistResult { readonly method: string }

function plan(scale: ScaleName): Plan {
  const s = MNIST_SCALES[scale];
  return {
    settings: mnistSettings(scale, s, { 'label noise': 'none', methods: METHODS.map((m) => m.label).join('; '), 'CRR scale': `${CRR_SCALE} (not given in the paper; ${CRR_SCALE_WHY})`,
      'pair λ': `λ on the first ${s.lambdaPoints} test images of each digit pair ${PAIRS.map((p) => p.join('/')).join(', ')}`, 'training time': 'sum of the epochs\' training seconds (evaluation excluded) on this machine' }),
    units: seedList(s.seeds).flatMap((seed) => METHODS.map((m) => ({
      key: `${m.key}_seed${seed}`,
      run: async (ctx: UnitContext): Promise<Result> => ({ method: m.key, ...(await trainAndMeasureMnist(ctx, s, mnistSpec(s, seed, 0, m.reg), PAIRS)) }),
    }))),
    report: (stored) => report([...stored.values()] as Result[], s),
  };
}

function report(rs: readonly Result[], s: MnistScale): Block[] {
  const epochs = s.epochs;
  const at = (k: string) => rs.filter((r) => r.method === k);
  const pair = (k: string, p: string) => summarize(at(k).map((r) => r.pairLambda?.[p]?.fitMean ?? NaN));
  const metrics = (k: string) => ({
    accuracy: summarize(at(k).map((r) => 100 * r.accuracy)), ece: summarize(at(k).map((r) => r.ece)), hard: summarize(at(k).map((r) => 100 * r.hard20)),
    time: summarize(at(k).map((r) => r.trainSeconds)),
  });
  const pairKeys = PAIRS.map((p) => p.join('/'));
  /** The paper's claim for one CRR column: λ below SAM's on every pair, by 0.5–1.4. */
  const belowSam = (k: 'crr24' | 'crr14') => {
    const gaps = pairKeys.map((p) => pair('sam', p).mean - pair(k, p).mean);
    const label = METHODS.find((m) => m.key === k)!.label;
    return `${label} λ below SAM's on ${gaps.filter((g) => g > 0).length} of ${gaps.length} pairs (by ${gaps.map((g) => fmt(g, 2)).join(', ')})`;
  };
  const svg = svgPlot({ title: 'MNIST: λ on confusable digit pairs, SAM vs CRR', subtitle: 'mean ± std over seeds (circles with bars: ours; orange: Table 2)', xLabel: 'method and pair', yLabel: 'λ (orders 2–4)',
    xTickLabels: METHODS.flatMap((m, i) => pairKeys.map((p, j) => [4 * i + j, `${m.key} ${p}`] as const)),
    series: [meanWithErrorBars('ours', color(0), METHODS.flatMap((_, i) => pairKeys.map((__, j) => 4 * i + j)), METHODS.flatMap((m) => pairKeys.map((p) => at(m.key).map((r) => r.pairLambda?.[p]?.fitMean ?? NaN)))),
      { label: 'paper', kind: 'markers', color: color(1), points: METHODS.flatMap((m, i) => pairKeys.map((p, j) => [4 * i + j, paperValue('mnist-sam', `${m.key}:lambda:${p}`).value!] as const)) }] });
  return [
    heading('Results'),
    table(['metric', ...METHODS.map((m) => m.label)], [
      ['test accuracy (%)', ...METHODS.map((m) => fmtSummary(metrics(m.key).accuracy, 2))],
      ['ECE', ...METHODS.map((m) => fmtSummary(metrics(m.key).ece, 4))],
      ['hard-20% accuracy (%)', ...METHODS.map((m) => fmtSummary(metrics(m.key).hard, 2))],
      ...pairKeys.map((p) => [`λ (${p})`, ...METHODS.map((m) => fmtSummary(pair(m.key, p), 2))]),
      ['λ (first test images)', ...METHODS.map((m) => fmtSummary(summarize(at(m.key).map((r) => r.lambda.fitMean ?? NaN)), 2))],
      [`training time (s, ${epochs} epochs)`, ...METHODS.map((m) => fmtSummary(metrics(m.key).time, 0))],
    ], 'Mean ± std over seeds, laid out as Table 2.'),
    table([...COMPARISON_HEADER], METHODS.flatMap((m) => [
      comparisonRow(paperValue('mnist-sam', `${m.key}:accuracy`), metrics(m.key).accuracy, 2),
      comparisonRow(paperValue('mnist-sam', `${m.key}:ece`), metrics(m.key).ece, 4),
      comparisonRow(paperValue('mnist-sam', `${m.key}:hard`), metrics(m.key).hard, 2),
      ...pairKeys.map((p) => comparisonRow(paperValue('mnist-sam', `${m.key}:lambda:${p}`), pair(m.key, p), 2)),
      comparisonRow(paperValue('mnist-sam', `${m.key}:time`), metrics(m.key).time, 0),
    ]).concat([noteRow(paperValue('mnist-sam', 'crr-scale'), String(CRR_SCALE), CRR_SCALE_WHY)]), 'Training times are not comparable across machines: the paper\'s are 30 epochs on a GPU; compare the ratios.'),
    figure('sam-pairs', svg, 'λ on the digit pairs 4/9, 3/8, 6/7 per method, ours beside Table 2.'),
    heading('Where we differ, and why we think so'),
    paragraph(`**The claims:** equal accuracy (99.3%), best ECE with CRR 1–4 (0.0029 vs SAM 0.0040), CRR λ 0.5–1.4 below SAM's on every pair, at 2.5–2.7× SAM's training time. Ours: ECE ${METHODS.map((m) => `${m.label} ${fmt(metrics(m.key).ece.mean, 4)}`).join(', ')}; accuracy ${METHODS.map((m) => `${m.label} ${fmt(metrics(m.key).accuracy.mean, 2)}%`).join(', ')}; ${(['crr24', 'crr14'] as const).map((k) => belowSam(k)).join('; ')}; time ratios CRR 2–4 / SAM ${fmt(metrics('crr24').time.mean / metrics('sam').time.mean, 2)}, CRR 1–4 / SAM ${fmt(metrics('crr14').time.mean / metrics('sam').time.mean, 2)} (paper 2.54 and 2.75).`),
    paragraph(`Our CRR computes all four orders in one jet pass with reverse mode through the jets, where the paper nests reverse-mode autodiff once per order; including order 1 therefore costs us almost nothing extra, unlike the paper's 596 s → 646 s. SAM costs two forward-backward passes per step. The CRR scale of Table 2 is not given; ours is ${CRR_SCALE}, ${CRR_SCALE_WHY} (at flatgrad's library default 1e-3 the CRR columns coincided with plain training). Compare the CRR columns with plain Adam (the 0% row of the mnist-noise report) to see what the penalty changed. At quick scale the small CNN and a few epochs on a subset cannot reach 99.3%, and CRR covers only part of each batch with one direction.`),
    ...recipeNote(s),
  ];
}

export const mnistSam: Experiment = {
  name: 'mnist-sam',
  title: 'MNIST: SAM vs CRR (§5.6, Table 2)',
  about: 'The paper (§5.6, Table 2) trains the MNIST CNN with SAM, CRR on orders 2–4 and CRR on orders 1–4 (3 seeds, 30 epochs, batch 128, lr 0.001) and compares accuracy, ECE, hard-20% accuracy, λ on the digit pairs 4/9, 3/8 and 6/7, and training time.',
  plan,
};
