// The jetcurve command line. Each command lives in ./commands/<name>.ts and registers itself.
// User errors (JetcurveError, bad options) print "jetcurve: <message>" and a fix, exit code 2,
// no stack trace; anything else is a bug and keeps its stack.
import { Command, CommanderError } from 'commander';
import { version } from '../../package.json';
import { JetcurveError } from '../errors.js';
import { register as demo } from './commands/demo.js';
import { register as jet } from './commands/jet.js';
import { register as analytic } from './commands/analytic.js';
import { register as lambda } from './commands/lambda.js';
import { register as radius } from './commands/radius.js';
import { register as bench } from './commands/bench.js';
import { register as data } from './commands/data.js';
import { register as train } from './commands/train.js';
import { register as showcase } from './commands/showcase.js';
import { register as reproduce } from './commands/reproduce.js';
import { register as importOnnx } from './commands/import.js';
import { register as exportOnnx } from './commands/export.js';
import { register as curvature } from './commands/curvature.js';
import { register as playground } from './commands/playground.js';

export function buildProgram(): Command {
  const program = new Command('jetcurve')
    .description('Higher-order Taylor jets on WebGPU: all directional derivatives of a network in one pass')
    .version(version)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(`jetcurve: ${text.replace(/^error: /, '')}`) })
    .showHelpAfterError('(run jetcurve --help for usage)');
  for (const register of [jet, demo, radius, lambda, curvature, analytic, data, bench, train, reproduce, showcase, importOnnx, exportOnnx, playground]) register(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed its message already; help and --version are not errors.
      return e.code === 'commander.helpDisplayed' || e.code === 'commander.version' ? 0 : 2;
    }
    if (e instanceof JetcurveError) {
      process.stderr.write(`jetcurve: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv);
