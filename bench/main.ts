// `npm run bench [-- --quick]`: runs bench/run.ts on the engine's adapter, prints the Markdown
// tables, and writes bench/results.json and the generated part of bench/README.md.
// `npm run bench -- --report` only regenerates the tables from the existing bench/results.json.
// `npm run bench -- --only training|derivatives` re-measures that one section (2: the training
// step cost, bench/training.ts; 1: derivatives per second with the per-layer breakdown) and puts
// it into the existing results.json and README tables, leaving the other sections as measured;
// each section's tables say when it was measured and under what load.
import { readFileSync } from 'node:fs';
import { createEngine } from '../src/node.js';
import { renderReport } from './report.js';
import type { BenchResults } from './results.js';
import { derivativesSection, runBench, trainingOptions, writeOutputs } from './run.js';
import { trainingStepCost } from './training.js';

const SECTIONS = ['training', 'derivatives'] as const;
type Section = (typeof SECTIONS)[number];
const isSection = (s: string | undefined): s is Section => (SECTIONS as readonly (string | undefined)[]).includes(s);

const quick = process.argv.includes('--quick');
const only = process.argv.indexOf('--only');
const section = only >= 0 ? process.argv[only + 1] : undefined;
if (only >= 0 && !isSection(section)) {
  console.error(`bench: --only takes ${SECTIONS.map((s) => `'${s}'`).join(' or ')} (the sections that can run alone), got '${section ?? ''}'`);
  process.exit(2);
}
const log = (line: string) => console.error(`[bench] ${line}`);

const RESULTS = 'bench/results.json';
const readResults = (): BenchResults => JSON.parse(readFileSync(RESULTS, 'utf8')) as BenchResults;
/** Writes results.json, and README.md unless the results are a quick (smoke) run's. */
const write = (results: BenchResults): string => writeOutputs(results, RESULTS, results.quick ? null : 'bench/README.md');

/** Re-measures one section into the existing results.json; a quick run only prints (its figures are not to be kept). */
async function remeasure(which: Section): Promise<void> {
  const results = readResults();
  const engine = await createEngine();
  try {
    const merged: BenchResults = which === 'training'
      ? { ...results, training: await trainingStepCost(engine, trainingOptions(quick), log) }
      : { ...results, ...await derivativesSection(engine, quick, true, log) };
    console.log(quick ? renderReport(merged) : write(merged));
  } finally {
    await engine.destroy();
  }
}

if (isSection(section)) {
  await remeasure(section);
} else if (process.argv.includes('--report')) {
  console.log(write(readResults()));
} else {
  const engine = await createEngine();
  try {
    const results = await runBench(engine, { quick }, log);
    console.log(write(results));
  } finally {
    await engine.destroy();
  }
}
