// `jetcurve jet`: the Taylor coefficients of an expression or a model along a direction.
import { Command } from 'commander';
import { JetcurveError } from '../../errors.js';
import { compileExpression } from '../../expr/expression.js';
import type { JetResult } from '../../jet/evaluate-jets.js';
import { featureCount } from '../../jet/layout.js';
import { loadModel } from '../../model/source.js';
import { Model } from '../../model/model.js';
import type { AdapterChoice } from '../../gpu/node-adapter.js';
import { parseNumbers, parseOrder, parseScale, readRows } from '../args.js';
import { addAdapterOption, adapterText, withEngine } from '../engine.js';
import { factorial, num, scaleText, table } from '../format.js';

interface JetOptions {
  expr?: string; model?: string; at?: string; dir?: string; points?: string; directions?: string;
  order: string; scale: string; json?: boolean; adapter: AdapterChoice;
}

export function register(program: Command): void {
  const command = program.command('jet')
    .description('Taylor coefficients c_k = f^(k)/k! of t -> f(x + t·v), k = 0..K, of an expression or a model')
    .option('--expr <expression>', 'an expression in x (or x1..xd), e.g. "1/(1-2*x)"')
    .option('--at <coords>', 'the point x, comma-separated (expression; default 0)')
    .option('--dir <coords>', 'the direction v, comma-separated (expression; default 1 in one dimension)')
    .option('--model <file>', 'a jetcurve-model/1 JSON file, or an .onnx file')
    .option('--points <file>', 'JSON array of inputs, one per point (model)')
    .option('--directions <file>', 'JSON array of directions: one per point, or one for all (model)')
    .option('--order <K>', 'highest order, 0..60', '8')
    .option('--scale <s>', 'auto, or the direction scale to run at', 'auto')
    .option('--json', 'print JSON: {"order": K, "coefficients": [...]}');
  addAdapterOption(command).action(async (options: JetOptions) => {
    const order = parseOrder(options.order);
    const scale = parseScale(options.scale);
    if ((options.expr === undefined) === (options.model === undefined)) {
      throw new JetcurveError('give either --expr or --model', 'e.g. jetcurve jet --expr "1/(1-2*x)" --order 60, or jetcurve jet --model m.json --points p.json --directions d.json');
    }
    if (options.expr !== undefined) await expressionJet(options.expr, options, order, scale);
    else await modelJet(options.model!, options, order, scale);
  });
}

async function expressionJet(source: string, options: JetOptions, order: number, scale: 'auto' | number): Promise<void> {
  if (options.points !== undefined || options.directions !== undefined) {
    throw new JetcurveError('--points and --directions go with --model', 'for an expression use --at and --dir');
  }
  const at = options.at === undefined ? null : parseNumbers(options.at, '--at');
  const expression = compileExpression(source, at ? { dimension: at.length } : {});
  const d = expression.dimension;
  const point = at ?? new Array<number>(d).fill(0);
  let dir: number[];
  if (options.dir !== undefined) dir = parseNumbers(options.dir, '--dir');
  else if (d === 1) dir = [1];
  else throw new JetcurveError(`the point has ${d} coordinates: --dir is needed`, `give a direction of ${d} numbers, e.g. --dir ${['1', ...new Array<string>(d - 1).fill('0')].join(',')}`);
  if (dir.length !== d) throw new JetcurveError(`--dir has ${dir.length} numbers but the point has ${d}`, `give ${d} comma-separated numbers`);

  await withEngine(options.adapter, async (engine) => {
    const result = await expression.jets(engine, { points: point, directions: dir, order, scale });
    const c = Array.from(result.coefficients);
    warnIfBad(result);
    if (options.json) {
      console.log(JSON.stringify({ order, coefficients: c }));
      return;
    }
    const vars = d === 1 ? 'x' : `(${Array.from({ length: d }, (_, i) => `x${i + 1}`).join(', ')})`;
    console.log(`${source} at ${vars} = ${point.map(num).join(', ')} along v = ${dir.map(num).join(', ')}, order ${order}`);
    console.log(`adapter: ${adapterText(engine)}; ${result.passes} GPU pass${result.passes > 1 ? 'es' : ''}, direction scale ${scaleText(result.scales[0]!)}`);
    console.log(table(['k', 'coefficient c_k', 'derivative k!·c_k'], c.map((v, k) => [String(k), num(v), num(factorial(k) * v)])));
  });
}

async function modelJet(path: string, options: JetOptions, order: number, scale: 'auto' | number): Promise<void> {
  if (options.at !== undefined || options.dir !== undefined) throw new JetcurveError('--at and --dir go with --expr', 'for a model use --points and --directions (JSON files)');
  if (options.points === undefined || options.directions === undefined) {
    throw new JetcurveError('--model needs --points and --directions', 'give JSON files: points [[...], ...] and directions (one per point, or one for all)');
  }
  const spec = await loadModel(path);
  const size = featureCount(spec.input);
  const points = await readRows(options.points, '--points', size);
  const directions = await readRows(options.directions, '--directions', size);
  await withEngine(options.adapter, async (engine) => {
    const model = new Model(engine, spec);
    try {
      const result = await model.jets({ points, directions, order, scale });
      warnIfBad(result);
      if (options.json) console.log(JSON.stringify({ order, coefficients: nested(result) }));
      else printModelTable(model, path, result);
    } finally {
      model.destroy();
    }
  });
}

/** [point][k][output] from the flat f64 coefficients. */
function nested(result: JetResult): number[][][] {
  const K = result.order;
  const outputs = featureCount(result.outputShape);
  return Array.from({ length: result.rows }, (_, p) => Array.from({ length: K + 1 }, (_, k) =>
    Array.from(result.coefficients.subarray((p * (K + 1) + k) * outputs, (p * (K + 1) + k + 1) * outputs))));
}

function printModelTable(model: Model, path: string, result: JetResult): void {
  const coefficients = nested(result);
  const outputs = featureCount(result.outputShape);
  const shown = Math.min(outputs, 3);
  console.log(`${path}: input ${model.inputShape.join('×')}, output ${model.outputShape.join('×')}, order ${result.order}`);
  console.log(`adapter: ${adapterText(model.engine)}; ${result.passes} GPU pass${result.passes > 1 ? 'es' : ''}`);
  if (shown < outputs) console.log(`(showing outputs 0..${shown - 1} of ${outputs}; --json prints all)`);
  coefficients.forEach((point, p) => {
    console.log(`\npoint ${p} (direction scale ${scaleText(result.scales[p]!)})`);
    const header = ['k', ...Array.from({ length: shown }, (_, o) => [`c_k[${o}]`, `k!·c_k[${o}]`]).flat()];
    const rows = point.map((c, k) => [String(k), ...c.slice(0, shown).flatMap((v) => [num(v), num(factorial(k) * v)])]);
    console.log(table(header, rows));
  });
}

function warnIfBad(result: JetResult): void {
  if (!result.converged) {
    console.error(`jetcurve: warning: the coefficients of point${result.badRows.length > 1 ? 's' : ''} ${result.badRows.join(', ')} did not fit f32's range at any direction scale; they may be inaccurate or non-finite`);
  }
}
