// Runs one experiment: its plan for the scale, every unit not yet in results.jsonl (one line
// each as it finishes), and the report (Markdown + HTML + SVG files) rewritten after every unit,
// so an interrupted experiment always leaves a partial report that says what is missing.
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { changedKeys } from '../util/changed-keys.js';
import { summarizeReport, writeIndex, writeSummary } from './index-page.js';
import { heading, list, paragraph, table, type Block, type Report } from './report.js';
import { writeReportFiles } from './report-files.js';
import { ResultStore } from './store.js';
import type { Experiment, ScaleName } from './types.js';

export interface RunOptions {
  /** The --out folder; the experiment writes DIR/<name>/ and trains in DIR/runs/. */
  readonly out: string;
  readonly scale: ScaleName;
  readonly resume: boolean;
  readonly mnistDir?: string;
  /** One line of the adapter, for the report. */
  readonly adapter?: string;
  /** Run only shard `index` (1..count) of the units: unit j of the plan belongs to shard (j mod count) + 1. */
  readonly shard?: Shard;
  log(message: string): void;
}

interface Manifest {
  readonly experiment: string;
  readonly scale: ScaleName;
  readonly settings: Readonly<Record<string, unknown>>;
  readonly adapter?: string;
}

export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** "3/8" → shard 3 of 8. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!(index >= 1 && count >= 1 && index <= count)) {
    throw new JetcurveError(`--shard ${text} is not i/n with 1 ≤ i ≤ n`, 'write e.g. --shard 3/8 (a Slurm array task: --shard $((SLURM_ARRAY_TASK_ID + 1))/$SLURM_ARRAY_TASK_COUNT)');
  }
  return { index, count };
}

export function experimentDir(out: string, experiment: Experiment): string {
  return join(out, experiment.name);
}

function readManifest(dir: string): Manifest | null {
  const path = join(dir, 'manifest.json');
  return existsSync(path) ? JSON.parse(readFileSync(path, 'utf8')) as Manifest : null;
}

/** The units of work, the stored results and the report; `engine` null writes the report only. */
export async function runExperiment(engine: Engine | null, experiment: Experiment, options: RunOptions): Promise<{ finished: number; total: number; dir: string }> {
  const dir = experimentDir(options.out, experiment);
  const previous = readManifest(dir);
  const scale = engine === null && previous ? previous.scale : options.scale;
  const plan = experiment.plan(scale);
  const store = new ResultStore(join(dir, 'results.jsonl'));
  if (engine !== null) {
    if (store.size > 0 && !options.resume) {
      throw new JetcurveError(`${dir} holds ${store.size} finished unit(s) of an earlier run of ${experiment.name}`,
        'continue it with --resume, rewrite its report with --report-only, or give another --out folder');
    }
    if (previous && previous.scale !== scale && store.size > 0) {
      throw new JetcurveError(`${dir} was run at scale ${previous.scale}, not ${scale}`,
        `resume with --scale ${previous.scale}, or give another --out folder`);
    }
    // A unit's stored result does not name the recipe that produced it: results of another
    // version's settings would mix silently with new ones.
    const changed = previous && store.size > 0 ? changedKeys(previous.settings, plan.settings) : [];
    if (changed.length > 0) {
      throw new JetcurveError(`${dir} holds results produced with other settings than this version of jetcurve uses (${changed.join(', ')}); resuming would mix the two`,
        `give another --out folder (or delete ${dir}) to run it afresh; --report-only still rewrites its report`);
    }
    await mkdir(dir, { recursive: true });
    const manifest: Manifest = { experiment: experiment.name, scale, settings: plan.settings, ...(options.adapter ? { adapter: options.adapter } : {}) };
    await writeFile(join(dir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    const context = { engine, runsDir: join(options.out, 'runs'), ...(options.mnistDir !== undefined ? { mnistDir: options.mnistDir } : {}), log: options.log };
    const shard = options.shard;
    const mine = plan.units.filter((_, j) => !shard || j % shard.count === shard.index - 1);
    const todo = mine.filter((u) => !store.has(u.key));
    options.log(`${experiment.name} (${scale}${shard ? `, shard ${shard.index}/${shard.count}: ${mine.length} of ${plan.units.length} units` : ''}): `
      + `${mine.length - todo.length} of ${mine.length} units done, ${todo.length} to go`);
    for (const [i, unit] of todo.entries()) {
      const t0 = performance.now();
      const data = await unit.run(context);
      const seconds = (performance.now() - t0) / 1000;
      await store.append(unit.key, data, seconds);
      options.log(`${experiment.name}: ${unit.key} done in ${seconds.toFixed(0)} s (${i + 1}/${todo.length})`);
      await writeReport(dir, experiment, scale, plan.settings, plan.units.map((u) => u.key), store, plan.report(store.data()), options.adapter ?? previous?.adapter);
    }
  } else if (!previous && store.size === 0) {
    throw new JetcurveError(`${dir} holds no results of ${experiment.name}`, `run it first: jetcurve reproduce ${experiment.name} --out ${options.out}`);
  }
  // Rewriting an older run's report: its settings table shows what produced the results.
  const changed = previous ? changedKeys(previous.settings, plan.settings) : [];
  const settings = changed.length > 0 && previous ? previous.settings : plan.settings;
  const warning = changed.length > 0
    ? [paragraph(`**Settings changed:** these results were produced with the settings listed above, which differ from this version's in: ${changed.join(', ')}. The text below is this version's; run the experiment again in a fresh --out folder for a report that matches it throughout.`)]
    : [];
  await writeReport(dir, experiment, scale, settings, plan.units.map((u) => u.key), store, [...warning, ...plan.report(store.data())], options.adapter ?? previous?.adapter);
  const finished = plan.units.filter((u) => store.has(u.key)).length;
  return { finished, total: plan.units.length, dir };
}

/**
 * Gathers the results of an experiment run in shards (each in its own --out folder) into `out`:
 * every shard must hold results of the same scale and settings; a unit finished in several
 * shards is taken once. Returns how many units the folders held together.
 */
export async function mergeShards(out: string, experiment: Experiment, shardDirs: readonly string[]): Promise<number> {
  const target = experimentDir(out, experiment);
  const store = new ResultStore(join(target, 'results.jsonl'));
  let manifest = readManifest(target);
  for (const shardOut of shardDirs) {
    const dir = experimentDir(shardOut, experiment);
    const shardManifest = readManifest(dir);
    if (!shardManifest) {
      if (!existsSync(join(dir, 'results.jsonl'))) continue;
      throw new JetcurveError(`${dir} holds results but no manifest.json`, 'merge folders that jetcurve reproduce wrote');
    }
    if (manifest) {
      const changed = changedKeys(manifest.settings, shardManifest.settings);
      if (manifest.scale !== shardManifest.scale || changed.length > 0) {
        throw new JetcurveError(`${dir} was run with other settings than the folders merged before it (${manifest.scale !== shardManifest.scale ? `scale ${shardManifest.scale}, not ${manifest.scale}` : changed.join(', ')})`,
          'merge only the shards of one run of the experiment');
      }
    } else {
      manifest = shardManifest;
      await mkdir(target, { recursive: true });
      await writeFile(join(target, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    }
    for (const record of new ResultStore(join(dir, 'results.jsonl')).records()) {
      if (!store.has(record.unit)) await store.adopt(record);
    }
  }
  return store.size;
}

function settingValue(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

export function buildReport(experiment: Experiment, scale: ScaleName, settings: Readonly<Record<string, unknown>>, units: readonly string[],
  store: ResultStore, body: readonly Block[], adapter?: string): Report {
  const missing = units.filter((u) => !store.has(u));
  const status = missing.length === 0
    ? `complete: all ${units.length} units finished (scale ${scale}).`
    : `PARTIAL: ${units.length - missing.length} of ${units.length} units finished (scale ${scale}); the numbers below use only the finished ones. Continue with \`jetcurve reproduce ${experiment.name} --resume\`.`;
  const blocks: Block[] = [
    paragraph(experiment.about),
    heading('Settings'),
    table(['setting', 'value'], Object.entries(settings).map(([k, v]) => [k, settingValue(v)])),
    ...(adapter ? [paragraph(`Adapter: ${adapter}.`)] : []),
    ...body,
  ];
  if (missing.length) blocks.push(heading('Missing units'), list(missing.length > 40 ? [...missing.slice(0, 40), `… and ${missing.length - 40} more`] : missing));
  return { title: `${experiment.title}: jetcurve beside the paper`, experiment: experiment.name, status, blocks };
}

async function writeReport(dir: string, experiment: Experiment, scale: ScaleName, settings: Readonly<Record<string, unknown>>, units: readonly string[],
  store: ResultStore, body: readonly Block[], adapter?: string): Promise<void> {
  const report = buildReport(experiment, scale, settings, units, store, body, adapter);
  await writeReportFiles(dir, report);
  await writeSummary(dir, summarizeReport(report, units.every((u) => store.has(u))));
  await writeIndex(dirname(dir));
}
