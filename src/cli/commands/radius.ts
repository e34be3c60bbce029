// `jetcurve radius`: the radius of convergence R of an expression at a point (taylor convention),
// from its jet to order 60 on the GPU (or the float64 evaluator with --reference).
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { JetcurveError } from '../../errors.js';
import { compileExpression } from '../../expr/expression.js';
import { evaluateExpression64 } from '../../expr/series64.js';
import type { AdapterChoice } from '../../gpu/node-adapter.js';
import { radiusFigure } from '../../lambda/figures.js';
import { toJson } from '../../lambda/json.js';
import { estimateRadius, type RadiusEstimate } from '../../lambda/taylor.js';
import { parseNumbers, parseOrder } from '../args.js';
import { addAdapterOption, adapterText, withEngine } from '../engine.js';

interface RadiusOptions {
  expr: string; at: string; dir?: string; order: string; from?: string; reference?: boolean;
  plot?: string; json?: boolean; adapter: AdapterChoice;
}

export function register(program: Command): void {
  const command = program.command('radius')
    .description('radius of convergence R and λ = −log R of an expression at a point (taylor convention)')
    .requiredOption('--expr <expression>', 'an expression in x (or x1..xd), e.g. "tanh(x)"')
    .option('--at <coords>', 'the point, comma-separated', '0')
    .option('--dir <coords>', 'the direction (several coordinates only; R is then along this line)')
    .option('--order <K>', 'highest order of the jet, 8..60', '60')
    .option('--from <n>', 'first order of the fit window (default K/2)')
    .option('--reference', 'use the float64 CPU evaluator instead of the GPU')
    .option('--plot <file.svg>', 'write log|c_n| against n with the fitted line')
    .option('--json', 'print JSON');
  addAdapterOption(command).action(async (options: RadiusOptions) => {
    const order = parseOrder(options.order);
    if (order < 8) throw new JetcurveError(`--order ${order} is too low to see a radius`, 'use --order 60 (the default) or at least 8');
    const at = parseNumbers(options.at, '--at');
    const expression = compileExpression(options.expr, { dimension: at.length });
    const dir = options.dir !== undefined ? parseNumbers(options.dir, '--dir') : at.length === 1 ? [1] : null;
    if (!dir || dir.length !== at.length) {
      throw new JetcurveError(`the point has ${at.length} coordinates: give --dir with as many`, 'e.g. --dir 1,0');
    }
    const from = options.from === undefined ? undefined : Number(options.from);
    if (from !== undefined && !(Number.isInteger(from) && from >= 1 && from <= order - 4)) {
      throw new JetcurveError(`--from ${options.from} is not an order in 1..${order - 4}`, 'give the first order of the fit window, e.g. --from 30');
    }
    let coefficients: Float64Array;
    let source: string;
    if (options.reference) {
      coefficients = evaluateExpression64(expression.tree, at, dir, order);
      source = 'float64 CPU evaluator';
    } else {
      ({ coefficients, source } = await withEngine(options.adapter, async (engine) => {
        const r = await expression.jets(engine, { points: [at], directions: [dir], order });
        return { coefficients: r.coefficients, source: `GPU: ${adapterText(engine)}` };
      }));
    }
    const e = estimateRadius(coefficients, from === undefined ? {} : { from });
    if (options.plot) await writeFile(options.plot, radiusFigure(coefficients, e, `${options.expr} at x = ${at.join(', ')}`));
    if (options.json) {
      console.log(toJson({ expression: options.expr, at, direction: dir, order, source, ...e, coefficients: Array.from(coefficients) }));
      return;
    }
    console.log(`${options.expr} at x = ${at.join(', ')}${at.length > 1 ? ` along ${dir.join(', ')}` : ''}, order ${order} (${source})`);
    console.log(describe(e, coefficients));
    if (options.plot) console.log(`plot: ${options.plot}`);
  });
}

function describe(e: RadiusEstimate, c: ArrayLike<number>): string {
  const K = c.length - 1;
  const root = Math.abs(c[K]!) ** (-1 / K);
  const lines = e.method === 'entire'
    ? ['R = ∞: the coefficients fall faster than any exponential (an entire function); λ = −log R = −∞']
    : [`R = ${e.radius.toPrecision(6)}    λ = −log R = ${e.lambda.toFixed(5)}    (taylor convention)`];
  lines.push(`fit: ${e.method} over n = ${e.window[0]}..${e.window[1]} (${e.points} non-zero coefficients${e.stride > 1 ? `, only every ${e.stride}-th order non-zero` : ''})` +
    (e.method === 'entire' ? '' : `, κ = ${e.kappa.toFixed(2)} (|cₙ| ~ n^κ·R⁻ⁿ)`));
  if (e.method !== 'entire') {
    lines.push(`quality: R from the upper half of the window differs by ${(100 * e.tailChange).toFixed(3)}%` +
      (e.method === 'hankel' ? `; RMS residual ${e.residual.toExponential(1)}` : '') +
      (Math.abs(e.tailChange) > 0.01 ? '  (not converged: raise the order, or singularities nearly equal in modulus)' : ''));
  }
  lines.push(`(plain root test |c_${K}|^(−1/${K}) = ${Number.isFinite(root) ? root.toPrecision(6) : String(root)}, for comparison)`);
  return lines.join('\n');
}
