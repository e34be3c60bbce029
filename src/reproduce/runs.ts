// Training runs of the experiments: one train() per run in its own folder DIR/runs/<key>, named
// by every setting that changes the trajectory, so experiments that need the same run (e.g. the
// 30%-noise baselines of moons-protocol, moons-labels and moons-sweep) train it once. A run
// that was interrupted resumes from its checkpoint (train() checks that the settings match);
// a finished one is read back.
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { JetcurveError } from '../errors.js';
import { hasCheckpoint } from '../train/checkpoint.js';
import type { CrrRun } from '../train/crr.js';
import type { TrainConfig } from '../train/config.js';
import { train, type TrainSummary } from '../train/loop.js';
import type { UnitContext } from './types.js';

/** A run's settings: all of train()'s that change the trajectory (folders and λ points are the caller's). */
export type RunSpec = Omit<TrainConfig, 'out' | 'resume' | 'lambdaPoints' | 'mnistDir'>;

/** flatgrad's Two Moons setup: tanh MLP 2-64-64-2, Adam 1e-2, batch 128 (src/train/data.ts has the data). */
export function moonsRun(seed: number, epochs: number, labelNoise: number, crr?: CrrRun): RunSpec {
  return { dataset: 'moons', model: 'mlp', width: 'small', reg: crr ? 'crr' : 'none', rho: 0.05, ...(crr ? { crr } : {}), epochs, batch: 128, lr: 1e-2, labelNoise, seed };
}

/** An experiment's seeds: 1..n. */
export const seedList = (n: number): number[] => Array.from({ length: n }, (_, i) => i + 1);

/** The folder name of a run: readable, and different whenever a setting differs. */
export function runKey(s: RunSpec): string {
  const parts: string[] = [s.dataset, s.model === 'cnn' ? `cnn-${s.width}` : s.model];
  if ((s.reg === 'crr' || s.reg === 'crr-target') && s.crr) {
    parts.push(`${s.reg === 'crr-target' ? `crrtarget${s.crrTarget}-` : ''}crr${s.crr.scale}-o${s.crr.orders.join('.')}-d${s.crr.directions}${s.crr.subset !== undefined ? `-m${s.crr.subset}` : ''}${s.crr.every !== 1 ? `-k${s.crr.every}` : ''}`
      + `${s.crr.reduction === 'mean' ? '-mean' : ''}${s.crr.directionMode === 'per-order' ? '-fresh' : ''}${s.crr.directionScope === 'batch' ? '-batchdir' : ''}`);
  } else if (s.reg !== 'none') parts.push(`${s.reg}${s.rho}`);
  else parts.push('plain');
  parts.push(`noise${s.labelNoise}`, `e${s.epochs}`, `b${s.batch}`, `lr${s.lr}`);
  if (s.trainSize !== undefined) parts.push(`n${s.trainSize}`);
  if (s.testSize !== undefined) parts.push(`t${s.testSize}`);
  if (s.subsets === 'random') parts.push('randsub');
  if (s.dropout) parts.push(`drop${s.dropout.join('.')}`);
  if (s.schedule !== undefined && s.schedule !== 'constant') parts.push(s.schedule);
  if (s.moonsPipeline === 'paper') parts.push('paperdata');
  // Only a non-default init adds a part: the default's runs keep the folders they were trained in.
  if (s.init !== undefined && s.init !== 'xavier') parts.push(`${s.init}init`);
  parts.push(`seed${s.seed}`);
  return parts.join('_');
}

export interface FinishedRun {
  readonly dir: string;
  readonly summary: TrainSummary;
}

function finished(dir: string, epochs: number): TrainSummary | null {
  const path = join(dir, 'summary.json');
  if (!existsSync(path)) return null;
  const s = JSON.parse(readFileSync(path, 'utf8')) as TrainSummary;
  return s.status === 'finished' && s.epochs >= epochs ? s : null;
}

/**
 * Trains (or resumes, or reads back) the run to `epochs` (default: all of spec.epochs). The
 * folder is that of the whole run, so training it epoch by epoch (moons-dynamics) is the very
 * same trajectory as in one go.
 */
export async function trainRun(context: UnitContext, spec: RunSpec, epochs = spec.epochs): Promise<FinishedRun> {
  const dir = join(context.runsDir, runKey(spec));
  const done = finished(dir, epochs);
  if (done) return { dir, summary: done };
  const resume = hasCheckpoint(dir);
  const { epochs: _all, ...rest } = spec;
  const summary = await train(context.engine, {
    ...rest, epochs, out: dir, resume, lambdaPoints: 0, ...(context.mnistDir !== undefined ? { mnistDir: context.mnistDir } : {}),
  }, {
    onStart: (info) => { if (epochs === spec.epochs || info.startEpoch === 0) context.log(`  training ${runKey(spec)}${info.startEpoch ? ` (resuming after epoch ${info.startEpoch})` : ''}`); },
  });
  return { dir, summary };
}

/**
 * The run after exactly `epoch` epochs, for experiments that measure a run epoch by epoch: a
 * folder already trained further (another experiment's, or the per-epoch file deleted) would
 * otherwise give its final model at every epoch, silently.
 */
export async function trainRunTo(context: UnitContext, spec: RunSpec, epoch: number, experiment: string): Promise<FinishedRun> {
  const run = await trainRun(context, spec, epoch);
  if (run.summary.epochs !== epoch) {
    throw new JetcurveError(`${run.dir} holds a run trained for ${run.summary.epochs} epochs, but ${experiment} needs its model after epoch ${epoch}`,
      'give reproduce another --out folder, or delete that run folder so it is retrained epoch by epoch');
  }
  return run;
}

/**
 * Points measured epoch by epoch, kept as JSON lines in `file` beside the run: epochs already
 * there are read back, the others measured in order and appended one by one, so an interrupted
 * unit resumes at its first missing epoch (a cut-off last line is measured again).
 */
export async function measureEpochs<T extends { readonly epoch: number }>(file: string, epochs: readonly number[], measure: (epoch: number) => Promise<T>): Promise<T[]> {
  const done = new Map<number, T>();
  if (existsSync(file)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      try { const p = JSON.parse(line) as T; done.set(p.epoch, p); } catch { /* a cut-off last line: redo that epoch */ }
    }
  }
  await mkdir(dirname(file), { recursive: true });
  for (const epoch of epochs) {
    if (done.has(epoch)) continue;
    const point = await measure(epoch);
    await appendFile(file, `${JSON.stringify(point)}\n`);
    done.set(epoch, point);
  }
  return epochs.map((e) => done.get(e)!);
}
