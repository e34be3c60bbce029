// `npm run bench [-- --quick]`: runs bench/run.ts on the engine's adapter, prints the Markdown
// tables, and writes bench/results.json and the generated part of bench/README.md.
// `npm run bench -- --report` only regenerates the tables from the existing bench/results.json.
// `npm run bench -- --only training` re-measures the training step cost (bench/training.ts) and
// puts it into the existing results.json and README tables, leaving the other sections as measured.
import { readFileSync } from 'node:fs';
import { createEngine } from '../src/node.js';
import { runBench, trainingOptions, writeOutputs, type BenchResults } from './run.js';
import { trainingStepCost } from './training.js';

const quick = process.argv.includes('--quick');
const only = process.argv.indexOf('--only');
const section = only >= 0 ? process.argv[only + 1] : undefined;
if (only >= 0 && section !== 'training') {
  console.error(`bench: --only takes 'training' (the one section that can run alone), got '${section ?? ''}'`);
  process.exit(2);
}
if (section === 'training') {
  const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as BenchResults;
  const engine = await createEngine();
  try {
    const training = await trainingStepCost(engine, trainingOptions(quick), (line) => console.error(`[bench] ${line}`));
    const merged: BenchResults = { ...results, training };
    console.log(writeOutputs(merged, 'bench/results.json', quick || results.quick ? null : 'bench/README.md'));
  } finally {
    await engine.destroy();
  }
} else if (process.argv.includes('--report')) {
  const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as BenchResults;
  console.log(writeOutputs(results, 'bench/results.json', results.quick ? null : 'bench/README.md'));
} else {
  const engine = await createEngine();
  try {
    const results = await runBench(engine, { quick }, (line) => console.error(`[bench] ${line}`));
    console.log(writeOutputs(results, 'bench/results.json', quick ? null : 'bench/README.md'));
  } finally {
    await engine.destroy();
  }
}
