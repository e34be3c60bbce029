// Why our Two Moons λ sits below the paper's: the notebook's code initializes its tanh MLP with
// Xavier-uniform weights and zero biases, PyTorch's nn.Linear default is U(±1/√fan_in) for
// weights and biases. Both, clean and at 30% label noise, 25 epochs, λ by the notebook protocol.
import type { LambdaMeasurement } from '../measure.js';
import { paperValue, type PaperValue } from '../paper.js';
import { COMPARISON_HEADER, comparisonRow, fmt, fmtSummary, heading, paragraph, table, type Block } from '../report.js';
import type { Summary } from '../stats.js';
import type { Experiment, Plan, ScaleName, UnitContext } from '../types.js';
import type { MlpInit } from '../../train/init.js';
import { PROTOCOL_TEXT, lambdaOf, moonsSeeds, moonsSettings, moonsSpec, over, resultsOf, trainAndMeasure, type MoonsEval, type MoonsScale } from './moons-common.js';

/** The paper's clean suite has 40 models, its 30%-noise baseline (the sweep's scale 0) 40 too. */
const PAPER_SEEDS = 40;
const SCALES: Record<ScaleName, MoonsScale> = {
  smoke: { seeds: 1, epochs: 1, trainSize: 256 },
  quick: { seeds: 8, epochs: 25 },
  paper: { seeds: 20, epochs: 25 },
};
const NOISES = [0, 0.3] as const;
const INITS: readonly MlpInit[] = ['xavier', 'pytorch'];
const INIT_TEXT: Record<MlpInit, string> = {
  xavier: 'Xavier weights, zero biases (the notebook\'s code)',
  pytorch: 'PyTorch default (weights and biases U(±1/√fan_in))',
};

interface Result extends MoonsEval { readonly noise: number; readonly init: MlpInit; readonly lambda: LambdaMeasurement }

const unitKey = (noise: number, init: MlpInit, seed: number) => `noise${noise}_${init}_seed${seed}`;

/** The paper's λ and test error (%, against its noisy test labels) at a noise level: moons-clean's and moons-sweep's scale-0 rows. */
function paperRows(noise: number): { lambda: PaperValue; error: PaperValue } {
  return noise === 0
    ? { lambda: paperValue('moons-clean', 'lambda'), error: paperValue('moons-clean', 'error') }
    : { lambda: paperValue('moons-sweep', 'lambda0'), error: paperValue('moons-sweep', 'error0') };
}

function plan(scale: ScaleName): Plan {
  const s = SCALES[scale];
  const cells = NOISES.flatMap((noise) => INITS.map((init) => ({ noise, init })));
  const keys = moonsSeeds(s.seeds).flatMap((seed) => cells.map(({ noise, init }) => unitKey(noise, init, seed)));
  return {
    settings: {
      ...moonsSettings(scale, s, PAPER_SEEDS, {
        'label noise': 'none, and 30% of all labels before the split',
        initializations: INITS.map((i) => `${i}: ${INIT_TEXT[i]}`).join('; '),
        protocol: PROTOCOL_TEXT,
      }),
      model: 'tanh MLP 2-64-64-2, initialized both ways (see initializations)',
    },
    // Seed-major: a partial run has all four cells for its first seeds. The Xavier runs are the
    // same runs (same folders) as moons-clean's and moons-sweep's baselines.
    units: moonsSeeds(s.seeds).flatMap((seed) => cells.map(({ noise, init }) => ({
      key: unitKey(noise, init, seed),
      run: (ctx: UnitContext) => trainAndMeasure(ctx, { ...moonsSpec(s, seed, noise), ...(init === 'xavier' ? {} : { init }) },
        async (model, data) => ({ noise, init, lambda: await lambdaOf(ctx, model, data) })),
    }))),
    report: (stored) => report(resultsOf<Result>(stored, keys)),
  };
}

/** Which init's mean λ lies nearer the paper's, in a sentence. */
function nearer(noise: number, lam: (init: MlpInit) => Summary, paper: number): string {
  const gap = (i: MlpInit) => Math.abs(lam(i).mean - paper);
  const where = noise === 0 ? 'Clean' : `At ${100 * noise}% label noise`;
  if (!INITS.every((i) => Number.isFinite(gap(i)))) return `${where}: not enough runs yet to compare the two initializations.`;
  const [near, far] = gap('pytorch') < gap('xavier') ? (['pytorch', 'xavier'] as const) : (['xavier', 'pytorch'] as const);
  const inside = (i: MlpInit) => lam(i).n >= 3 && lam(i).ci95[0] <= paper && paper <= lam(i).ci95[1];
  return `${where}, ${INIT_TEXT[near]} lands nearer the paper's λ ${paper}: ${fmt(lam(near).mean)} (off by ${fmt(lam(near).mean - paper)}${inside(near) ? ', the paper\'s value inside our 95% CI of the mean' : ''}) against ${fmt(lam(far).mean)} for ${far} (off by ${fmt(lam(far).mean - paper)}${inside(far) ? ', the paper\'s value inside our 95% CI' : ''}).`;
}

function report(rs: readonly Result[]): Block[] {
  const cell = (noise: number, init: MlpInit) => rs.filter((r) => r.noise === noise && r.init === init);
  const lam = (noise: number) => (init: MlpInit) => over(cell(noise, init), (r) => r.lambda.fitMean);
  const err = (noise: number, init: MlpInit) => over(cell(noise, init), (r) => 100 * r.noisyTestError);
  const rows = NOISES.flatMap((noise) => INITS.map((init) => {
    const p = paperRows(noise);
    return [noise === 0 ? 'none' : `${100 * noise}%`, INIT_TEXT[init], fmtSummary(lam(noise)(init)), String(p.lambda.value), fmtSummary(err(noise, init), 2), String(p.error.value)];
  }));
  const comparisons = NOISES.flatMap((noise) => INITS.flatMap((init) => {
    const p = paperRows(noise);
    const tag = (row: string[]) => [`${noise === 0 ? 'clean' : `${100 * noise}% noise`}, ${init}: ${row[0]}`, ...row.slice(1)];
    return [tag(comparisonRow(p.lambda, lam(noise)(init))), tag(comparisonRow(p.error, err(noise, init), 2))];
  }));
  return [
    heading('Results'),
    table(['label noise', 'initialization', 'λ (mean ± std over seeds)', 'paper λ', 'test error % (mean ± std)', 'paper test error %'], rows,
      'Test error against the test labels as the notebook has them (noisy at 30% noise). The paper\'s values: moons-clean\'s (40 models) and moons-sweep\'s scale 0 (40 models).'),
    table([...COMPARISON_HEADER], comparisons),
    heading('Which initialization gives the paper\'s level'),
    paragraph(`The paper names no initialization; ${paperValue('moons-init', 'init').note}.`),
    ...NOISES.map((noise) => paragraph(nearer(noise, lam(noise), paperRows(noise).lambda.value!))),
    paragraph(`Between the two initializations (PyTorch default minus Xavier), the mean test error moves by ${NOISES.map((n) => `${fmt(err(n, 'pytorch').mean - err(n, 'xavier').mean, 2)} pp ${n === 0 ? 'clean' : `at ${100 * n}% noise`}`).join(' and ')}, and the mean λ by ${NOISES.map((n) => `${fmt(lam(n)('pytorch').mean - lam(n)('xavier').mean)} ${n === 0 ? 'clean' : `at ${100 * n}% noise`}`).join(' and ')}.`),
    heading('Independent check in float64'),
    paragraph('scripts/moons-crosscheck.py reimplements the notebook\'s protocol in float64 NumPy, sharing no code with jetcurve: the data as scikit-learn\'s make_moons, StandardScaler and train_test_split make them, hand-written backpropagation and Adam, Taylor-mode jets for the loss derivatives of orders 1–4, and the paper\'s λ estimator. Its figures, 25 epochs: clean, Xavier 1.658 ± 0.106 vs PyTorch default 2.011 ± 0.123 (20 seeds each; the paper 1.98); 30% noise, Xavier 0.898 ± 0.214 vs PyTorch default 1.503 ± 0.186 (10 seeds each; the paper 1.59). At 30% noise after 50 epochs: Xavier 1.011 ± 0.318 vs PyTorch default 1.868 ± 0.189 (10 seeds; the paper\'s Figure 1: 1.85). Its test errors hardly differ: clean 3.7% vs 3.4%, noisy 31.7% vs 31.5%. So the notebook\'s code as written gives our levels, and the paper\'s levels follow from default-initialized models.'),
  ];
}

export const moonsInit: Experiment = {
  name: 'moons-init',
  title: 'Two Moons: the notebook\'s Xavier init against PyTorch\'s default, and the paper\'s λ levels',
  about: 'Not an experiment of the paper: it asks why our Two Moons λ lies below the paper\'s (§5.2: 1.98 clean, 1.59 at 30% label noise). The notebook\'s MLP code initializes with Xavier-uniform weights and zero biases; PyTorch\'s nn.Linear default draws weights and biases from U(±1/√fan_in). Both are trained clean and at 30% noise for 25 epochs and measured by the notebook\'s λ protocol.',
  plan,
};
