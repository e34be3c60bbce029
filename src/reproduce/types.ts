// The pieces every experiment is made of: a plan (settings for a scale, the units of work, and
// the report built from the units' stored results) and the context the units run in.
import type { Engine } from '../gpu/engine.js';
import type { ExperimentName } from './paper.js';
import type { Block } from './report.js';

/** smoke: seconds, for tests only; quick: this 2-core CPU machine, under an hour; paper: the paper's protocol (needs a GPU). */
export const SCALES = ['smoke', 'quick', 'paper'] as const;
export type ScaleName = (typeof SCALES)[number];

export interface UnitContext {
  readonly engine: Engine;
  /** Shared folder of training runs (DIR/runs): experiments with the same run reuse it. */
  readonly runsDir: string;
  readonly mnistDir?: string;
  log(message: string): void;
}

/** One unit of work whose JSON result is one line of results.jsonl; finished units are skipped on --resume. */
export interface Unit {
  readonly key: string;
  run(context: UnitContext): Promise<unknown>;
}

export interface Plan {
  /** Shown in the report and kept in DIR/<experiment>/manifest.json; --resume refuses results that other settings produced. */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly units: readonly Unit[];
  /** The report's body from the results stored so far (a key missing from the map: not finished). */
  report(results: ReadonlyMap<string, unknown>): Block[];
}

export interface Experiment {
  readonly name: ExperimentName;
  readonly title: string;
  /** What the paper did, in a sentence or two, with its section. */
  readonly about: string;
  plan(scale: ScaleName): Plan;
}
