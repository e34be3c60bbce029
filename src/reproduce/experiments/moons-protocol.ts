// §5.2 "Measurement Validity and Robustness": on models trained with 30% label noise, λ under
// other band widths, direction counts and maximum orders of the same protocol.
import type { LambdaMeasurement } from '../measure.js';
import { paperValue } from '../paper.js';
import { COMPARISON_HEADER, comparisonRow, figure, fmt, fmtSummary, heading, paragraph, table, type Block } from '../report.js';
import { color, meanWithErrorBars, reference, svgPlot } from '../figures.js';
import type { Experiment, Plan, ScaleName, UnitContext } from '../types.js';
import type { Summary } from '../stats.js';
import { LEVELS_TEXT, BAND, PROTOCOL, PROTOCOL_TEXT, lambdaOf, moonsSeeds, moonsSettings, moonsSpec, over, resultsOf, spreadText, trainAndMeasure, trendText, type MoonsEval, type MoonsScale } from './moons-common.js';

const PAPER_SEEDS = 15;
/** The paper's λ with the default protocol (n_max = 4). */
const PAPER_DEFAULT = paperValue('moons-protocol', 'nmax4').value!;
const SCALES: Record<ScaleName, MoonsScale> = {
  smoke: { seeds: 2, epochs: 1, trainSize: 256 },
  quick: { seeds: 6, epochs: 25 },
  paper: { seeds: PAPER_SEEDS, epochs: 25 },
};

const BANDS = [[0.48, 0.52], [0.45, 0.65], [0.40, 0.70]] as const;
const DIRECTIONS = [2, 4, 8] as const;
const NMAX = [3, 4, 5] as const;
const NOISE = 0.3;

interface Result extends MoonsEval {
  readonly band: readonly LambdaMeasurement[];
  readonly directions: readonly LambdaMeasurement[];
  readonly nmax: readonly LambdaMeasurement[];
}

function plan(scale: ScaleName): Plan {
  const s = SCALES[scale];
  const keys = moonsSeeds(s.seeds).map((seed) => `seed${seed}`);
  const units = moonsSeeds(s.seeds).map((seed) => ({
    key: `seed${seed}`,
    run: (ctx: UnitContext) => trainAndMeasure(ctx, moonsSpec(s, seed, NOISE), async (model, data) => {
      const band: LambdaMeasurement[] = [];
      for (const b of BANDS) band.push(await lambdaOf(ctx, model, data, { ...PROTOCOL, band: b }));
      const directions: LambdaMeasurement[] = [];
      for (const d of DIRECTIONS) directions.push(await lambdaOf(ctx, model, data, { ...PROTOCOL, directions: d }));
      const nmax: LambdaMeasurement[] = [];
      for (const n of NMAX) nmax.push(await lambdaOf(ctx, model, data, { ...PROTOCOL, orders: { from: 1, to: n } }));
      return { band, directions, nmax };
    }),
  }));
  return {
    settings: moonsSettings(scale, s, PAPER_SEEDS, { 'label noise': `${100 * NOISE}% of all labels, before the split`, protocol: PROTOCOL_TEXT, bands: BANDS.map((b) => b.join('–')).join(', '), directions: DIRECTIONS.join(', '), 'n_max': NMAX.join(', ') }),
    units,
    report: (stored) => report(resultsOf<Result>(stored, keys)),
  };
}

function report(rs: readonly Result[]): Block[] {
  const lam = (get: (r: Result) => LambdaMeasurement) => over(rs, (r) => get(r).fitMean);
  const endpoint = (get: (r: Result) => LambdaMeasurement) => over(rs, (r) => get(r).endpointMean);
  const kept = (get: (r: Result) => LambdaMeasurement) => over(rs, (r) => get(r).kept);
  const variant = (name: string, get: (r: Result) => LambdaMeasurement) =>
    [name, fmtSummary(lam(get)), fmtSummary(endpoint(get)), fmtSummary(over(rs, (r) => get(r).pooled)), kept(get).n ? kept(get).mean.toFixed(0) : 'n/a'];
  const rows = [
    ...BANDS.map((b, i) => variant(`band ${b.join('–')}${b[0] === BAND[0] ? ' (default)' : ''}`, (r) => r.band[i]!)),
    ...DIRECTIONS.map((d, i) => variant(`${d} directions${d === PROTOCOL.directions ? ' (default)' : ''}`, (r) => r.directions[i]!)),
    ...NMAX.map((n, i) => variant(`orders 1–${n}${n === 4 ? ' (default)' : ''}`, (r) => r.nmax[i]!)),
  ];
  const bandMeans = BANDS.map((_, i) => lam((r) => r.band[i]!).mean);
  const dirMeans = DIRECTIONS.map((_, i) => lam((r) => r.directions[i]!).mean);
  const nm = NMAX.map((_, i) => lam((r) => r.nmax[i]!));
  const defaultLam = lam((r) => r.band[1]!);
  // "Nearly identical": no wider than twice the paper's own spread over bands (1.60–1.63).
  const insensitive = (means: number[]) => means.every(Number.isFinite) && Math.max(...means) - Math.min(...means) <= 0.06;
  const noisy = over(rs, (r) => 100 * r.noisyTestError);
  const clean = over(rs, (r) => 100 * r.testError);
  const xsAll = [...BANDS.map((_, i) => i), ...DIRECTIONS.map((_, i) => 4 + i), ...NMAX.map((_, i) => 8 + i)];
  const valuesAll = [...BANDS.map((_, i) => rs.map((r) => r.band[i]!.fitMean ?? NaN)), ...DIRECTIONS.map((_, i) => rs.map((r) => r.directions[i]!.fitMean ?? NaN)),
    ...NMAX.map((_, i) => rs.map((r) => r.nmax[i]!.fitMean ?? NaN))];
  // The paper gives numbers only for n_max (and a range, 1.60–1.63, over all bands and direction counts).
  const paperPts = [[8, 1.39], [9, 1.63], [10, 1.82]] as const;
  const svg = svgPlot({
    title: 'λ under changes of the measurement protocol (Two Moons, 30% label noise)', subtitle: `mean ± std over ${rs.length} models; orange: the paper's n_max values and its 1.60–1.63 for bands and directions`,
    xLabel: 'protocol variant', yLabel: 'λ (mean of per-point fits)',
    xTickLabels: [...BANDS.map((b, i) => [i, b.join('–')] as const), ...DIRECTIONS.map((d, i) => [4 + i, `${d} dirs`] as const), ...NMAX.map((n, i) => [8 + i, `n≤${n}`] as const)],
    series: [meanWithErrorBars('ours', color(0), xsAll, valuesAll), { label: 'paper', kind: 'markers', color: color(1), points: paperPts }, reference('', color(1), 1.60, 0, 6), reference('', color(1), 1.63, 0, 6)],
  });
  return [
    heading('Results'),
    table(['variant', 'λ fit, mean over points', 'λ endpoint (flatgrad)', 'λ pooled (notebook estimator)', 'points kept (mean)'], rows,
      'Mean ± std over models of each model\'s λ. Only the named setting differs from the default protocol.'),
    table([...COMPARISON_HEADER], [
      comparisonRow(paperValue('moons-protocol', 'band'), lam((r) => r.band[1]!)),
      comparisonRow(paperValue('moons-protocol', 'directions'), lam((r) => r.directions[1]!)),
      comparisonRow(paperValue('moons-protocol', 'nmax3'), nm[0]!),
      comparisonRow(paperValue('moons-protocol', 'nmax4'), nm[1]!),
      comparisonRow(paperValue('moons-protocol', 'nmax5'), nm[2]!),
    ], 'Paper vs ours, row by row.'),
    figure('protocol', svg, 'λ of each protocol variant (mean ± std over models) beside the paper\'s values.'),
    heading('Where we differ, and why we think so'),
    paragraph(LEVELS_TEXT),
    paragraph(`**Band width.** Our λ over the three bands spans ${spreadText(bandMeans)}; the paper reports 1.60–1.63 (spread 0.03)${insensitive(bandMeans) ? ': as insensitive as the paper\'s' : ': more sensitive to the band than the paper\'s'}. **Directions.** Over 2, 4 and 8 directions ours spans ${spreadText(dirMeans)}${insensitive(dirMeans) ? ', nearly identical as the paper says' : ', not "nearly identical" as the paper says'}. **Maximum order.** Ours ${trendText(nm.map((x) => x.mean))} with n_max (${nm.map((x, i) => `n ≤ ${NMAX[i]}: ${fmt(x.mean, 2)}`).join(', ')}); the paper's rises: 1.39, 1.63, 1.82. Each estimate here is the least-squares slope over orders 1..n_max of the mean log-derivative, so a rise with n_max means the mean log|Dⁿ L| is convex in n over these orders.`),
    paragraph(`**Level of λ.** With the default protocol (the notebook's: band 0.45–0.65, 2 directions, orders 1–4, the \`paper\` estimator, noisy test labels) our mean λ is ${fmt(defaultLam.mean)}${defaultLam.n >= 3 ? ` (95% CI of the mean ${fmt(defaultLam.ci95[0])} to ${fmt(defaultLam.ci95[1])})` : ''} against the paper's ${PAPER_DEFAULT}, a difference of ${fmt(defaultLam.mean - PAPER_DEFAULT, 2)}. Protocol, estimator, data pipeline, model, initialization scheme and optimizer are the notebook's code; what is not is every random stream (scikit-learn's make_moons and train_test_split, torch's initialization, batch order and directions), so each of our models is another draw from the same recipe. ${drawSentence(defaultLam, rs.length)} The mean of per-point endpoint slopes (flatgrad's ratio estimator, column 3) is ${fmt(endpoint((r) => r.band[1]!).mean)}.`),
    paragraph(`**Test error.** Against the noisy test labels the notebook measures on, our models reach ${fmtSummary(noisy, 2)} % (the paper's text: ~32%); against the clean labels ${fmtSummary(clean, 2)} %.`),
  ];
}

/**
 * Whether the gap to the paper's λ with the default protocol is within what two independent means over draws of the same
 * recipe would show (both with our seed-to-seed spread), computed, never assumed.
 */
function drawSentence(lam: Summary, ours: number): string {
  if (lam.n < 3) return 'Too few models yet to say whether the gap exceeds the spread between such draws.';
  const se = lam.std * Math.sqrt(1 / ours + 1 / PAPER_SEEDS);
  const z = (lam.mean - PAPER_DEFAULT) / se;
  return Math.abs(z) < 2
    ? `With our seed-to-seed std ${fmt(lam.std, 2)}, the difference of two such means (${ours} and ${PAPER_SEEDS} models) has a standard error of about ${fmt(se, 2)}: the gap is ${fmt(Math.abs(z), 1)} standard errors, within the spread between draws.`
    : `With our seed-to-seed std ${fmt(lam.std, 2)}, the difference of two such means (${ours} and ${PAPER_SEEDS} models) has a standard error of about ${fmt(se, 2)}: the gap is ${fmt(Math.abs(z), 1)} standard errors, far more than draws of one recipe would give, so the recipes differ; "λ levels" above names the difference we found.`;
}

export const moonsProtocol: Experiment = {
  name: 'moons-protocol',
  title: 'Two Moons: stability of λ under the measurement protocol (§5.2)',
  about: 'The paper (§5.2, "Measurement Validity and Robustness") trains 15 tanh MLPs on Two Moons with 30% label noise and re-measures λ with a tight (0.48–0.52) to wide (0.40–0.70) boundary band, 2 to 8 random directions, and maximum orders 3, 4, 5.',
  plan,
};
