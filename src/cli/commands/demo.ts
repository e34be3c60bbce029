// `jetcurve demo` (what `npm start` runs): analytic series whose coefficients are known in closed
// form, then a random tanh network at order 60 against the float64 reference, on the GPU.
import type { Command } from 'commander';
import { compileExpression } from '../../expr/expression.js';
import type { AdapterChoice } from '../../gpu/node-adapter.js';
import type { Engine } from '../../gpu/engine.js';
import { Model } from '../../model/model.js';
import { randomMlp } from '../../model/random-mlp.js';
import { referenceJets } from '../../reference/model64.js';
import { tanhSeries } from '../../reference/jet64.js';
import { Random } from '../../util/random.js';
import { addAdapterOption, adapterText, withEngine } from '../engine.js';
import { factorial, num, scaleText, table } from '../format.js';

const ORDER = 60;

export function register(program: Command): void {
  addAdapterOption(program.command('demo').description('a short showcase: analytic series and a tanh network to order 60 on the GPU'))
    .action(async (options: { adapter: AdapterChoice }) => {
      await withEngine(options.adapter, async (engine) => {
        console.log(`jetcurve demo — adapter: ${adapterText(engine)}\n`);
        await series(engine);
        await network(engine);
      });
    });
}

/** max over n of |c_n − ref_n| / |ref_n| (zero references must come back exactly zero). */
function worstError(got: ArrayLike<number>, want: (n: number) => number): { error: number; zerosExact: boolean } {
  let error = 0;
  let zerosExact = true;
  for (let n = 0; n < got.length; n++) {
    const w = want(n);
    if (w === 0) zerosExact &&= Math.abs(got[n]!) < 1e-30;
    else error = Math.max(error, Math.abs(got[n]! - w) / Math.abs(w));
  }
  return { error, zerosExact };
}

async function series(engine: Engine): Promise<void> {
  const cases: { expr: string; at: number; closed: string; want: (n: number) => number }[] = [
    { expr: '1/(1-2*x)', at: 0, closed: 'c_n = 2^n', want: (n) => 2 ** n },
    { expr: 'exp(x)', at: 0, closed: 'c_n = 1/n!', want: (n) => 1 / factorial(n) },
    { expr: 'sin(x)', at: 0, closed: 'c_n = (−1)^((n−1)/2)/n! for odd n', want: (n) => (n % 2 === 0 ? 0 : (-1) ** ((n - 1) / 2) / factorial(n)) },
    { expr: 'tanh(x)', at: 0, closed: 'f64 tanh recurrence (Bernoulli numbers)', want: tanhAtZero() },
  ];
  const rows: string[][] = [];
  for (const c of cases) {
    const t0 = performance.now();
    const r = await compileExpression(c.expr).jets(engine, { points: [c.at], directions: [1], order: ORDER });
    const ms = performance.now() - t0;
    const { error, zerosExact } = worstError(r.coefficients, c.want);
    rows.push([c.expr, `x = ${c.at}`, c.closed, num(r.coefficients[ORDER]!), error.toExponential(1) + (zerosExact ? '' : ' (zeros not exact)'),
      `${r.passes}`, scaleText(r.scales[0]!), `${ms.toFixed(0)} ms`]);
  }
  console.log(`Series to order ${ORDER}: the GPU computes in f32 with a per-row direction scale s (a power of two, undone in f64).`);
  console.log(table(['f', 'at', 'closed form', `c_${ORDER}`, 'max rel. error', 'passes', 's', 'time'], rows));
  console.log(`(1/(1−2x) has c_60 = 2^60 = ${num(2 ** 60)}: far past f32's range for derivatives, 60!·2^60 ≈ ${num(factorial(60) * 2 ** 60)})\n`);
}

function tanhAtZero(): (n: number) => number {
  const x = new Float64Array(ORDER + 1);
  x[1] = 1;
  const c = tanhSeries(x);
  return (n) => c[n]!;
}

async function network(engine: Engine): Promise<void> {
  const spec = randomMlp([2, 64, 64, 1], { activation: 'tanh', seed: 7 });
  const model = new Model(engine, spec);
  try {
    const random = new Random(11);
    const rows = 16;
    const points = random.normals(rows * 2);
    const directions = new Float64Array(rows * 2);
    for (let r = 0; r < rows; r++) directions.set(random.unitVector(2), 2 * r);
    await model.jets({ points: points.slice(0, 2), directions: directions.slice(0, 2), order: ORDER }); // compiles the pipelines
    const t0 = performance.now();
    const result = await model.jets({ points, directions, order: ORDER });
    const ms = performance.now() - t0;
    const ref = referenceJets(spec, points, directions, ORDER);
    const errorAt = (k: number): number => {
      let num2 = 0;
      let den2 = 0;
      for (let r = 0; r < rows; r++) {
        const i = r * (ORDER + 1) + k;
        num2 += (result.coefficients[i]! - ref.data[i]!) ** 2;
        den2 += ref.data[i]! ** 2;
      }
      return Math.sqrt(num2 / den2);
    };
    const log2s = Array.from(result.scales, Math.log2);
    console.log(`A random tanh network 2-64-64-1 (weights N(0, 1/fan_in), biases N(0, 0.25)), ${rows} points along random unit directions, order ${ORDER}:`);
    console.log(`  ${ms.toFixed(0)} ms for all ${rows}×${ORDER + 1} coefficients (${result.passes} GPU pass${result.passes > 1 ? 'es' : ''}; scales 2^${Math.min(...log2s)}..2^${Math.max(...log2s)})`);
    console.log(`  relative error vs the float64 reference: order 1 ${errorAt(1).toExponential(1)}, order 8 ${errorAt(8).toExponential(1)}, order 60 ${errorAt(ORDER).toExponential(1)}`);
    const growth = [1, 2, 4, 8, 16, 32, 60].map((k) => `|c_${k}| ≈ ${num(Math.abs(result.coefficients[k]!))}`);
    console.log(`  point 0: ${growth.join(', ')}`);
  } finally {
    model.destroy();
  }
}
