// `npm run bench [-- --quick]`: runs bench/run.ts on the engine's adapter, prints the Markdown
// tables, and writes bench/results.json and the generated part of bench/README.md.
// `npm run bench -- --report` only regenerates the tables from the existing bench/results.json.
import { readFileSync } from 'node:fs';
import { createEngine } from '../src/node.js';
import { runBench, writeOutputs, type BenchResults } from './run.js';

const quick = process.argv.includes('--quick');
if (process.argv.includes('--report')) {
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
