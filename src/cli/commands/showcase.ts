// `jetcurve showcase` (what `npm start` runs): src/showcase/showcase.ts, ending with the path of
// the HTML report.
import type { Command } from 'commander';
import { resolve } from 'node:path';
import { JetcurveError } from '../../errors.js';
import type { AdapterChoice } from '../../gpu/node-adapter.js';
import { showcase } from '../../showcase/showcase.js';
import { addAdapterOption, adapterText, withEngine } from '../engine.js';

interface ShowcaseCliOptions { out: string; epochs: string; seed: string; adapter: AdapterChoice }

function positiveInteger(text: string, option: string): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < 1) throw new JetcurveError(`${option} '${text}' is not a positive integer`, `give ${option} a whole number ≥ 1`);
  return v;
}

export function register(program: Command): void {
  addAdapterOption(program.command('showcase')
    .description('the analytic λ suite, then Two Moons under 30% label noise trained plain, with CRR and with SAM; writes an HTML report')
    .option('--out <dir>', 'output folder (runs are resumed or reused when it holds them already)', 'runs/showcase')
    .option('--epochs <n>', 'epochs per Two Moons run', '40')
    .option('--seed <s>', 'seed of data, initialisation and directions', '1'))
    .action(async (options: ShowcaseCliOptions) => {
      const epochs = positiveInteger(options.epochs, '--epochs');
      const seed = Number(options.seed);
      if (!Number.isInteger(seed)) throw new JetcurveError(`--seed '${options.seed}' is not an integer`, 'pass e.g. --seed 1');
      await withEngine(options.adapter, async (engine) => {
        console.log(`jetcurve showcase on ${adapterText(engine)}`);
        const { html, suite } = await showcase(engine, { out: options.out, epochs, seed, log: (l) => console.log(l) }, adapterText(engine));
        if (suite.rows.some((r) => !r.pass)) process.exitCode = 1;
        console.log(`\nreport: ${resolve(html)}`);
      });
    });
}
