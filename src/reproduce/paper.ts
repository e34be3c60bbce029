// The papers' numbers, transcribed once, each with the place it comes from: the λ paper
// (Pöschl 2025, §5) first, then, in their own section, the curvature papers (Pouplin et al.
// 2023, Gegenfurtner) whose experiments issue 13 reproduces.
// `value: null` marks a row the experiment reports but for which the paper gives no number.
// Where the paper's text and a caption disagree, both are kept, each with its source.

export const EXPERIMENT_NAMES = [
  'moons-protocol', 'moons-labels', 'moons-clean', 'moons-sweep', 'moons-dynamics', 'moons-init',
  'mnist-noise', 'mnist-crr', 'mnist-ablation', 'mnist-sam',
  'pouplin-analytic', 'curvature-geometry', 'pouplin-perturbation', 'gegenfurtner-theorem', 'curvature-dynamics',
] as const;
export type ExperimentName = (typeof EXPERIMENT_NAMES)[number];

export interface PaperValue {
  readonly experiment: ExperimentName;
  /** Stable key the experiment looks its reference up by. */
  readonly key: string;
  readonly label: string;
  /** The number as printed (a percentage stays a percentage); null: the paper gives none. */
  readonly value: number | null;
  /** A range the paper gives instead of (or besides) one number. */
  readonly range?: readonly [number, number];
  /** ± spread as printed (std over seeds in Tables 1–2). */
  readonly std?: number;
  readonly ci95?: readonly [number, number];
  readonly source: string;
  readonly note?: string;
}

const P52a = '§5.2 "Measurement Validity and Robustness"';
const P52b = '§5.2 "Baseline Behavior in Clean Conditions"';
const P52c = '§5.2 "Controllability Through Regularization"';
const P52d = '§5.2 "Training Dynamics and Overfitting Signatures"';
const FIG1 = 'Figure 1 caption';
const P53 = '§5.3 "Effect of Label Noise"';
const P54 = '§5.4 "Results" / "Geometric Effects"';
const T1 = 'Table 1 (§5.4–5.5)';
const T2 = 'Table 2 (§5.6)';

const v = (experiment: ExperimentName, key: string, label: string, value: number | null, source: string, extra: Partial<PaperValue> = {}): PaperValue =>
  ({ experiment, key, label, value, source, ...extra });

export const PAPER: readonly PaperValue[] = [
  // moons-protocol: 15 models, 30% label noise, orders 1..4.
  v('moons-protocol', 'band', 'λ over band widths 0.48–0.52 … 0.40–0.70', null, P52a, { range: [1.60, 1.63], note: '"nearly identical estimates (mean λ = 1.60-1.63)"; no value per band' }),
  v('moons-protocol', 'directions', 'λ over 2 … 8 random directions', null, P52a, { note: '"as did varying the number of sampled random directions from 2 to 8": no numbers given' }),
  v('moons-protocol', 'nmax3', 'λ with n_max = 3', 1.39, P52a),
  v('moons-protocol', 'nmax4', 'λ with n_max = 4 (the default protocol)', 1.63, P52a),
  v('moons-protocol', 'nmax5', 'λ with n_max = 5', 1.82, P52a),
  // moons-init: not an experiment of the paper; it borrows moons-clean's and moons-sweep's λ rows.
  v('moons-init', 'init', 'weight initialization of the Two Moons MLP', null, '§5.1–5.2 (not stated)', { note: 'the notebook\'s code draws Xavier-uniform weights and zero biases' }),
  // moons-labels: 20 models.
  v('moons-labels', 'true', 'mean λ, loss with true test labels', 1.636, P52a),
  v('moons-labels', 'pred', 'mean λ, loss with predicted labels', 1.643, P52a),
  v('moons-labels', 'maxlogit', 'mean λ, maximum logit', null, P52a, { note: 'only the correlation is given' }),
  v('moons-labels', 'r-true-pred', 'Pearson r, λ(true) vs λ(pred)', 0.976, P52a),
  v('moons-labels', 'r-loss-logit', 'Pearson r, λ(loss) vs λ(max logit)', 0.966, P52a),
  // moons-clean: 40 models, no label noise.
  v('moons-clean', 'error', 'mean test error (%)', 3.42, P52b, { ci95: [2.44, 4.56] }),
  v('moons-clean', 'lambda', 'mean λ', 1.98, P52b, { ci95: [1.71, 2.27] }),
  v('moons-clean', 'r', 'Pearson r, λ vs test error', -0.165, P52b),
  v('moons-clean', 'p', 'Pearson p', 0.308, P52b),
  v('moons-clean', 'perm-p', 'permutation-test p', 0.335, P52b),
  v('moons-clean', 'effect', 'effect size: slope of test error on λ, 120 models over three noise conditions', -0.285, '§5.2 "Quantitative Effect Size"', { ci95: [-0.320, -0.256], note: 'bootstrap interval of the slope; the text reads it as "0.29 percentage points higher test error" per unit λ' }),
  // moons-sweep: six CRR scales (orders 2, 3), 40 seeds each, 30% label noise.
  v('moons-sweep', 'lambda0', 'λ without regularization (scale 0)', 1.59, P52c),
  v('moons-sweep', 'lambdaMax', 'λ at the largest scale, 0.01', 0.94, P52c),
  v('moons-sweep', 'reduction', 'λ reduction from scale 0 to 0.01 (%)', 41, P52c),
  v('moons-sweep', 'error0', 'test error at scale 0 (%)', 32.25, P52c),
  v('moons-sweep', 'errorMax', 'test error at scale 0.01 (%)', 32.47, P52c),
  v('moons-sweep', 'errorIncrease', 'test error increase over the sweep (pp)', 0.22, P52c),
  v('moons-sweep', 'midReduction', 'λ reduction at scales 0.002–0.005 (%)', null, P52c, { range: [25, 35] }),
  v('moons-sweep', 'midError', 'test error at scales 0.002–0.005 (%)', null, P52c, { range: [32.2, 32.4] }),
  v('moons-sweep', 'scales', 'the six scales', null, P52c, { note: 'only 0 (baseline), 0.002–0.005 and 0.01 (maximum) are named; the other values are not given' }),
  // moons-dynamics: 50 epochs, 30% label noise, baseline vs CRR scale 0.003.
  v('moons-dynamics', 'text-base15', 'baseline λ at epoch 15 (text)', 1.63, P52d),
  v('moons-dynamics', 'text-base50', 'baseline λ at epoch 50 (text)', 2.24, P52d),
  v('moons-dynamics', 'text-reg', 'CRR λ over epochs 15–50 (text)', null, P52d, { range: [1.2, 1.5] }),
  v('moons-dynamics', 'text-err-reg', 'final test error, CRR (text, %)', 32.44, P52d),
  v('moons-dynamics', 'text-err-base', 'final test error, baseline (text, %)', 31.89, P52d),
  v('moons-dynamics', 'fig-base-start', 'baseline λ after epoch 15 (Figure 1)', 1.3, FIG1),
  v('moons-dynamics', 'fig-base-end', 'baseline λ at epoch 50 (Figure 1)', 1.85, FIG1),
  v('moons-dynamics', 'fig-reg', 'CRR λ after epoch 15 (Figure 1)', null, FIG1, { range: [1.2, 1.3] }),
  v('moons-dynamics', 'fig-reduction', 'reduction of final λ by CRR (%, Figure 1)', 31, FIG1),
  v('moons-dynamics', 'fig-err-start', 'test error at epoch 0 (%, Figure 1)', 36, FIG1),
  v('moons-dynamics', 'fig-err-15', 'test error at epoch 15 (%, Figure 1)', 31, FIG1),
  v('moons-dynamics', 'fig-err-reg', 'final test error, CRR (%, Figure 1)', 31.4, FIG1),
  v('moons-dynamics', 'fig-err-base', 'final test error, baseline (%, Figure 1)', 31.0, FIG1),
  // mnist-noise: λ over orders 2..4.
  v('mnist-noise', 'lambda0', 'λ, 0% label noise', -3.0, P53, { note: '"concentrated around λ ≈ −3.0"' }),
  v('mnist-noise', 'lambda20', 'λ, 20% label noise', -3.9, P53, { note: '"≈ −3.9"' }),
  v('mnist-noise', 'lambda40', 'λ, 40% label noise', -4.5, P53, { note: '"≈ −4.5"' }),
  v('mnist-noise', 'r', 'Pearson r, test error vs λ', -0.91, P53, { note: 'p < 0.001; the number of models is not given' }),
  v('mnist-noise', 'accuracy', 'test accuracy per noise level', null, P53, { note: '"decreasing accuracy": no numbers given' }),
  // mnist-crr: 7 scales × 5 seeds, clean MNIST.
  v('mnist-crr', 'accuracy', 'test accuracy, all scales (%)', 97.8, P54, { std: 0.3, note: 'one number for all scales; Table 2 reports 99.3% for the same CNN' }),
  v('mnist-crr', 'ece0', 'ECE at scale 0', 0.012, P54),
  v('mnist-crr', 'eceMid', 'ECE at scales 0.01–1', 0.010, P54),
  v('mnist-crr', 'eceHigh', 'ECE at scales 100–200', 0.008, P54),
  v('mnist-crr', 'hard', 'accuracy on low-confidence samples (%)', null, P54, { range: [89, 90] }),
  v('mnist-crr', 'lambdaMid', 'λ at scales 0–10', -2.6, P54, { range: [-2.7, -2.5] }),
  v('mnist-crr', 'lambdaHigh', 'λ at scales 100–200', null, P54, { range: [-3.3, -3.1] }),
  v('mnist-crr', 'orders', 'orders penalized', null, P54, { note: 'not stated in §5.4 (λ itself is measured over orders 2–4)' }),
  // mnist-ablation: Table 1, 20% label noise, mean ± std over 3 seeds, 30 epochs.
  ...([
    ['2-4@100', '2nd–4th, scale 100', 0.9447, 0.0009, 0.0795, 0.0047, -2.74, 0.01],
    ['2-4@200', '2nd–4th, scale 200', 0.9533, 0.0026, 0.0797, 0.0028, -2.76, 0.01],
    ['2@200', '2nd only, scale 200', 0.9537, 0.0058, 0.0942, 0.0161, -3.05, 0.03],
    ['1-4@100', '1st–4th, scale 100', 0.9643, 0.0012, 0.1686, 0.0062, -4.13, 0.05],
    ['1-4@200', '1st–4th, scale 200', 0.9610, 0.0022, 0.2127, 0.0107, -4.62, 0.06],
    ['1@200', '1st only, scale 200', 0.8937, 0.0149, 0.4288, 0.0188, -5.49, 0.10],
  ] as const).flatMap(([key, label, acc, accStd, ece, eceStd, lam, lamStd]) => [
    v('mnist-ablation', `${key}:accuracy`, `${label}: accuracy`, acc, T1, { std: accStd }),
    v('mnist-ablation', `${key}:ece`, `${label}: ECE`, ece, T1, { std: eceStd }),
    v('mnist-ablation', `${key}:lambda`, `${label}: λ`, lam, T1, { std: lamStd }),
  ]),
  v('mnist-ablation', 'unlisted', '1–2 orders, and scale 1 for every order set', null, '§5.5', { note: 'named in the text as tested, absent from Table 1' }),
  // mnist-sam: Table 2, mean ± std over 3 seeds, 30 epochs, batch 128, lr 0.001.
  ...([
    ['sam', 'SAM', 99.31, 0.04, 0.0040, 0.0006, 96.71, 0.10, -2.37, 0.24, -2.65, 0.20, -2.29, 0.01, 235, 1],
    ['crr24', 'CRR (n = 2–4)', 99.32, 0.06, 0.0038, 0.0003, 96.62, 0.30, -3.10, 0.08, -2.85, 0.28, -3.16, 0.35, 596, 1],
    ['crr14', 'CRR (n = 1–4)', 99.27, 0.05, 0.0029, 0.0004, 96.40, 0.26, -3.28, 0.14, -3.51, 0.18, -3.71, 0.07, 646, 1],
  ] as const).flatMap(([key, label, acc, accS, ece, eceS, hard, hardS, l49, l49S, l38, l38S, l67, l67S, time, timeS]) => [
    v('mnist-sam', `${key}:accuracy`, `${label}: test accuracy (%)`, acc, T2, { std: accS }),
    v('mnist-sam', `${key}:ece`, `${label}: ECE`, ece, T2, { std: eceS }),
    v('mnist-sam', `${key}:hard`, `${label}: hard-20% accuracy (%)`, hard, T2, { std: hardS }),
    v('mnist-sam', `${key}:lambda:4/9`, `${label}: λ (4/9)`, l49, T2, { std: l49S }),
    v('mnist-sam', `${key}:lambda:3/8`, `${label}: λ (3/8)`, l38, T2, { std: l38S }),
    v('mnist-sam', `${key}:lambda:6/7`, `${label}: λ (6/7)`, l67, T2, { std: l67S }),
    v('mnist-sam', `${key}:time`, `${label}: training time (s, 30 epochs)`, time, T2, { std: timeS }),
  ]),
  v('mnist-sam', 'crr-scale', 'CRR scale in Table 2', null, T2, { note: 'not given' }),
  ...curvaturePaperRows(),
];

/**
 * The curvature papers. Pouplin et al. 2023 ("Identifying flat minima with the scalar curvature
 * of the loss landscape") print closed forms and figures, almost no numbers; each row says what
 * there is to compare.
 */
function curvaturePaperRows(): PaperValue[] {
  const EX31 = 'Pouplin et al. 2023, Example 3.1';
  const FIG2 = 'Pouplin et al. 2023, Figure 2';
  const FIG5 = 'Pouplin et al. 2023, Figure 5 (appendix)';
  const FIG4 = 'Pouplin et al. 2023, Figure 4';
  const GEG5 = 'Gegenfurtner, §5 "Future directions", "Empirical studies"';
  return [
    v('pouplin-analytic', 'trace-formula', 'tr(H) of f(u, v) = e^(−cu)·sin u·sin v in closed form', null, EX31, { note: 'a formula, no number' }),
    v('pouplin-analytic', 'curvature-formula', 'scalar curvature S of the graph of f in closed form', null, EX31, { note: 'a formula, no number' }),
    v('pouplin-analytic', 'maps', 'maps of tr(H) and S for c = 0.1', null, FIG2, { note: 'colour maps only: no values, no colour scale, and no range of (u, v) given' }),
    v('pouplin-perturbation', 'k-flat', 'scalar curvature of the more robust network', 430, FIG4, { note: '"≈ 430"; network, data and loss not named' }),
    v('pouplin-perturbation', 'k-sharp', 'scalar curvature of the less robust network', 610, FIG4, { note: '"≈ 610"' }),
    v('pouplin-perturbation', 'robust', 'the network with the smaller K varies less under N(0, 0.1²) weight perturbations', null, FIG4, { note: 'one pair of networks, shown as curves: no spread given' }),
    v('pouplin-perturbation', 'correlation', 'correlation of the perturbation spread with K over networks', null, FIG4, { note: 'not measured in the paper' }),
    v('gegenfurtner-theorem', 'printed', 'Theorem 4.1 as printed: 0 ≤ K ≤ (r−1)·tr(H) ≤ (r−1)·λ_max² at interpolation', null, 'Gegenfurtner, Theorem 4.1', { note: 'an inequality, no number' }),
    v('gegenfurtner-theorem', 'proof', 'what the proof of Theorem 4.1 establishes: K ≤ (r−1)·tr(H²)', null, 'Gegenfurtner, proof of Theorem 4.1', { note: 'an inequality, no number' }),
    v('curvature-dynamics', 'question', 'does training (plain, SAM, CRR) control the functional rank? (mean rank at initialization → last epoch)', null, GEG5, { note: '"We ask if SGD (or other training methods) also control functional dimension": posed, not measured' }),
    v('curvature-dynamics', 'conjecture', 'lower functional dimension goes with local flatness', null, GEG5, { note: 'a conjecture of Grigsby et al. the paper cites: no number' }),
    v('curvature-geometry', 'sphere', 'scalar curvature of a sphere: positive everywhere', null, FIG5, { note: 'values normalized to [−1, 1]: the sign only' }),
    v('curvature-geometry', 'hyperboloid', 'scalar curvature of a hyperboloid: negative everywhere', null, FIG5, { note: 'values normalized to [−1, 1]: the sign only' }),
  ];
}

/** The paper's row `key` of an experiment (a missing key is a bug in the experiment). */
export function paperValue(experiment: ExperimentName, key: string): PaperValue {
  const row = PAPER.find((p) => p.experiment === experiment && p.key === key);
  if (!row) throw new Error(`no paper value ${experiment}/${key}`);
  return row;
}

/** The printed form of a paper row: "1.63", "1.60–1.63", "3.42 (95% CI 2.44–4.56)", "—". */
export function paperText(p: PaperValue): string {
  // As printed: no rounding of the paper's numbers.
  const f = (x: number) => String(x);
  const parts: string[] = [];
  if (p.value !== null) parts.push(f(p.value) + (p.std !== undefined ? ` ± ${f(p.std)}` : ''));
  if (p.range) parts.push(`${p.value !== null ? 'range ' : ''}${f(p.range[0])} to ${f(p.range[1])}`);
  if (p.ci95) parts.push(`(95% CI ${f(p.ci95[0])} to ${f(p.ci95[1])})`);
  return parts.length ? parts.join(' ') : '— (no number in the paper)';
}
