// The playground's settings: what the controls show, what the URL holds (so a link reproduces a
// setup), and the TrainConfig each of the two runs trains with — the config `jetcurve train`
// builds from the same flags (commandLine() prints them), so the page and the CLI agree.
import { JetcurveError } from '../errors.js';
import { PAPER_BAND, PAPER_BAND_FALLBACK } from '../lambda/estimators.js';
import { CRR_DEFAULTS, parseOrders } from '../train/crr.js';
import type { EpochLambda } from '../train/held-out.js';
import type { TrainConfig } from '../train/config.js';

export const RUN_REGULARIZERS = ['none', 'crr', 'sam'] as const;
export type RunRegularizer = (typeof RUN_REGULARIZERS)[number];

export interface Settings {
  readonly seed: number;
  /** Symmetric label noise on the training labels, in [0, 1). */
  readonly noise: number;
  /** Units of each of the MLP's two hidden layers. */
  readonly hidden: number;
  readonly lr: number;
  readonly batch: number;
  readonly epochs: number;
  /** Training examples used (of Two Moons' 2100). */
  readonly trainSize: number;
  /** The first held-out points the per-epoch λ chooses its near-boundary points from. */
  readonly lambdaPoints: number;
  /** The regularizers of the left and the right run. */
  readonly left: RunRegularizer;
  readonly right: RunRegularizer;
  readonly crrScale: number;
  /** CRR's orders as typed, e.g. "1-4". */
  readonly crrOrders: string;
  readonly rho: number;
  /** What the pictures show under the boundary. */
  readonly view: 'lambda' | 'probability';
}

export const DEFAULTS: Settings = {
  seed: 0, noise: 0, hidden: 32, lr: 0.01, batch: 64, epochs: 15, trainSize: 1000, lambdaPoints: 256,
  left: 'none', right: 'crr', crrScale: 0.01, crrOrders: '1-4', rho: 0.05, view: 'lambda',
};

type Key = keyof Settings;
interface Field { readonly min?: number; readonly max?: number; readonly integer?: boolean }
const NUMBERS: Partial<Record<Key, Field>> = {
  seed: { integer: true, min: 0, max: 2 ** 31 - 1 }, noise: { min: 0, max: 0.95 }, hidden: { integer: true, min: 2, max: 256 },
  lr: { min: 1e-6, max: 1 }, batch: { integer: true, min: 1, max: 2100 }, epochs: { integer: true, min: 1, max: 500 },
  trainSize: { integer: true, min: 10, max: 2100 }, lambdaPoints: { integer: true, min: 0, max: 900 },
  crrScale: { min: 0, max: 10 }, rho: { min: 1e-6, max: 10 },
};

/** Checks one value as a control or the URL gives it; a bad one is a JetcurveError naming the field and the fix. */
export function checkValue<K extends Key>(key: K, value: unknown): Settings[K] {
  const field = NUMBERS[key];
  if (field) {
    const v = typeof value === 'number' ? value : Number(value);
    const ok = typeof value !== 'string' || value.trim() !== '';
    if (!ok || !Number.isFinite(v) || (field.integer && !Number.isInteger(v)) || v < field.min! || v > field.max!) {
      throw new JetcurveError(`${key} = ${String(value)} is not a${field.integer ? ' whole' : ''} number in ${field.min}..${field.max}`, `set ${key} between ${field.min} and ${field.max}`);
    }
    return v as Settings[K];
  }
  if (key === 'left' || key === 'right') {
    if (!(RUN_REGULARIZERS as readonly unknown[]).includes(value)) throw new JetcurveError(`${key} = ${String(value)} is not a regularizer`, `use ${RUN_REGULARIZERS.join(', ')}`);
  } else if (key === 'view') {
    if (value !== 'lambda' && value !== 'probability') throw new JetcurveError(`view = ${String(value)} is not lambda or probability`, 'use view=lambda or view=probability');
  } else if (key === 'crrOrders') {
    parseOrders(String(value));
  }
  return value as Settings[K];
}

/** Settings from a query string; unknown keys are ignored, bad values fall back to the default and are reported. */
export function fromQuery(query: string): { settings: Settings; problems: string[] } {
  const params = new URLSearchParams(query);
  const out: Record<string, unknown> = { ...DEFAULTS };
  const problems: string[] = [];
  for (const key of Object.keys(DEFAULTS) as Key[]) {
    const text = params.get(key);
    if (text === null) continue;
    try {
      out[key] = checkValue(key, text);
    } catch (e) {
      problems.push(e instanceof Error ? e.message : String(e));
    }
  }
  return { settings: out as unknown as Settings, problems };
}

/** The query string of the settings that differ from the defaults (short links). */
export function toQuery(settings: Settings): string {
  const params = new URLSearchParams();
  for (const key of Object.keys(DEFAULTS) as Key[]) {
    if (settings[key] !== DEFAULTS[key]) params.set(key, String(settings[key]));
  }
  return params.toString();
}

/** The run config of one side: what `jetcurve train` builds from commandLine()'s flags. */
export function trainConfig(s: Settings, reg: RunRegularizer): TrainConfig {
  return {
    dataset: 'moons', model: 'mlp', width: 'small', hidden: s.hidden, reg, rho: s.rho,
    crr: { ...CRR_DEFAULTS, scale: s.crrScale, orders: parseOrders(s.crrOrders), every: 1, directionMode: 'shared' },
    epochs: s.epochs, batch: s.batch, lr: s.lr, schedule: 'constant', labelNoise: s.noise, seed: s.seed,
    out: '', resume: false, trainSize: s.trainSize, lambdaPoints: s.lambdaPoints, lambdaEstimator: 'paper',
  };
}

/** The `jetcurve train` command that trains the same run. */
export function commandLine(s: Settings, reg: RunRegularizer): string {
  const flags = [`--dataset moons --hidden ${s.hidden} --reg ${reg}`];
  if (reg === 'crr') flags.push(`--crr-scale ${s.crrScale} --crr-orders ${s.crrOrders}`);
  if (reg === 'sam') flags.push(`--rho ${s.rho}`);
  flags.push(`--epochs ${s.epochs} --batch ${s.batch} --lr ${s.lr} --label-noise ${s.noise} --seed ${s.seed}`,
    `--train-size ${s.trainSize} --lambda-points ${s.lambdaPoints} --lambda-estimator paper --out run-${reg}`);
  return `jetcurve train ${flags.join(' ')}`;
}

/** What the page's per-epoch λ is, in words: the estimator and the band (PAPER_BAND, as `train` applies it). */
export function lambdaAbout(s: Settings): string {
  const [lo, hi] = PAPER_BAND;
  return `λ near the boundary is what \`jetcurve train --lambda-estimator paper\` reports per epoch on Two Moons: of the first ${s.lambdaPoints} test points, `
    + `those whose largest softmax probability lies in ${lo}–${hi} (the paper's notebook band; if none does, the ${PAPER_BAND_FALLBACK} nearest 0.5), `
    + '2 random unit directions each, derivatives of the loss (true label) of orders 1–4; λ is the least-squares slope over n of the mean log|Dⁿ loss| (the paper\'s estimator).';
}

/** Which points an epoch's λ was measured on, for the run's table. */
export function lambdaPointsText(l: EpochLambda | null | undefined): string {
  if (!l) return '–';
  if (l.value === null) return `no value: ${l.note ?? 'no points'}`;
  if (l.selection === 'band') return `${l.measured} of ${l.points} points in the band`;
  if (l.selection === 'band-fallback') return `band empty: the ${l.measured} of ${l.points} nearest 0.5`;
  return `all ${l.points} points`;
}
