// §5.2: λ from the loss with the true test labels, with the model's predicted labels, and from
// the largest logit, on the same models (30% label noise), with their correlations over models.
import type { LambdaMeasurement } from '../measure.js';
import { paperValue } from '../paper.js';
import { COMPARISON_HEADER, comparisonRow, figure, fmt, fmtSummary, heading, paragraph, table, type Block } from '../report.js';
import { color, scatterWithFit, svgPlot } from '../figures.js';
import { pearson, spearman } from '../stats.js';
import type { Experiment, Plan, ScaleName, UnitContext } from '../types.js';
import { LEVELS_TEXT, PROTOCOL, PROTOCOL_TEXT, lambdaOf, moonsSeeds, moonsSettings, moonsSpec, over, resultsOf, trainAndMeasure, type MoonsEval, type MoonsScale } from './moons-common.js';

const PAPER_SEEDS = 20;
const SCALES: Record<ScaleName, MoonsScale> = {
  smoke: { seeds: 3, epochs: 1, trainSize: 256 },
  quick: { seeds: 8, epochs: 25 },
  paper: { seeds: PAPER_SEEDS, epochs: 25 },
};
const NOISE = 0.3;

interface Result extends MoonsEval {
  readonly true: LambdaMeasurement;
  readonly pred: LambdaMeasurement;
  readonly maxLogit: LambdaMeasurement;
}

function plan(scale: ScaleName): Plan {
  const s = SCALES[scale];
  const keys = moonsSeeds(s.seeds).map((seed) => `seed${seed}`);
  return {
    settings: moonsSettings(scale, s, PAPER_SEEDS, {
      'label noise': `${100 * NOISE}% of all labels, before the split`, protocol: PROTOCOL_TEXT,
      quantities: 'loss with the (noisy) test label; loss with the predicted label; the largest logit (each with its own random directions, as the notebook draws fresh ones per call)',
    }),
    units: moonsSeeds(s.seeds).map((seed) => ({
      key: `seed${seed}`,
      run: (ctx: UnitContext) => trainAndMeasure(ctx, moonsSpec(s, seed, NOISE), async (model, data) => ({
        true: await lambdaOf(ctx, model, data, { ...PROTOCOL, quantity: 'loss' }),
        pred: await lambdaOf(ctx, model, data, { ...PROTOCOL, quantity: 'loss-pred' }),
        maxLogit: await lambdaOf(ctx, model, data, { ...PROTOCOL, quantity: 'max-logit' }),
      })),
    })),
    report: (stored) => report(resultsOf<Result>(stored, keys)),
  };
}

/** "track each other closely" only when the correlation says so (r ≥ 0.9, the paper's being 0.97). */
function trackText(r: number, what: string): string {
  if (!Number.isFinite(r)) return `${what}: too few models for a correlation.`;
  return r >= 0.9 ? `${what} track each other closely across models (r = ${fmt(r)}), as in the paper.`
    : r >= 0.5 ? `${what} are correlated across models (r = ${fmt(r)}) but less tightly than the paper's.`
      : `${what} do not track each other across models (r = ${fmt(r)}), unlike the paper's.`;
}

function report(rs: readonly Result[]): Block[] {
  const get = (f: (r: Result) => LambdaMeasurement) => rs.map((r) => f(r).fitMean ?? NaN);
  const t = get((r) => r.true);
  const p = get((r) => r.pred);
  const m = get((r) => r.maxLogit);
  const tp = pearson(t, p);
  const tm = pearson(t, m);
  const corr = (c: { r: number; p: number; n: number }) => `r = ${fmt(c.r)} (p ${c.p < 1e-4 ? '< 0.0001' : `= ${fmt(c.p, 4)}`}, n = ${c.n})`;
  const svg = svgPlot({
    title: 'λ per model: true labels vs predicted labels vs largest logit', subtitle: `${rs.length} models, Two Moons, 30% label noise`,
    xLabel: 'λ, loss with the true test label', yLabel: 'λ, other quantity',
    series: [...scatterWithFit('loss with predicted label', color(0), t, p), ...scatterWithFit('largest logit', color(1), t, m),
      { label: 'y = x', kind: 'line', color: '#999', faint: true, points: t.filter(Number.isFinite).length ? [[Math.min(...t.filter(Number.isFinite)), Math.min(...t.filter(Number.isFinite))], [Math.max(...t.filter(Number.isFinite)), Math.max(...t.filter(Number.isFinite))]] : [] }],
  });
  const meanT = over(rs, (r) => r.true.fitMean);
  const meanP = over(rs, (r) => r.pred.fitMean);
  const meanM = over(rs, (r) => r.maxLogit.fitMean);
  return [
    heading('Results'),
    table(['quantity differentiated', 'mean λ over models', 'points kept (mean)'], [
      ['cross-entropy, true test label', fmtSummary(meanT), over(rs, (r) => r.true.kept).mean.toFixed(0)],
      ['cross-entropy, predicted label', fmtSummary(meanP), over(rs, (r) => r.pred.kept).mean.toFixed(0)],
      ['largest logit', fmtSummary(meanM), over(rs, (r) => r.maxLogit.kept).mean.toFixed(0)],
    ]),
    table(['correlation over models', 'Pearson', 'Spearman'], [
      ['λ(true) vs λ(pred)', corr(tp), corr(spearman(t, p))],
      ['λ(loss, true) vs λ(max logit)', corr(tm), corr(spearman(t, m))],
    ]),
    table([...COMPARISON_HEADER], [
      comparisonRow(paperValue('moons-labels', 'true'), meanT),
      comparisonRow(paperValue('moons-labels', 'pred'), meanP),
      comparisonRow(paperValue('moons-labels', 'maxlogit'), meanM),
      comparisonRow(paperValue('moons-labels', 'r-true-pred'), Number.isFinite(tp.r) ? tp.r : null),
      comparisonRow(paperValue('moons-labels', 'r-loss-logit'), Number.isFinite(tm.r) ? tm.r : null),
    ], 'Paper vs ours, row by row (the correlations are single numbers; their verdict is the plain difference).'),
    figure('labels', svg, 'Each model\'s λ from the loss with true labels (x) against λ from predicted labels and from the largest logit (y).'),
    heading('Where we differ, and why we think so'),
    paragraph(LEVELS_TEXT),
    paragraph(`The paper's claim is that the three quantities give almost the same λ (means 1.636 and 1.643, r = 0.976 and 0.966). Ours: mean λ ${fmt(meanT.mean)} (true) vs ${fmt(meanP.mean)} (predicted), ${corr(tp)}; loss vs largest logit ${corr(tm)}, mean ${fmt(meanM.mean)}. ${trackText(tp.r, 'λ(true) and λ(pred)')} ${trackText(tm.r, 'λ(loss) and λ(largest logit)')}`),
    paragraph(`Near the decision boundary the loss with the true and with the predicted label differ only at points whose test label disagrees with the prediction; with 30% of the test labels flipped that is a large share of the band, and the cross-entropy of a point with p ≈ 0.5–0.65 has similar derivatives for either label, which is why the two λ can agree. The largest logit is a different function (not the loss), so its λ need not have the same level, only follow it across models. Differences in level from the paper's are discussed in the moons-protocol report.${rs.length < PAPER_SEEDS ? ` With ${rs.length} models (the paper: ${PAPER_SEEDS}) the correlations have wide confidence intervals.` : ''}`),
  ];
}

export const moonsLabels: Experiment = {
  name: 'moons-labels',
  title: 'Two Moons: λ from true labels, predicted labels and the largest logit (§5.2)',
  about: 'The paper (§5.2) measures λ on 20 models (30% label noise) from the cross-entropy with true test labels, with the model\'s predictions, and from the raw maximum logit, and reports the means and the correlations across models.',
  plan,
};
