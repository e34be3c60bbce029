// `jetcurve bench`: the benchmark of bench/ (jets against nested autodiff, kernel efficiency,
// memory), bundled into the CLI by build.mjs like every other module. In a checkout it writes
// bench/results.json and the generated tables of bench/README.md, as `npm run bench` does.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { runBench, writeOutputs } from '../../../bench/run.js';
import type { AdapterChoice } from '../../gpu/node-adapter.js';
import { addAdapterOption, withEngine } from '../engine.js';

interface BenchOptions { quick?: boolean; out?: string; readme: boolean; adapter: AdapterChoice }

export function register(program: Command): void {
  addAdapterOption(program.command('bench')
    .description('benchmark: derivatives per second against nested autodiff (TF.js), kernel GFLOP/s, memory (~15 min; --quick for a smoke run)')
    .option('--quick', 'orders 1, 2, 4 with tiny budgets: checks that everything runs, in a minute or two')
    .option('--out <file.json>', 'where the results go (default bench/results.json in a checkout, else jetcurve-bench.json)')
    .option('--no-readme', 'leave bench/README.md as it is'))
    .action(async (options: BenchOptions) => {
      const inCheckout = existsSync('bench/README.md');
      const out = options.out ?? (inCheckout ? 'bench/results.json' : 'jetcurve-bench.json');
      const readme = options.readme && inCheckout && !options.quick ? 'bench/README.md' : null;
      await withEngine(options.adapter, async (engine) => {
        const results = await runBench(engine, { quick: !!options.quick }, (line) => console.error(`[bench] ${line}`));
        console.log(writeOutputs(results, out, readme));
        console.error(`[bench] wrote ${out}${readme ? ` and ${readme}` : ''}`);
      });
    });
}
