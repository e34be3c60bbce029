// Curvature dynamics on Two Moons (issue 13, item 8; Gegenfurtner §5 "Empirical studies": "We
// ask if SGD (or other training methods) also control functional dimension"): plain Adam, SAM
// and CRR on the notebook's MLP and data at 30% label noise, measured at initialization and after
// every `every`-th epoch: input-space λ (the paper's protocol, as moons-dynamics) beside the
// parameter-space figures of the training loss, taken by the very function `train
// --curvature-every` uses (src/train/epoch-curvature.ts: tr(H), λ_max, K, functional rank,
// parameter λ). As in moons-dynamics a run is trained up to each measured epoch in its own folder
// (one trajectory) and each measurement is appended to the run folder, so a unit resumes at its
// last measured epoch.
import { join } from 'node:path';
import { Model } from '../../model/model.js';
import { loadTrainingData, deriveSeed } from '../../train/data.js';
import { epochCurvature, type EpochCurvature } from '../../train/epoch-curvature.js';
import { architecture } from '../../train/session.js';
import { color, meanWithPercentiles, svgPlot } from '../figures.js';
import { loadRunModel, measureLambda } from '../measure.js';
import { paperValue } from '../paper.js';
import { COMPARISON_HEADER, figure, fmt, fmtSummary, heading, noteRow, paragraph, table, type Block } from '../report.js';
import { measureEpochs, runKey, trainRunTo, type RunSpec } from '../runs.js';
import { pearson, summarize, type Summary } from '../stats.js';
import type { Experiment, Plan, ScaleName, UnitContext } from '../types.js';
import { CRR_TEXT, PROTOCOL, PROTOCOL_TEXT, moonsErrors, moonsSeeds, moonsSettings, moonsSpec, moonsTestSet, notebookCrr, type MoonsScale } from './moons-common.js';

interface DynamicsScale extends MoonsScale {
  /** Measure after every `every`-th epoch (and at initialization). */
  readonly every: number;
  /** Training points the Hessian and J_Z are taken on (the first of the run's training split). */
  readonly points: number;
  readonly probes: number;
  readonly lambdaDirections: number;
}
/** Seeds no other experiment trains (so no other experiment's finished run stands in for an epoch's model). */
const FIRST_SEED = 200;
const SCALES: Record<ScaleName, DynamicsScale> = {
  smoke: { seeds: 1, epochs: 2, trainSize: 256, every: 1, points: 16, probes: 4, lambdaDirections: 1 },
  // 128 points: J_Z (256 rows) then falls below full row rank on trained runs (at 64 points it stays at 128).
  quick: { seeds: 2, epochs: 10, every: 2, points: 128, probes: 16, lambdaDirections: 2 },
  paper: { seeds: 10, epochs: 50, every: 1, points: 128, probes: 32, lambdaDirections: 4 },
};
const NOISE = 0.3;
const CRR_SCALE = 0.003;
const SAM_RHO = 0.05;
const METHODS = ['plain', 'sam', 'crr'] as const;
type Method = (typeof METHODS)[number];
const METHOD_LABEL: Record<Method, string> = { plain: 'plain Adam', sam: `SAM (ρ = ${SAM_RHO})`, crr: `CRR (scale ${CRR_SCALE})` };

interface EpochPoint {
  readonly epoch: number;
  readonly inputLambda: number | null;
  readonly testError: number;
  readonly noisyTestError: number;
  readonly curvature: EpochCurvature;
}
interface Result { readonly method: Method; readonly seed: number; readonly epochs: readonly EpochPoint[] }

export const measuredEpochs = (s: DynamicsScale): number[] =>
  [...new Set([...Array.from({ length: Math.floor(s.epochs / s.every) + 1 }, (_, i) => i * s.every), s.epochs])];

function runSpec(s: DynamicsScale, method: Method, seed: number): RunSpec {
  const spec = moonsSpec(s, seed, NOISE, method === 'crr' ? notebookCrr(CRR_SCALE) : undefined);
  return method === 'sam' ? { ...spec, reg: 'sam', rho: SAM_RHO } : spec;
}

/** The model after `epoch` epochs: the architecture's initialization at 0, else the run trained that far. */
async function modelAt(ctx: UnitContext, spec: RunSpec, epoch: number): Promise<Model> {
  if (epoch === 0) {
    const config = { ...spec, out: '', resume: false, lambdaPoints: 0 };
    return new Model(ctx.engine, architecture(config, loadTrainingData({ dataset: 'moons', seed: spec.seed, labelNoise: NOISE, moonsPipeline: 'paper' })).spec);
  }
  const run = await trainRunTo(ctx, spec, epoch, 'curvature-dynamics');
  return loadRunModel(ctx.engine, run.dir);
}

async function dynamics(ctx: UnitContext, s: DynamicsScale, spec: RunSpec): Promise<EpochPoint[]> {
  // Named by what the measurement takes, so other settings never pick up these points.
  const file = join(ctx.runsDir, runKey(spec), `reproduce-curvature-dynamics-n${s.points}-m${s.probes}-d${s.lambdaDirections}.jsonl`);
  const { data, cleanLabels } = moonsTestSet(spec.seed, NOISE);
  // The training loss as the run sees it: the noisy training labels.
  const train = loadTrainingData({ dataset: 'moons', seed: spec.seed, labelNoise: NOISE, moonsPipeline: 'paper' }).train;
  return measureEpochs(file, measuredEpochs(s), async (epoch) => {
    const model = await modelAt(ctx, spec, epoch);
    try {
      const lambda = await measureLambda(ctx.engine, model, data, PROTOCOL);
      const errors = await moonsErrors(model, data, cleanLabels);
      const curvature = await epochCurvature(model, train, s.points, deriveSeed(spec.seed, 3000 + epoch), { probes: s.probes, lambdaDirections: s.lambdaDirections });
      return { epoch, inputLambda: lambda.fitMean, ...errors, curvature };
    } finally {
      model.destroy();
    }
  });
}

function plan(scale: ScaleName): Plan {
  const s = SCALES[scale];
  return {
    // Ours, not a paper's: the paper scale is our choice, and a smaller scale departs only from it.
    settings: moonsSettings(scale, s, s.seeds, {
      'scales': `ours (no paper ran this): paper = ${SCALES.paper.seeds} seeds × ${SCALES.paper.epochs} epochs, every epoch, ${SCALES.paper.points} points, ${SCALES.paper.probes} probes; quick = ${SCALES.quick.seeds} seeds × ${SCALES.quick.epochs} epochs, measured every ${SCALES.quick.every} epochs, ${SCALES.quick.points} points`,
      'label noise': `${100 * NOISE}% of all labels, before the split (as moons-dynamics: the regime where the methods part)`,
      methods: `plain Adam; SAM with ρ = ${SAM_RHO} (Foret et al.; the CLI's default); CRR scale ${CRR_SCALE} (moons-dynamics' Figure 1 setting), ${CRR_TEXT}. The three arms of a seed start from the same initialization`,
      measured: `at initialization and after epochs ${measuredEpochs(s).filter((e) => e > 0).join(', ')}`,
      'input-space λ': PROTOCOL_TEXT,
      'parameter space': `the mean cross-entropy over the first ${s.points} training points (noisy labels: the loss training descends), through src/train/epoch-curvature.ts, the code of train --curvature-every: tr(H) and K (Gegenfurtner Thm 2.1) from ${s.probes} Rademacher probes each, λ_max by Lanczos, λ along ${s.lambdaDirections} random unit parameter directions (raw slope over orders 1–4, and −log R to order 60), all from the GPU Hessian-vector products; seed per (run, epoch)`,
      'functional rank': `rank of J_Z, the Jacobian of both logits at the same ${s.points} points with respect to all 4482 parameters (${2 * s.points} rows: the rank is at most ${2 * s.points}), float64, NumPy's matrix_rank tolerance σ_max·max(m, n)·ε`,
      spread: 'shaded bands: 2.5th–97.5th percentiles over seeds (with few seeds: their range)',
    }, FIRST_SEED),
    units: moonsSeeds(s.seeds, FIRST_SEED).flatMap((seed) => METHODS.map((m) => ({
      key: `${m}_seed${seed}`,
      run: async (ctx: UnitContext): Promise<Result> => ({ method: m, seed, epochs: await dynamics(ctx, s, runSpec(s, m, seed)) }),
    }))),
    report: (stored) => report([...stored.values()] as Result[], s),
  };
}

interface Quantity { readonly key: string; readonly label: string; readonly get: (p: EpochPoint) => number | null; readonly digits: number; readonly plot?: false }
const QUANTITIES: readonly Quantity[] = [
  { key: 'input-lambda', label: 'input-space λ', get: (p) => p.inputLambda, digits: 3 },
  { key: 'param-lambda-raw', label: 'parameter λ (raw, orders 1–4)', get: (p) => p.curvature.parameterLambdaRaw, digits: 3 },
  { key: 'param-lambda-taylor', label: 'parameter λ (−log R, order 60)', get: (p) => p.curvature.parameterLambdaTaylor, digits: 3 },
  { key: 'trace', label: 'tr(H)', get: (p) => p.curvature.trace, digits: 3 },
  { key: 'trace-stderr', label: 'std error of tr(H) (one run)', get: (p) => p.curvature.traceStdErr, digits: 3, plot: false },
  { key: 'lambda-max', label: 'λ_max(H)', get: (p) => p.curvature.lambdaMax, digits: 3 },
  { key: 'scalar-curvature', label: 'scalar curvature K', get: (p) => p.curvature.scalarCurvature, digits: 2 },
  { key: 'k-stderr', label: 'std error of K (one run)', get: (p) => p.curvature.scalarCurvatureStdErr, digits: 2, plot: false },
  { key: 'rank', label: 'functional rank', get: (p) => p.curvature.functionalRank, digits: 1 },
  { key: 'condition', label: 'log₁₀ cond(J_Z)', get: (p) => p.curvature.jacobianLogCondition, digits: 2 },
  { key: 'loss', label: 'training loss (the points)', get: (p) => p.curvature.loss, digits: 4 },
  { key: 'error', label: 'test error, noisy labels (%)', get: (p) => 100 * p.noisyTestError, digits: 2 },
];

function report(rs: readonly Result[], s: DynamicsScale): Block[] {
  const xs = measuredEpochs(s);
  const last = xs[xs.length - 1]!;
  const of = (m: Method) => rs.filter((r) => r.method === m);
  const methods = METHODS.filter((m) => of(m).length > 0);
  const column = (m: Method, q: Quantity) => xs.map((e) => of(m).map((r) => r.epochs.find((p) => p.epoch === e)).map((p) => (p ? q.get(p) : null) ?? NaN).filter(Number.isFinite));
  const at = (m: Method, q: Quantity, e: number) => summarize(column(m, q)[xs.indexOf(e)] ?? []);
  const figures = QUANTITIES.filter((q) => q.plot !== false).map((q) => figure(`dynamics-${q.key}`, svgPlot({
    title: `${q.label} per epoch: plain, SAM, CRR (Two Moons, ${100 * NOISE}% label noise)`, subtitle: 'mean over seeds; shaded: 2.5th–97.5th percentiles over seeds; epoch 0 is the initialization',
    xLabel: 'epoch', yLabel: q.label, series: methods.map((m) => meanWithPercentiles(METHOD_LABEL[m], color(METHODS.indexOf(m)), xs, column(m, q))),
  }), `${q.label} at initialization and after each measured epoch.`));
  const rank = QUANTITIES.find((q) => q.key === 'rank')!;
  const trace = QUANTITIES.find((q) => q.key === 'trace')!;
  const finalRows = methods.map((m) => [METHOD_LABEL[m], ...QUANTITIES.map((q) => fmtSummary(at(m, q, last), q.digits))]);
  return [
    heading('Results'),
    table(['method', ...QUANTITIES.map((q) => q.label)], finalRows, `After epoch ${last}: mean ± std over seeds.`),
    table(['method', 'epoch', ...QUANTITIES.map((q) => q.label)], methods.flatMap((m) => xs.map((e) => [METHOD_LABEL[m], String(e), ...QUANTITIES.map((q) => fmt(at(m, q, e).mean, q.digits))])),
      'Means over seeds at every measured epoch (0: the initialization).'),
    ...figures,
    paragraph(lambdaAnswer(rs)),
    heading('Does training control the functional dimension?'),
    paragraph(rankAnswer(methods, xs, (m, e) => at(m, rank, e), (m, e) => at(m, QUANTITIES.find((q) => q.key === 'condition')!, e), (m) => column(m, rank), (m) => rankChanges(of(m), last), s)),
    paragraph(flatnessAnswer(rs, last, rank, trace)),
    table([...COMPARISON_HEADER], [
      noteRow(paperValue('curvature-dynamics', 'question'), methods.map((m) => `${METHOD_LABEL[m]}: ${fmt(at(m, rank, 0).mean, 1)} → ${fmt(at(m, rank, last).mean, 1)}`).join('; '), 'an open question in the paper: no experiment, no number; the answer above is ours'),
      noteRow(paperValue('curvature-dynamics', 'conjecture'), flatnessShort(rs, last, rank, trace), 'a conjecture the paper cites: no number to compare'),
    ]),
  ];
}

/** The spread of a method's rank over its seeds and epochs after initialization. */
/** Each run's rank after `last` minus its rank at initialization (runs missing either are left out). */
function rankChanges(runs: readonly Result[], last: number): number[] {
  const rankAt = (r: Result, e: number) => r.epochs.find((p) => p.epoch === e)?.curvature.functionalRank ?? NaN;
  return runs.map((r) => rankAt(r, last) - rankAt(r, 0)).filter(Number.isFinite);
}

function rankAnswer(methods: readonly Method[], xs: readonly number[], at: (m: Method, e: number) => Summary, condition: (m: Method, e: number) => Summary,
  column: (m: Method) => number[][], changes: (m: Method) => number[], s: DynamicsScale): string {
  if (methods.length === 0) return 'No results yet.';
  const last = xs[xs.length - 1]!;
  const bound = 2 * s.points;
  const parts = methods.map((m) => {
    const start = at(m, 0).mean;
    const end = at(m, last).mean;
    const trained = column(m).slice(1).flat();
    const lo = trained.length ? Math.min(...trained) : NaN;
    const hi = trained.length ? Math.max(...trained) : NaN;
    // "Moves" only if every seed's own run moves the same way by at least one: the seeds' ranks differ far more than that.
    const d = changes(m);
    const moved = d.length > 0 && (d.every((x) => x >= 1) || d.every((x) => x <= -1));
    const deltas = `per seed ${d.map((x) => `${x > 0 ? '+' : ''}${x}`).join(', ')}`;
    return { m, start, end, lo, hi, moved, text: `${METHOD_LABEL[m]}: ${fmt(start, 1)} at initialization, ${fmt(end, 1)} after epoch ${last} (${deltas}: ${moved ? `${d[0]! < 0 ? 'down' : 'up'} in every seed` : 'no consistent move'}; ${lo === hi ? `every run at ${fmt(lo, 0)}` : `single runs between ${fmt(lo, 0)} and ${fmt(hi, 0)}`} over the trained epochs)` };
  });
  const finals = methods.map((m) => column(m)[xs.length - 1] ?? []);
  const ranges = finals.map((f) => (f.length ? [Math.min(...f), Math.max(...f)] as const : null));
  // Two methods "differ" here only if their seeds' final ranks do not overlap at all.
  const pairs: string[] = [];
  for (let i = 0; i < methods.length; i++) {
    for (let j = i + 1; j < methods.length; j++) {
      const a = ranges[i];
      const b = ranges[j];
      if (!a || !b) continue;
      const apart = a[1] < b[0] || b[1] < a[0];
      pairs.push(`${METHOD_LABEL[methods[i]!]} and ${METHOD_LABEL[methods[j]!]} ${apart ? 'differ (their seeds\' final ranks do not overlap)' : 'overlap'}`);
    }
  }
  const anyMoved = parts.some((p) => p.moved);
  const conditionText = methods.map((m) => `${METHOD_LABEL[m]} ${fmt(condition(m, 0).mean, 2)} → ${fmt(condition(m, last).mean, 2)}`).join(', ');
  const meansAtBound = parts.every((p) => p.start === bound && p.end === bound);
  const lowest = Math.min(...parts.map((p) => p.lo));
  const saturation = !meansAtBound ? ''
    : lowest >= bound ? `J_Z has full row rank (${bound}) in every run and measured epoch, so at this many points the rank itself cannot show what training does (J_Z of all 2100 training points would have 4200 rows, still fewer than P = 4482, and is beyond a per-epoch SVD here). `
      : `The means sit at the bound ${bound}; single runs dip below it (lowest ${fmt(lowest, 0)}), so at this many points the rank barely shows what training does. `;
  return `**Functional rank** (rank of J_Z at ${s.points} training points; at most ${bound}): ${parts.map((p) => p.text).join('; ')}. `
    + `The rank ${anyMoved ? `moves with training, the same way in every seed, for ${parts.filter((p) => p.moved).map((p) => METHOD_LABEL[p.m]).join(', ')}${parts.some((p) => !p.moved) ? ` and not for ${parts.filter((p) => !p.moved).map((p) => METHOD_LABEL[p.m]).join(', ')}` : ''}` : 'moves with training the same way in every seed for no method'}. `
    + saturation
    + `log₁₀ cond(J_Z), how near J_Z comes to losing rank (it does at ≈ ${fmt(-Math.log10(Math.max(bound, 4482) * 2 ** -52), 1)}), goes ${conditionText}. `
    + (pairs.length ? `At epoch ${last}, ${pairs.join('; ')}.` : '')
    + (finals.some((f) => f.length < 3) ? ` With ${Math.min(...finals.map((f) => f.length))} seed(s) per method this is a first look, not a test.` : '');
}

/** Input-space λ against the parameter-space figures, over every (run, trained epoch). */
function lambdaAnswer(rs: readonly Result[]): string {
  const pts = rs.flatMap((r) => r.epochs.filter((p) => p.epoch > 0));
  const against = (label: string, get: (p: EpochPoint) => number) => {
    const pairs = pts.map((p) => [p.inputLambda ?? NaN, get(p)] as const).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    if (pairs.length < 3) return `${label}: too few points`;
    const c = pearson(pairs.map((q) => q[0]), pairs.map((q) => q[1]));
    return `${label} r = ${fmt(c.r, 2)} (p = ${c.p.toPrecision(2)})`;
  };
  return `**Input-space λ beside the parameter space.** Pearson correlation of the input-space λ with, over all ${pts.length} (run, trained epoch) measurements (epochs of one run are not independent, so the p-values are optimistic): `
    + [against('parameter λ (raw)', (p) => p.curvature.parameterLambdaRaw), against('tr(H)', (p) => p.curvature.trace), against('λ_max', (p) => p.curvature.lambdaMax), against('K', (p) => p.curvature.scalarCurvature)].join('; ') + '.';
}

/** Over all runs at the last epoch: does the lower rank go with the smaller trace (the conjecture Gegenfurtner cites)? */
function concordance(rs: readonly Result[], last: number, rank: Quantity, trace: Quantity, sameSeed = false): { agree: number; pairs: number } {
  const pts = rs.map((r) => ({ seed: r.seed, p: r.epochs.find((q) => q.epoch === last) })).filter((x): x is { seed: number; p: EpochPoint } => !!x.p)
    .map((x) => [rank.get(x.p) ?? NaN, trace.get(x.p) ?? NaN, x.seed] as const).filter((p) => Number.isFinite(p[0]) && Number.isFinite(p[1]));
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < pts.length; i++) {
    for (let j = i + 1; j < pts.length; j++) {
      if (pts[i]![0] === pts[j]![0] || (sameSeed && pts[i]![2] !== pts[j]![2])) continue;
      pairs++;
      if ((pts[i]![0] < pts[j]![0]) === (pts[i]![1] < pts[j]![1])) agree++;
    }
  }
  return { agree, pairs };
}

function flatnessShort(rs: readonly Result[], last: number, rank: Quantity, trace: Quantity): string {
  const c = concordance(rs, last, rank, trace);
  return c.pairs ? `lower rank with smaller tr(H) in ${c.agree} of ${c.pairs} pairs of runs` : 'no pair of runs with different ranks';
}

function flatnessAnswer(rs: readonly Result[], last: number, rank: Quantity, trace: Quantity): string {
  const c = concordance(rs, last, rank, trace);
  const lead = '**Lower functional dimension, flatter minimum?** Gegenfurtner (§5) cites the conjecture that a lower functional dimension goes with local flatness. ';
  if (c.pairs === 0) return `${lead}After epoch ${last} no two runs differ in rank, so these runs cannot speak to it.`;
  const share = c.agree / c.pairs;
  const w = concordance(rs, last, rank, trace, true);
  const lean = (x: number) => (x >= 0.75 ? 'lean towards the conjecture' : x <= 0.25 ? 'lean against it' : 'show no clear lean either way');
  return `${lead}Over all runs after epoch ${last}, of the ${c.pairs} pairs whose ranks differ, the one with the lower rank also has the smaller tr(H) in ${c.agree} (${fmt(100 * share, 0)}%; ½ is chance): `
    + `these runs ${lean(share)}${c.pairs < 10 ? ', on too few pairs to weigh' : ''}. Pairs from different seeds mix the seeds' own differences in with the methods'; `
    + (w.pairs ? `within a seed (methods from one initialization), ${w.agree} of ${w.pairs} pairs agree (${fmt(100 * w.agree / w.pairs, 0)}%): these pairs ${lean(w.agree / w.pairs)}${w.pairs < 10 ? ', on too few pairs to weigh' : ''}.` : 'within a seed no two methods differ in rank.');
}

export const curvatureDynamics: Experiment = {
  name: 'curvature-dynamics',
  title: 'Two Moons: curvature dynamics under plain, SAM and CRR training (input λ, parameter λ, tr(H), λ_max, K, functional rank)',
  about: 'Gegenfurtner (§5, "Empirical studies") asks for an empirical study of curvature, eigenvalues and functional dimension during training: "We ask if SGD (or other training methods) also control functional dimension." Ours (issue 13): the Two Moons MLP at 30% label noise trained plain, with SAM and with CRR, every figure per epoch.',
  plan,
};
