// `jetcurve lambda`: λ of a network on a data file (raw convention), src/lambda/network.ts.
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { loadDataSet } from '../../data/file.js';
import { JetcurveError } from '../../errors.js';
import type { AdapterChoice } from '../../gpu/node-adapter.js';
import { lambdaFigure } from '../../lambda/figures.js';
import { toJson } from '../../lambda/json.js';
import { QUANTITIES, networkLambda, type NetworkLambda, type Quantity } from '../../lambda/network.js';
import { RAW_METHODS, parseOrderRange, type RawMethod } from '../../lambda/raw.js';
import { loadModel } from '../../model/source.js';
import { Model } from '../../model/model.js';
import { addAdapterOption, adapterText, withEngine } from '../engine.js';
import { num, table } from '../format.js';

interface LambdaOptions {
  model: string; data: string; orders: string; directions: string; seed: string; quantity: Quantity;
  band?: string; method: RawMethod; norm: 'random' | 'sphere'; plot?: string; json?: boolean; adapter: AdapterChoice;
}

export function register(program: Command): void {
  const command = program.command('lambda')
    .description('curvature rate λ of a network: slope of log‖Dⁿq‖ against n (raw convention), q the loss or a logit')
    .requiredOption('--model <file>', 'a jetcurve-model/1 JSON file, or an .onnx file')
    .requiredOption('--data <file>', 'a jetcurve-data/1 JSON file (inputs, labels)')
    .option('--orders <from-to>', 'derivative orders of the fit, within 1..60', '1-4')
    .option('--directions <R>', 'random unit directions per point', '4')
    .option('--seed <s>', 'seed of the random directions', '0')
    .addOption(new Option('--quantity <q>', 'what is differentiated: cross-entropy with true labels, with predicted labels, or the largest logit').choices(QUANTITIES).default('loss'))
    .option('--band <lo-hi>', 'keep points whose largest softmax probability is in [lo, hi], e.g. 0.45-0.65')
    .addOption(new Option('--method <m>', 'slope: least-squares fit (paper text) or endpoint = mean log ratio (flatgrad)').choices(RAW_METHODS).default('fit'))
    .addOption(new Option('--norm <kind>', 'random directions (RMS), or the exact sphere RMS for small inputs').choices(['random', 'sphere']).default('random'))
    .option('--plot <file.svg>', 'write log‖Dⁿq‖ against n with the fitted line')
    .option('--json', 'print JSON');
  addAdapterOption(command).action(async (options: LambdaOptions) => {
    const orders = parseOrderRange(options.orders);
    const count = Number(options.directions);
    const seed = Number(options.seed);
    if (!Number.isInteger(seed)) throw new JetcurveError(`--seed ${options.seed} is not an integer`, 'give an integer seed, e.g. --seed 1');
    const band = options.band === undefined ? undefined : parseBand(options.band);
    const spec = await loadModel(options.model);
    const data = await loadDataSet(options.data);
    await withEngine(options.adapter, async (engine) => {
      const model = new Model(engine, spec);
      try {
        const result = await networkLambda(engine, model, data, {
          orders, method: options.method, quantity: options.quantity, ...(band ? { band } : {}),
          // A plot shows orders past the range too (up to 8), so the eye can judge the straightness.
          ...(options.plot ? { evaluateTo: 8 } : {}),
          directions: options.norm === 'sphere' ? { kind: 'sphere' } : { kind: 'random', count, seed },
        });
        if (options.plot) await writeFile(options.plot, lambdaFigure(result, `λ of ${options.model} on ${options.data}`));
        if (options.json) console.log(toJson({ model: options.model, data: options.data, adapter: adapterText(engine), ...result }));
        else console.log(describe(result, band));
        if (options.plot && !options.json) console.log(`plot: ${options.plot}`);
      } finally {
        model.destroy();
      }
    });
  });
}

function parseBand(text: string): [number, number] {
  const m = /^\s*([0-9.]+)\s*(?:-|\.\.)\s*([0-9.]+)\s*$/.exec(text);
  const lo = m ? Number(m[1]) : NaN;
  const hi = m ? Number(m[2]) : NaN;
  if (!(lo >= 0 && hi <= 1 && lo <= hi)) throw new JetcurveError(`--band '${text}' is not an interval lo-hi inside [0, 1]`, 'write e.g. --band 0.45-0.65');
  return [lo, hi];
}

function describe(r: NetworkLambda, band: readonly [number, number] | undefined): string {
  const f = (v: number) => v.toFixed(4);
  const s = r.perPoint;
  const skipped = r.points.skipped;
  const reasons = [...new Set(skipped.map((p) => p.reason.replace(/ [0-9.e+-]+ </, ' <')))].join('; ');
  return [
    `λ = ${f(r.lambda)}   (raw convention, ${r.quantity}, ${r.method === 'fit' ? 'least-squares fit' : 'endpoint slope'} over orders ${r.orders.from}-${r.orders.to}, R² = ${r.r2.toFixed(4)})`,
    `per point: mean ${f(s.mean)}, std ${f(s.std)}, 95% of points in [${f(s.interval95[0])}, ${f(s.interval95[1])}], 95% CI of the mean [${f(s.meanCI95[0])}, ${f(s.meanCI95[1])}]`,
    `points: ${r.points.total} in the data` + (band ? `, ${r.points.inBand} with max probability in ${band[0]}-${band[1]}` : '') +
      `, ${r.points.kept} kept, ${skipped.length} skipped${skipped.length ? ` (${reasons})` : ''}`,
    `directions: ${r.directions}; one jet evaluation for all orders and directions (${r.passes} GPU pass${r.passes > 1 ? 'es' : ''})`,
    '',
    table(['n', '‖Dⁿq‖ (RMS)', 'log‖Dⁿq‖', 'in fit'], r.logNorms.map((y, n) => [String(n), num(Math.exp(y)), y.toFixed(4),
      n >= r.orders.from && n <= r.orders.to ? '*' : ''])),
  ].join('\n');
}
