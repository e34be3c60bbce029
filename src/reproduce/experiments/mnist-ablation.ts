// §5.5 / Table 1: which derivative orders CRR penalizes, on MNIST with 20% label noise.
import { paperValue } from '../paper.js';
import { COMPARISON_HEADER, comparisonRow, noteRow, figure, fmt, fmtSummary, heading, paragraph, table, type Block } from '../report.js';
import { color, meanWithErrorBars, svgPlot } from '../figures.js';
import type { Experiment, Plan, ScaleName, UnitContext } from '../types.js';
import { seedList } from '../runs.js';
import { LAMBDA_LABEL, lambdaOf, mnistDepartures, mnistSettings, mnistSpec, scaleNote, sectionScales, seedSummary, trainAndMeasureMnist, type MnistResult } from './mnist-common.js';

/** Table 1's rows: orders and scale. */
const CONFIGS = [
  { key: '2-4@100', orders: [2, 3, 4], scale: 100 },
  { key: '2-4@200', orders: [2, 3, 4], scale: 200 },
  { key: '2@200', orders: [2], scale: 200 },
  { key: '1-4@100', orders: [1, 2, 3, 4], scale: 100 },
  { key: '1-4@200', orders: [1, 2, 3, 4], scale: 200 },
  { key: '1@200', orders: [1], scale: 200 },
] as const;
const NOISE = 0.2;
/** Table 1's notebook: 30 epochs, three seeds. */
const PAPER_SEEDS = 3;
const RUN_SCALES = sectionScales(30, PAPER_SEEDS);
/** Plain Adam at the same noise (not in Table 1): what each order set changed. */
const BASELINE = 'none';
interface Result extends MnistResult { readonly config: string }

function plan(scale: ScaleName): Plan {
  const s = RUN_SCALES[scale];
  const departs = mnistDepartures(s, RUN_SCALES.paper, PAPER_SEEDS);
  return {
    settings: mnistSettings(scale, s, departs, {
      'label noise': '20% (training labels)', configurations: CONFIGS.map((c) => `orders ${c.orders.join(',')} at scale ${c.scale}`).join('; '),
      baseline: `plain Adam at the same label noise (not in Table 1; ${scale === 'paper' ? 'at paper scale 30 epochs, where mnist-noise trains 10' : 'the runs of mnist-noise\'s 20% row, which train as long at this scale'})`,
    }),
    units: seedList(s.seeds).flatMap((seed) => [
      ...CONFIGS.map((c) => ({
        key: `${c.key}_seed${seed}`,
        run: async (ctx: UnitContext): Promise<Result> => ({ config: c.key, ...(await trainAndMeasureMnist(ctx, s, mnistSpec(s, seed, NOISE, { kind: 'crr', scale: c.scale, orders: c.orders }))) }),
      })),
      {
        key: `${BASELINE}_seed${seed}`,
        run: async (ctx: UnitContext): Promise<Result> => ({ config: BASELINE, ...(await trainAndMeasureMnist(ctx, s, mnistSpec(s, seed, NOISE, { kind: 'none' }))) }),
      },
    ]),
    report: (stored) => report([...stored.values()] as Result[], departs, s.crr.subset),
  };
}

function report(rs: readonly Result[], departs: readonly string[], subset: number | undefined): Block[] {
  const onSubset = subset !== undefined ? `on ${subset} samples of each batch` : 'on every sample';
  const at = (k: string) => rs.filter((r) => r.config === k);
  const acc = (k: string) => seedSummary(at(k).map((r) => r.accuracy));
  const ece = (k: string) => seedSummary(at(k).map((r) => r.ece));
  const lam = (k: string) => seedSummary(at(k).map(lambdaOf));
  const withFirst = CONFIGS.filter((c) => c.orders[0] === 1);
  const without = CONFIGS.filter((c) => c.orders[0] !== 1);
  const meanOf = (cs: readonly { key: string }[], f: (k: string) => number) => cs.reduce((a, c) => a + f(c.key), 0) / cs.length;
  const firstFlattens = meanOf(withFirst, (k) => lam(k).mean) < meanOf(without, (k) => lam(k).mean);
  const firstWorseEce = meanOf(withFirst, (k) => ece(k).mean) > meanOf(without, (k) => ece(k).mean);
  const xs = CONFIGS.map((_, i) => i);
  const ticks = CONFIGS.map((c, i) => [i, c.key] as const);
  const svg = svgPlot({ title: 'MNIST, 20% label noise: λ per penalized order set', subtitle: 'mean ± std over seeds; orange: Table 1', xLabel: 'orders @ scale', yLabel: LAMBDA_LABEL, xTickLabels: ticks,
    series: [meanWithErrorBars('ours', color(0), xs, CONFIGS.map((c) => at(c.key).map(lambdaOf))),
      { label: 'paper (Table 1)', kind: 'markers', color: color(1), points: CONFIGS.map((c, i) => [i, paperValue('mnist-ablation', `${c.key}:lambda`).value!] as const) }] });
  return [
    heading('Results'),
    table(['configuration', 'accuracy', 'ECE', 'λ'], [...CONFIGS.map((c) => c.key), BASELINE].map((k) => [k === BASELINE ? 'none (plain Adam)' : k, fmtSummary(acc(k), 4), fmtSummary(ece(k), 4), fmtSummary(lam(k), 2)]),
      'Mean ± std (ddof 0) over seeds, as Table 1 (accuracy as a fraction); the last row, plain training at the same noise, is not in Table 1.'),
    table([...COMPARISON_HEADER], CONFIGS.flatMap((c) => [
      comparisonRow(paperValue('mnist-ablation', `${c.key}:accuracy`), acc(c.key), 4),
      comparisonRow(paperValue('mnist-ablation', `${c.key}:ece`), ece(c.key), 4),
      comparisonRow(paperValue('mnist-ablation', `${c.key}:lambda`), lam(c.key), 2),
    ]).concat([noteRow(paperValue('mnist-ablation', 'unlisted'), 'not run', 'no paper numbers to compare with')])),
    figure('ablation', svg, 'λ per configuration of Table 1, ours beside the paper\'s.'),
    heading('Where we differ, and why we think so'),
    paragraph(`**The claims:** penalizing orders 2–4 keeps λ near −2.7…−3.1 with the best calibration; first-order terms over-flatten (λ −4 to −5.5) and raise ECE to 0.17–0.43. Ours: ${CONFIGS.map((c) => `${c.key}: λ ${fmt(lam(c.key).mean, 2)}, ECE ${fmt(ece(c.key).mean, 3)}`).join('; ')}. The order sets with the first order ${firstFlattens ? 'give a lower mean λ than those without it, as in the paper' : 'do not give a lower mean λ than those without it, unlike the paper'} (${fmt(meanOf(withFirst, (k) => lam(k).mean), 2)} vs ${fmt(meanOf(without, (k) => lam(k).mean), 2)}), and ${firstWorseEce ? 'a higher mean ECE, as in the paper' : 'no higher mean ECE, unlike the paper'} (${fmt(meanOf(withFirst, (k) => ece(k).mean), 3)} vs ${fmt(meanOf(without, (k) => ece(k).mean), 3)}).`),
    paragraph(`**Against plain training** at the same noise (λ ${fmt(lam(BASELINE).mean, 2)}, accuracy ${fmt(100 * acc(BASELINE).mean, 2)}%, ECE ${fmt(ece(BASELINE).mean, 3)}): ${[false, true].map((first) => {
      const cs = CONFIGS.filter((c) => (c.orders[0] === 1) === first);
      const mean = (f: (k: string) => number) => cs.reduce((a, c) => a + f(c.key), 0) / cs.length;
      return `the order sets ${first ? 'with' : 'without'} the first order (${cs.map((c) => c.key).join(', ')}) change λ by ${fmt(mean((k) => lam(k).mean - lam(BASELINE).mean), 2)} and accuracy by ${fmt(mean((k) => 100 * (acc(k).mean - acc(BASELINE).mean)), 2)} pp on average`;
    }).join('; ')}.${[...CONFIGS.map((c) => c.key), BASELINE].every((k) => ece(k).mean > 0.1) ? ' ECE is above 0.1 for every configuration, plain training included: trained on 20% wrong labels, the models\' confidence and their accuracy on the clean test labels part whatever the penalty.' : ''}`),
    paragraph(`The penalty is the notebook's (the mean over the orders of the batch mean of |Dⁿ L| along a fresh direction per order, ${onSubset}; the notebook: 32), so a scale here is the notebook's scale; its strength still depends on the model, and the ordering of the configurations (first order flattening most) is the most comparable part.`),
    paragraph(scaleNote(departs)),
  ];
}

export const mnistAblation: Experiment = {
  name: 'mnist-ablation',
  title: 'MNIST: CRR order ablation under 20% label noise (§5.5, Table 1)',
  about: 'The paper (§5.5, Table 1) trains MNIST CNNs with 20% label noise and CRR on orders 2–4, 2 only, 1–4 and 1 only at scales 100 and 200 (three seeds, 30 epochs) and reports accuracy, ECE and λ.',
  plan,
};
