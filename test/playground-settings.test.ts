// The playground's "same run on the command line" is the same run: the `jetcurve train` command
// the page prints for a side, parsed by the CLI's own options, gives the TrainConfig the page
// trains with (so the page's numbers are the CLI's for the same seed). No GPU.
import { Command } from 'commander';
import { expect, it } from 'vitest';
import { config, register, type TrainOptions } from '../src/cli/commands/train.js';
import { DEFAULTS, commandLine, fromQuery, trainConfig, type RunRegularizer, type Settings } from '../src/playground/settings.js';
import type { TrainConfig } from '../src/train/config.js';

/** The config `jetcurve train` builds from the command line (its action replaced by a capture). */
async function cliConfig(line: string): Promise<TrainConfig> {
  const program = new Command('jetcurve').exitOverride();
  register(program);
  let captured: TrainConfig | null = null;
  program.commands.find((c) => c.name() === 'train')!.action((o: TrainOptions) => { captured = config(o); });
  const [name, ...args] = line.split(' ');
  expect(name).toBe('jetcurve');
  await program.parseAsync(args, { from: 'user' });
  return captured!;
}

const cases: [string, Settings, RunRegularizer][] = [
  ['the defaults, plain', DEFAULTS, 'none'],
  ['the defaults, CRR', DEFAULTS, 'crr'],
  ['the defaults, SAM', DEFAULTS, 'sam'],
  ['a link\'s settings, CRR', fromQuery('seed=7&noise=0.2&hidden=16&lr=0.003&batch=32&epochs=4&trainSize=300&lambdaPoints=900&crrScale=0.05&crrOrders=2-3').settings, 'crr'],
  ['a link\'s settings, SAM', fromQuery('seed=7&noise=0.1&hidden=8&rho=0.2&epochs=3').settings, 'sam'],
];

/**
 * Without the fields a run does not read: CRR's settings unless the run is CRR, ρ unless it is
 * SAM, the curvature points without --curvature-every (the CLI fills its defaults in regardless).
 */
function used(c: TrainConfig): Partial<TrainConfig> {
  const { crr, rho, curvaturePoints, ...rest } = c;
  return { ...rest, ...(c.reg === 'crr' ? { crr } : {}), ...(c.reg === 'sam' ? { rho } : {}), ...(c.curvatureEvery ? { curvaturePoints } : {}) };
}

it.each(cases)('%s: the printed command trains what the page trains', async (_name, settings, reg) => {
  const line = commandLine(settings, reg);
  const cli = await cliConfig(line);
  expect(cli.out).toBe(`run-${reg}`);
  expect(used({ ...cli, out: '' })).toEqual(used(trainConfig(settings, reg)));
});
