// `jetcurve lambda`: λ of a network on a data file (raw convention), src/lambda/network.ts.
import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { loadDataSet } from '../../data/file.js';
import { JetcurveError } from '../../errors.js';
import type { AdapterChoice } from '../../gpu/node-adapter.js';
import { featureCount } from '../../jet/layout.js';
import { loadDirections } from '../../lambda/direction-file.js';
import type { DirectionSpec } from '../../lambda/directions.js';
import { LAMBDA_ESTIMATORS, defaultDirectionCount, type LambdaEstimator } from '../../lambda/estimators.js';
import { lambdaFigure } from '../../lambda/figures.js';
import { toJson } from '../../lambda/json.js';
import { QUANTITIES, networkLambda, type NetworkLambda, type Quantity } from '../../lambda/network.js';
import { RAW_METHODS, parseOrderRange, type RawMethod } from '../../lambda/raw.js';
import { loadModel } from '../../model/source.js';
import { Model } from '../../model/model.js';
import { addAdapterOption, adapterText, withEngine } from '../engine.js';
import { num, table } from '../format.js';

interface LambdaOptions {
  model: string; data: string; orders: string; directions?: string; seed: string; quantity: Quantity; estimator: LambdaEstimator;
  directionFile?: string; band?: string; bandFallback?: string; method?: RawMethod; norm: 'random' | 'sphere'; plot?: string; json?: boolean;
  adapter: AdapterChoice;
}

export function register(program: Command): void {
  const command = program.command('lambda')
    .description('curvature rate λ of a network: slope of log|Dⁿq| against n (raw convention), q the loss or a logit')
    .requiredOption('--model <file>', 'a jetcurve-model/1 JSON file, or an .onnx file')
    .requiredOption('--data <file>', 'a jetcurve-data/1 JSON file (inputs, labels)')
    .addOption(new Option('--estimator <e>', 'how λ pools over points and directions: paper = least-squares slope of the mean log|Dⁿq| (the paper\'s notebooks); '
      + 'flatgrad = mean log ratio |Dⁿ⁺¹q|/|Dⁿq| per (point, direction) (the flatgrad library); flatgrad-pair = Table 2\'s variant of it; '
      + 'rms = slope of the RMS over directions and points').choices(LAMBDA_ESTIMATORS).default('rms'))
    .option('--orders <from-to>', 'derivative orders of the fit, within 1..60', '1-4')
    .option('--directions <R>', 'random unit directions per point (default: 4 for rms, 2 for paper, 1 for flatgrad)')
    .option('--seed <s>', 'seed of the random directions', '0')
    .option('--direction-file <U.json>', 'explicit directions, a JSON array [R][points][inputs], used as given (not normalized); replaces the random ones')
    .addOption(new Option('--quantity <q>', 'what is differentiated: cross-entropy with true labels, with predicted labels, or the largest logit').choices(QUANTITIES).default('loss'))
    .option('--band <lo-hi>', 'keep points whose largest softmax probability is in [lo, hi], e.g. 0.45-0.65')
    .option('--band-fallback <k>', 'when the band keeps no point, take the k points with the smallest |pmax − 0.5| (default 600 for paper, none otherwise)')
    .addOption(new Option('--method <m>', 'slope of the rms estimator: least-squares fit, or endpoint = mean log ratio').choices(RAW_METHODS))
    .addOption(new Option('--norm <kind>', 'rms estimator: random directions, or the exact sphere RMS for small inputs').choices(['random', 'sphere']).default('random'))
    .option('--plot <file.svg>', 'write log|Dⁿq| against n with the fitted line')
    .option('--json', 'print JSON');
  addAdapterOption(command).action(async (options: LambdaOptions) => {
    const orders = parseOrderRange(options.orders);
    const count = options.directions === undefined ? defaultDirectionCount(options.estimator) : Number(options.directions);
    const seed = Number(options.seed);
    if (!Number.isInteger(seed)) throw new JetcurveError(`--seed ${options.seed} is not an integer`, 'give an integer seed, e.g. --seed 1');
    const band = options.band === undefined ? undefined : parseBand(options.band);
    const bandFallback = options.bandFallback === undefined ? undefined : Number(options.bandFallback);
    if (options.directionFile && (options.directions !== undefined || options.norm === 'sphere')) {
      throw new JetcurveError('--direction-file gives the directions; --directions and --norm sphere choose others',
        'drop --directions/--norm, or drop --direction-file');
    }
    const spec = await loadModel(options.model);
    const data = await loadDataSet(options.data);
    const directions: DirectionSpec = options.directionFile ? await loadDirections(options.directionFile, data.count, featureCount(data.inputShape))
      : options.norm === 'sphere' ? { kind: 'sphere' } : { kind: 'random', count, seed };
    await withEngine(options.adapter, async (engine) => {
      const model = new Model(engine, spec);
      try {
        const result = await networkLambda(engine, model, data, {
          orders, estimator: options.estimator, quantity: options.quantity, directions,
          ...(options.method ? { method: options.method } : {}), ...(band ? { band } : {}),
          ...(bandFallback !== undefined ? { bandFallback } : {}),
          // A plot shows orders past the range too (up to 8), so the eye can judge the straightness.
          ...(options.plot ? { evaluateTo: 8 } : {}),
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

/** What the first line says the estimator did. */
function how(r: NetworkLambda): string {
  const range = `orders ${r.orders.from}-${r.orders.to}`;
  switch (r.estimator) {
    case 'rms': return `raw convention, ${r.quantity}, ${r.method === 'fit' ? 'least-squares fit' : 'endpoint slope'} over ${range}, R² = ${r.r2.toFixed(4)}`;
    case 'paper': return `paper estimator, ${r.quantity}: least-squares slope of the mean over (point, direction) pairs of log max(|Dⁿq|, 1e-12), ${range}, R² = ${r.r2.toFixed(4)}`;
    default: return `${r.estimator} estimator, ${r.quantity}: mean over (point, direction) rows of the mean log(|Dⁿ⁺¹q|/|Dⁿq|), ${range}`;
  }
}

function describe(r: NetworkLambda, band: readonly [number, number] | undefined): string {
  const f = (v: number) => v.toFixed(4);
  const s = r.perPoint;
  const skipped = r.points.skipped;
  const reasons = [...new Set(skipped.map((p) => p.reason.replace(/ [0-9.e+-]+ </, ' <')))].join('; ');
  const chosen = r.selection === 'band-fallback'
    ? `, none with max probability in ${band![0]}-${band![1]}: the ${r.points.selected} nearest 0.5 taken instead (band fallback)`
    : band ? `, ${r.points.inBand} with max probability in ${band[0]}-${band[1]}` : '';
  const level = r.estimator === 'rms' ? '‖Dⁿq‖ (RMS)' : 'exp(mean log|Dⁿq|)';
  return [
    `λ = ${f(r.lambda)}   (${how(r)})`,
    `per point: mean ${f(s.mean)}, std ${f(s.std)}, 95% of points in [${f(s.interval95[0])}, ${f(s.interval95[1])}], 95% CI of the mean [${f(s.meanCI95[0])}, ${f(s.meanCI95[1])}]`,
    `points: ${r.points.total} in the data${chosen}, ${r.points.kept} kept, ${skipped.length} skipped${skipped.length ? ` (${reasons})` : ''}` +
      (r.estimator === 'rms' ? '' : `; rows (point × direction): ${r.rows.kept} of ${r.rows.total} used`),
    `directions: ${r.directions}; one jet evaluation for all orders and directions (${r.passes} GPU pass${r.passes > 1 ? 'es' : ''})`,
    '',
    table(['n', level, r.estimator === 'rms' ? 'log‖Dⁿq‖' : 'mean log|Dⁿq|', 'in fit'], r.logNorms.map((y, n) => [String(n), num(Math.exp(y)), y.toFixed(4),
      n >= r.orders.from && n <= r.orders.to ? '*' : ''])),
    ...(r.meanLogRatios ? ['', `mean log ratios (n → n+1, n = ${r.orders.from}..${r.orders.to - 1}): ${r.meanLogRatios.map(f).join(', ')}; λ is their mean`] : []),
  ].join('\n');
}
