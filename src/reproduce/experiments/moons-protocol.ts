// §5.2 "Measurement Validity and Robustness": on models trained with 30% label noise, λ under
// other band widths, direction counts and maximum orders of the same protocol.
import type { LambdaMeasurement } from '../measure.js';
import { paperValue } from '../paper.js';
import { COMPARISON_HEADER, comparisonRow, figure, fmt, fmtSummary, heading, paragraph, table, type Block } from '../report.js';
import { color, meanWithErrorBars, reference, svgPlot } from '../figures.js';
import type { Experiment, Plan, ScaleName, UnitContext } from '../types.js';
import { seedList } from '../runs.js';
import { BAND, PROTOCOL, PROTOCOL_TEXT, lambdaOf, moonsSettings, moonsSpec, over, resultsOf, trainAndMeasure, type MoonsEval, type MoonsScale } from './moons-common.js';

const SCALES: Record<ScaleName, MoonsScale> = {
  smoke: { seeds: 2, epochs: 1, trainSize: 256 },
  quick: { seeds: 6, epochs: 25 },
  paper: { seeds: 15, epochs: 25 },
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
  const keys = seedList(s.seeds).map((seed) => `seed${seed}`);
  const units = seedList(s.seeds).map((seed) => ({
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
    settings: moonsSettings(scale, s, { 'label noise': `${100 * NOISE}% (training labels)`, protocol: PROTOCOL_TEXT, bands: BANDS.map((b) => b.join('–')).join(', '), directions: DIRECTIONS.join(', '), 'n_max': NMAX.join(', ') }),
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
  const spreadText = (xs: number[]) => xs.every(Number.isFinite) ? `${Math.min(...xs).toFixed(2)} to ${Math.max(...xs).toFixed(2)} (spread ${(Math.max(...xs) - Math.min(...xs)).toFixed(2)})` : 'n/a';
  const noisy = over(rs, (r) => 100 * r.noisyTestError);
  const clean = over(rs, (r) => 100 * r.testError);
  const xsAll = [...BANDS.map((_, i) => i), ...DIRECTIONS.map((_, i) => 4 + i), ...NMAX.map((_, i) => 8 + i)];
  const valuesAll = [...BANDS.map((_, i) => rs.map((r) => r.band[i]!.fitMean ?? NaN)), ...DIRECTIONS.map((_, i) => rs.map((r) => r.directions[i]!.fitMean ?? NaN)),
    ...NMAX.map((_, i) => rs.map((r) => r.nmax[i]!.fitMean ?? NaN))];
  const paperPts = [[0, 1.6], [1, 1.63], [2, 1.6], [8, 1.39], [9, 1.63], [10, 1.82]] as const;
  const svg = svgPlot({
    title: 'λ under changes of the measurement protocol (Two Moons, 30% label noise)', subtitle: `mean ± std over ${rs.length} models; the paper's numbers in orange`,
    xLabel: 'protocol variant', yLabel: 'λ (mean of per-point fits)',
    xTickLabels: [...BANDS.map((b, i) => [i, b.join('–')] as const), ...DIRECTIONS.map((d, i) => [4 + i, `${d} dirs`] as const), ...NMAX.map((n, i) => [8 + i, `n≤${n}`] as const)],
    series: [meanWithErrorBars('ours', color(0), xsAll, valuesAll), { label: 'paper', kind: 'markers', color: color(1), points: paperPts }, reference('', color(1), 1.63, 0, 10)],
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
    paragraph(`**Band width.** Our λ over the three bands spans ${spreadText(bandMeans)}; the paper reports 1.60–1.63. **Directions.** Over 2, 4 and 8 directions ours spans ${spreadText(dirMeans)} (the paper gives no numbers, only "nearly identical"). **Maximum order.** Ours rises with n_max as the paper's does: ${nm.map((s, i) => `n ≤ ${NMAX[i]}: ${s.mean.toFixed(2)}`).join(', ')} vs the paper's 1.39, 1.63, 1.82. The qualitative claims (insensitive to band and directions; growing with n_max because log‖Dⁿf‖ is convex in n at low orders) can be checked directly in the table.`),
    paragraph(`**Level of λ.** With the default protocol our per-model λ is ${fmt(lam((r) => r.band[1]!).mean)} by the paper's notebook estimator (the least-squares slope of the mean log|Dⁿ L| over all point–direction pairs, equal to the mean of per-point slopes) and ${fmt(endpoint((r) => r.band[1]!).mean)} as the mean of per-point endpoint slopes; the paper reports 1.63. jetcurve's own \`rms\` pooling (the RMS over directions and points) would put the level higher: about +1.0 on a 30%-noise Two Moons model (README, "Estimators"). Other causes of level differences: (1) our Two Moons points come from our seeded generator, not numpy's; (2) the paper's test labels carry the label noise (it flips labels before the split), ours are clean; (3) the number of directions differs (4 here, 2 in the notebooks), which changes only the noise of this estimator, not its expectation.`),
    paragraph(`**Test error.** Against clean test labels our models reach ${fmtSummary(clean, 2)} %; against test labels with the same 30% noise ${fmtSummary(noisy, 2)} %. The paper's 30%-noise Two Moons test errors (~32%, §5.2) are only reachable with noisy test labels (expected 30% + 0.4 × clean error for binary labels), so we take it that the paper split after adding noise.`),
  ];
}

export const moonsProtocol: Experiment = {
  name: 'moons-protocol',
  title: 'Two Moons: stability of λ under the measurement protocol (§5.2)',
  about: 'The paper (§5.2, "Measurement Validity and Robustness") trains 15 tanh MLPs on Two Moons with 30% label noise and re-measures λ with a tight (0.48–0.52) to wide (0.40–0.70) boundary band, 2 to 8 random directions, and maximum orders 3, 4, 5.',
  plan,
};
