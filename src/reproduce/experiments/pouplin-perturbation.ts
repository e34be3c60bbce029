// Pouplin et al. 2023, Figure 4 and Proposition 3.2: trained networks' weights perturbed by
// N(0, 0.1²), and the spread of the perturbed loss set beside the scalar curvature K and the
// trace of the Hessian of the training loss at the trained weights. The paper shows two
// networks; here K, tr(H) and tr(H²) come from the GPU Hessian-vector products (Hutchinson
// probes, src/curvature) of many Two Moons MLPs, and the spreads are correlated with them over
// the models. The perturbed losses are the float64 loss of the host MLP (curvature/mlp64.ts) at
// θ + ε: no GPU round trip per perturbation.
import { GpuHessian } from '../../curvature/gpu-hessian.js';
import { hutchinson } from '../../curvature/hutchinson.js';
import { mlpLoss } from '../../curvature/mlp64.js';
import { estimateScalarCurvature } from '../../curvature/scalar-curvature.js';
import type { Model } from '../../model/model.js';
import { loadTrainingData } from '../../train/data.js';
import { Random } from '../../util/random.js';
import { color, scatterWithFit, svgPlot } from '../figures.js';
import { loadRunModel } from '../measure.js';
import { paperValue } from '../paper.js';
import { COMPARISON_HEADER, figure, fmt, heading, noteRow, paragraph, table, type Block } from '../report.js';
import { trainRun } from '../runs.js';
import { pearson, permutationTest, spearman, summarize } from '../stats.js';
import type { Experiment, Plan, ScaleName, UnitContext } from '../types.js';
import { moonsSeeds, moonsSettings, moonsSpec, resultsOf, type MoonsScale } from './moons-common.js';

/** The paper's perturbation: every weight plus an independent N(0, σ²), σ = 0.1. */
const SIGMA = 0.1;
const PERMUTATIONS = 10000;
const PAPER_SEEDS = 40;

interface PerturbationScale extends MoonsScale {
  /** Training points the loss landscape is measured on (the first of the run's training split). */
  readonly points: number;
  readonly perturbations: number;
  readonly probes: number;
}
// The runs are moons-clean's (same specs, so one training serves both experiments).
const SCALES: Record<ScaleName, PerturbationScale> = {
  smoke: { seeds: 3, epochs: 1, trainSize: 256, points: 128, perturbations: 4, probes: 4 },
  quick: { seeds: 12, epochs: 25, points: 1024, perturbations: 20, probes: 32 },
  paper: { seeds: PAPER_SEEDS, epochs: 25, points: 2100, perturbations: 50, probes: 64 },
};

interface Result {
  readonly seed: number;
  readonly loss: number;
  readonly gradNorm: number;
  readonly trace: number;
  readonly traceStdErr: number;
  readonly traceOfSquare: number;
  readonly traceOfSquareStdErr: number;
  readonly curvature: number;
  readonly curvatureStdErr: number;
  /** Losses at θ + ε, one per perturbation. */
  readonly perturbed: number[];
  /** Standard deviation of the perturbed losses (n − 1). */
  readonly spread: number;
  /** Mean perturbed loss minus the loss at θ. */
  readonly meanIncrease: number;
}

async function measure(ctx: UnitContext, s: PerturbationScale, seed: number): Promise<Result> {
  const spec = moonsSpec(s, seed, 0);
  const run = await trainRun(ctx, spec);
  const model = await loadRunModel(ctx.engine, run.dir);
  try {
    return await perturbAndMeasure(model, s, seed);
  } finally {
    model.destroy();
  }
}

async function perturbAndMeasure(model: Model, s: PerturbationScale, seed: number): Promise<Result> {
  const train = loadTrainingData({ dataset: 'moons', seed, labelNoise: 0, moonsPipeline: 'paper' }).train;
  const n = Math.min(s.points, train.n);
  const inputs = train.inputs.subarray(0, 2 * n);
  const labels = Uint32Array.from(train.labels.subarray(0, n));
  const op = await GpuHessian.of(model, inputs, labels);
  const at = await op.pass(new Float64Array(op.size));
  const probes = { seed, minProbes: s.probes, maxProbes: s.probes };
  const traces = await hutchinson(op, probes);
  const k = await estimateScalarCurvature(op, at.gradient, probes);
  const weights = await model.toSpec();
  const host = mlpLoss(weights, inputs, labels);
  const theta = host.parameters;
  const random = new Random(seed + 7919);
  const perturbed = Array.from({ length: s.perturbations }, () => {
    const eps = random.normals(theta.length, SIGMA);
    return mlpLoss(weights, inputs, labels, theta.map((t, i) => t + eps[i]!)).loss();
  });
  const loss = host.loss();
  const stats = summarize(perturbed);
  return {
    seed, loss, gradNorm: Math.hypot(...at.gradient),
    trace: traces.trace.value, traceStdErr: traces.trace.stdErr, traceOfSquare: traces.traceOfSquare.value, traceOfSquareStdErr: traces.traceOfSquare.stdErr,
    curvature: k.value, curvatureStdErr: k.stdErr, perturbed, spread: stats.std, meanIncrease: stats.mean - loss,
  };
}

function plan(scale: ScaleName): Plan {
  const s = SCALES[scale];
  const seeds = moonsSeeds(s.seeds);
  const keys = seeds.map((seed) => `seed${seed}`);
  return {
    settings: moonsSettings(scale, s, PAPER_SEEDS, {
      'label noise': 'none (the runs of moons-clean)',
      'loss landscape': `mean cross-entropy over the first ${s.points} training points of each run, at the trained weights`,
      curvature: `tr(H), tr(H²) and K (Gegenfurtner Thm 2.1, the full formula with the gradient) from ${s.probes} Rademacher probes of the GPU Hessian-vector product (seed = the run's), each with its standard error`,
      perturbation: `${s.perturbations} draws of θ + ε, ε ~ N(0, ${SIGMA}²) on every weight and bias independently (seeded per run); the loss at θ + ε in float64 on the host`,
      spread: 'standard deviation of the perturbed losses (the paper: "the variance across the perturbations"); the mean increase over L(θ) beside it',
      correlations: `Pearson r with its t-test p, Spearman ρ, and a pairing permutation test (${PERMUTATIONS} permutations, seed 0), over the models`,
    }),
    units: seeds.map((seed, i) => ({ key: keys[i]!, run: (ctx: UnitContext) => measure(ctx, s, seed) })),
    report: (stored) => report(resultsOf<Result>(stored, keys)),
  };
}

/** Over all pairs of models: the fraction in which the one with the lower x also has the lower y (½ for chance). */
function concordance(x: readonly number[], y: readonly number[]): { fraction: number; pairs: number } {
  let agree = 0;
  let pairs = 0;
  for (let i = 0; i < x.length; i++) {
    for (let j = i + 1; j < x.length; j++) {
      if (x[i] === x[j] || y[i] === y[j]) continue;
      pairs++;
      if ((x[i]! < x[j]!) === (y[i]! < y[j]!)) agree++;
    }
  }
  return { fraction: pairs ? agree / pairs : NaN, pairs };
}

function correlationRow(label: string, x: readonly number[], y: readonly number[]): string[] {
  const pr = pearson(x, y);
  const sp = spearman(x, y);
  const perm = permutationTest(x, y, PERMUTATIONS, 0);
  return [label, String(pr.n), `${fmt(pr.r)} (${fmt(pr.p)})`, `${fmt(sp.r)} (${fmt(sp.p)})`, fmt(perm.p)];
}

function report(rs: readonly Result[]): Block[] {
  const spread = rs.map((r) => r.spread);
  const k = rs.map((r) => r.curvature);
  const tr = rs.map((r) => r.trace);
  const tr2 = rs.map((r) => r.traceOfSquare);
  const byK = concordance(k, spread);
  const kr = pearson(k, spread);
  const trr = pearson(tr, spread);
  const kPerm = permutationTest(k, spread, PERMUTATIONS, 0);
  const stronger = Number.isFinite(kr.r) && Number.isFinite(trr.r) ? (Math.abs(kr.r) > Math.abs(trr.r) ? 'K' : 'tr(H)') : null;
  const scatter = (x: readonly number[], name: string, key: string) => figure(`spread-vs-${key}`, svgPlot({
    title: `Spread of the perturbed loss against ${name}`, subtitle: `${rs.length} models; Pearson r = ${fmt(pearson(x, spread).r)}, Spearman ρ = ${fmt(spearman(x, spread).r)}`,
    xLabel: name, yLabel: `std of L(θ + ε), ε ~ N(0, ${SIGMA}²)`, series: scatterWithFit('one model', color(0), x, spread),
  }), `Each model's ${name} at its trained weights against the standard deviation of its loss under weight perturbations, with the least-squares line.`);
  const relErr = (v: number, e: number) => (v !== 0 ? Math.abs(e / v) : NaN);
  const worstK = Math.max(...rs.map((r) => relErr(r.curvature, r.curvatureStdErr)));
  const worstTr = Math.max(...rs.map((r) => relErr(r.trace, r.traceStdErr)));
  const sign = (r: number) => (r > 0 ? 'positive' : r < 0 ? 'negative' : 'zero');
  return [
    heading('Results'),
    table(['model (seed)', 'L(θ)', '‖∇L‖', 'tr(H) ± se', 'tr(H²) ± se', 'K ± se', 'std of L(θ + ε)', 'mean L(θ + ε) − L(θ)'], rs.map((r) => [
      String(r.seed), fmt(r.loss, 4), fmt(r.gradNorm, 4), `${fmt(r.trace, 2)} ± ${fmt(r.traceStdErr, 2)}`, `${fmt(r.traceOfSquare, 1)} ± ${fmt(r.traceOfSquareStdErr, 1)}`,
      `${fmt(r.curvature, 1)} ± ${fmt(r.curvatureStdErr, 1)}`, fmt(r.spread, 4), fmt(r.meanIncrease, 4),
    ])),
    table(['spread against', 'models', 'Pearson r (p)', 'Spearman ρ (p)', 'permutation p'], [
      correlationRow('scalar curvature K', k, spread),
      correlationRow('tr(H)', tr, spread),
      correlationRow('tr(H²) (Proposition 3.2\'s bound)', tr2, spread),
    ], 'Correlations over the models of the spread of the perturbed loss with each curvature figure at the trained weights.'),
    scatter(k, 'scalar curvature K', 'curvature'),
    scatter(tr, 'tr(H)', 'trace'),
    heading('What the numbers say'),
    paragraph(rs.length < 3 ? `Only ${rs.length} model(s) so far: no correlation yet.`
      : `Over ${rs.length} models, the spread of the perturbed loss correlates ${sign(kr.r)}ly with K (Pearson r = ${fmt(kr.r)}, permutation p = ${fmt(kPerm.p)}) and ${sign(trr.r)}ly with tr(H) (r = ${fmt(trr.r)})${stronger ? `; the stronger of the two is ${stronger}` : ''}. In ${fmt(100 * byK.fraction, 0)}% of the ${byK.pairs} pairs of models the one with the smaller K also has the smaller spread (50% would be chance; the paper claims this for its one pair). The probe estimates are noisy: the largest standard error is ${fmt(100 * worstK, 0)}% of |K| and ${fmt(100 * worstTr, 0)}% of |tr(H)|, which weakens any correlation.`),
    heading('Beside the paper'),
    table([...COMPARISON_HEADER], [
      noteRow(paperValue('pouplin-perturbation', 'k-flat'), rs.length ? `K from ${fmt(Math.min(...k), 1)} to ${fmt(Math.max(...k), 1)} over our models` : 'not measured yet', 'another network and data set (the paper names neither): the size of K does not compare'),
      noteRow(paperValue('pouplin-perturbation', 'k-sharp'), rs.length ? `K from ${fmt(Math.min(...k), 1)} to ${fmt(Math.max(...k), 1)} over our models` : 'not measured yet', 'as above'),
      noteRow(paperValue('pouplin-perturbation', 'robust'), Number.isFinite(byK.fraction) ? `the lower-K model has the smaller spread in ${fmt(100 * byK.fraction, 0)}% of ${byK.pairs} pairs` : 'not measured yet', 'the paper shows one pair'),
      noteRow(paperValue('pouplin-perturbation', 'correlation'), Number.isFinite(kr.r) ? `Pearson r = ${fmt(kr.r)} over ${kr.n} models` : 'not measured yet', 'the paper gives no correlation over models'),
    ], 'Pouplin et al. show two networks (Figure 4) and give only their scalar curvatures.'),
  ];
}

export const pouplinPerturbation: Experiment = {
  name: 'pouplin-perturbation',
  title: 'Weight perturbations against scalar curvature and trace (Pouplin et al., Figure 4)',
  about: 'Pouplin et al. 2023 (Figure 4, Proposition 3.2) train two identical networks from different initializations with Adam, perturb the trained weights by N(0, 0.1²) and find the one with the smaller scalar curvature (≈ 430 against ≈ 610) more robust: its perturbed losses vary less. Here many Two Moons MLPs, the spread of their perturbed losses against K and tr(H), with correlations over the models.',
  plan,
};
