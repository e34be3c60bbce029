// `jetcurve curvature`: parameter-space curvature of a network's mean cross-entropy on a data file
// — Hessian trace and tr(H²) (Hutchinson, stopped on the standard error, or exact), top
// eigenvalues (Lanczos, with residuals and converged flags), the scalar curvature of the loss
// landscape with its interval, the batch functional rank, and λ along parameter directions —
// from Hessian-vector products on the GPU (src/curvature/gpu-hessian.ts).
import { writeFile } from 'node:fs/promises';
import { type Command } from 'commander';
import { GpuHessian, type HessianLoss } from '../../curvature/gpu-hessian.js';
import { exactCurvature } from '../../curvature/dense-hessian.js';
import { MAX_JACOBIAN_ENTRIES, MAX_JACOBIAN_WORK, functionalRank as modelFunctionalRank, reluMlpHiddenUnits, reluRankBound, type FunctionalRank } from '../../curvature/functional-dimension.js';
import { hutchinson } from '../../curvature/hutchinson.js';
import { lanczos } from '../../curvature/lanczos.js';
import { parameterLambda } from '../../curvature/parameter-lambda.js';
import { singularValuePlot, spectralDensityPlot } from '../../curvature/plot.js';
import { estimateScalarCurvature } from '../../curvature/scalar-curvature.js';
import { spectralDensity } from '../../curvature/slq.js';
import { loadDataSet } from '../../data/file.js';
import { JetcurveError } from '../../errors.js';
import type { AdapterChoice } from '../../gpu/node-adapter.js';
import { Model } from '../../model/model.js';
import { loadModel } from '../../model/source.js';
import type { ModelSpec } from '../../model/spec.js';
import { addAdapterOption, adapterText, withEngine } from '../engine.js';
import { table } from '../format.js';

interface CurvatureOptions {
  model: string; data: string; loss: string; exact?: boolean; top: string; probes: string; tolerance?: string; perLayer?: boolean;
  plot?: string; rankPlot?: string; lambdaDirections: string; seed: string; rank: string; json?: boolean; adapter: AdapterChoice;
}


function integer(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min) throw new JetcurveError(`${flag} ${text} is not an integer ≥ ${min}`, `pass e.g. ${flag} ${Math.max(min, 4)}`);
  return n;
}

export function register(program: Command): void {
  const command = program.command('curvature')
    .description('parameter-space curvature of a network\'s mean loss (cross-entropy or squared error): Hessian trace, tr(H²), top eigenvalues, scalar curvature, functional rank, λ along parameter directions')
    .requiredOption('--model <file>', 'a jetcurve-model/1 JSON file, or an .onnx file (an MLP or a CNN: dense, conv2d, maxpool2d, flatten, batchnorm, activations)')
    .requiredOption('--data <file>', 'a jetcurve-data/1 JSON file with labels (and, for mse, optionally real targets)')
    .option('--loss <l>', 'xent: the mean softmax cross-entropy with the data\'s labels; mse: (1/2N)·Σ‖f(x) − y‖² of the logits, y the data\'s targets, or one-hot labels without', 'xent')
    .option('--exact', 'the dense Hessian from P products and its full spectrum (small models)')
    .option('--top <k>', 'top eigenvalues by Lanczos', '3')
    .option('--probes <m>', 'at most this many Rademacher probes for the traces and K', '100')
    .option('--tolerance <s>', 'stop the trace estimate once its standard error is at most s (absolute)')
    .option('--per-layer', 'traces per layer (weight and bias tensors) from the same probes')
    .option('--plot <esd.svg>', 'the eigenvalue spectral density by stochastic Lanczos quadrature')
    .option('--lambda-directions <R>', 'random unit parameter directions for λ (0: none)', '4')
    .option('--rank <points>', 'points of the data for the functional rank (0: none)', '64')
    .option('--rank-plot <sv.svg>', 'the singular values of J_Z against the rank threshold (and, for a ReLU MLP, the bound P − hidden units)')
    .option('--seed <s>', 'seed of probes and directions', '0')
    .option('--json', 'print JSON');
  addAdapterOption(command).action(async (options: CurvatureOptions) => {
    if (options.loss !== 'xent' && options.loss !== 'mse') throw new JetcurveError(`--loss ${options.loss} is not a loss jetcurve has`, 'use --loss xent (mean softmax cross-entropy) or mse ((1/2N)·Σ‖f(x) − y‖², y the targets or one-hot labels)');
    const loss: HessianLoss = options.loss;
    const top = integer(options.top, '--top', 1);
    const maxProbes = integer(options.probes, '--probes', 2);
    const directions = integer(options.lambdaDirections, '--lambda-directions', 0);
    const rankPoints = integer(options.rank, '--rank', 0);
    const seed = integer(options.seed, '--seed', 0);
    const tolerance = options.tolerance === undefined ? undefined : Number(options.tolerance);
    if (tolerance !== undefined && !(tolerance > 0)) throw new JetcurveError(`--tolerance ${options.tolerance} is not a positive number`, 'pass e.g. --tolerance 0.01');
    const spec = await loadModel(options.model);
    const data = await loadDataSet(options.data);
    const targets = loss === 'mse' ? data.targets ?? null : null;
    if (!data.labels && !targets) {
      throw new JetcurveError(`${options.data} has no labels, which the ${loss === 'xent' ? 'cross-entropy' : 'squared error (without targets)'} needs`,
        loss === 'xent' ? 'add "labels" to the data file' : 'add "labels" or "targets" ([points][outputs]) to the data file');
    }
    const labels = data.labels;
    await withEngine(options.adapter, async (engine) => {
      const model = new Model(engine, spec);
      try {
        const outputs = model.outputShape.reduce((a, b) => a * b, 1);
        if (targets && data.targetSize !== outputs) {
          throw new JetcurveError(`${options.data}: each point has ${data.targetSize} targets, the model ${options.model} has ${outputs} outputs`,
            `give every point ${outputs} target values (one per output), or drop "targets" to use one-hot labels`);
        }
        // The rank first: it is cheap beside the estimates, and a --rank-plot it cannot draw fails before them.
        const rank = rankPoints > 0 ? functionalRank(spec, data.inputs, data.count, rankPoints) : null;
        if (options.rankPlot !== undefined) {
          if (!rank?.result) throw new JetcurveError(`--rank-plot needs the functional rank, ${rank ? `which is skipped here: ${String(rank.json['skipped'])}` : 'and --rank is 0'}`, 'pass --rank with a number of points small enough for J_Z, e.g. --rank 32');
          await writeFile(options.rankPlot, singularValuePlot(rank.result, undefined, rank.bound === null ? undefined : { label: 'ReLU bound P − hidden units', value: rank.bound }));
        }
        const op = await GpuHessian.of(model, data.inputs, { labels, targets }, loss);
        const at = await op.pass(new Float64Array(op.size));
        const gradient = at.gradient;
        const gradNorm = Math.hypot(...gradient);
        const probes = { seed, maxProbes, minProbes: Math.min(10, maxProbes), ...(tolerance !== undefined ? { tolerance } : {}) };
        const result: Record<string, unknown> = { model: options.model, data: options.data, adapter: adapterText(engine), lossFunction: loss, parameters: op.size, loss: at.loss, gradNorm };
        if (options.exact) {
          const exact = await exactCurvature(op, gradient);
          const sorted = Array.from(exact.eigenvalues).sort((a, b) => b - a);
          Object.assign(result, { method: 'exact', trace: exact.trace, traceOfSquare: exact.traceOfSquare, eigenvalues: sorted.slice(0, top),
            scalarCurvature: exact.scalarCurvature, hessianAsymmetry: exact.asymmetry,
            ...(options.perLayer ? { perLayer: exact.blocks.map((b) => ({ name: b.name, trace: b.trace })) } : {}) });
        } else {
          const traces = await hutchinson(op, probes);
          const k = await estimateScalarCurvature(op, gradient, { seed, maxProbes, minProbes: probes.minProbes });
          const eig = await lanczos(op, { top, bottom: 0, seed });
          Object.assign(result, {
            method: 'estimated', probes: traces.probes,
            trace: traces.trace.value, traceStdErr: traces.trace.stdErr,
            traceOfSquare: traces.traceOfSquare.value, traceOfSquareStdErr: traces.traceOfSquare.stdErr,
            eigenvalues: eig.top.map((r) => r.value), eigenvalueResiduals: eig.top.map((r) => r.residual), eigenvaluesConverged: eig.top.map((r) => r.converged),
            lanczosProducts: eig.products,
            scalarCurvature: k.value, scalarCurvatureStdErr: k.stdErr, scalarCurvatureInterval95: k.interval95,
            ...(options.perLayer ? { perLayer: traces.blocks.map((b) => ({ name: b.name, trace: b.trace.value, traceStdErr: b.trace.stdErr })) } : {}),
          });
        }
        result['functionalRank'] = rank?.json ?? null;
        const lambda = directions > 0 ? await parameterLambda(op, { directions, seed }) : null;
        result['parameterLambda'] = lambda && {
          directions, order: lambda.order, raw: lambda.raw.mean, rawStd: lambda.raw.std, taylor: lambda.taylor.mean, taylorStd: lambda.taylor.std,
          perDirection: lambda.directions,
        };
        if (options.plot) await writeFile(options.plot, spectralDensityPlot(await spectralDensity(op, { seed })));
        console.log(options.json ? JSON.stringify(result, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) : describe(result));
      } finally {
        model.destroy();
      }
    });
  });
}

/**
 * rank(J_Z) of the logits at the first `points` points (float64 Jacobian on the host): its JSON,
 * the result itself (null when skipped) and, for a ReLU MLP, the bound P − hidden units.
 */
function functionalRank(spec: ModelSpec, inputs: Float64Array, count: number, points: number): { json: Record<string, unknown>; result: FunctionalRank | null; bound: number | null } {
  const n = Math.min(points, count);
  const size = inputs.length / count;
  const r = modelFunctionalRank(spec, inputs.subarray(0, n * size), MAX_JACOBIAN_ENTRIES, MAX_JACOBIAN_WORK);
  const hidden = reluMlpHiddenUnits(spec);
  const bound = r && hidden !== null ? reluRankBound(r.parameters, hidden) : null;
  const json = r ? { rank: r.rank, rows: r.rows, parameters: r.parameters, tolerance: r.tolerance, points: n, ...(bound !== null ? { reluBound: bound } : {}) }
    : { skipped: `J_Z at ${n} points would take more than ${MAX_JACOBIAN_ENTRIES} numbers or ${MAX_JACOBIAN_WORK} activations of float64 passes; pass a smaller --rank` };
  return { json, result: r, bound };
}

function describe(r: Record<string, unknown>): string {
  const f = (v: unknown): string => {
    if (typeof v !== 'number') return String(v);
    if (Number.isInteger(v)) return String(v);
    return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(4) : v.toFixed(5);
  };
  const pm = (key: string) => (r[`${key}StdErr`] !== undefined ? `${f(r[key])} ± ${f(r[`${key}StdErr`])}` : f(r[key]));
  const rank = r['functionalRank'] as { rank?: number; rows?: number; skipped?: string; reluBound?: number } | null;
  const lambda = r['parameterLambda'] as { raw: number; taylor: number; directions: number } | null;
  const rows: string[][] = [
    ['parameters', f(r['parameters'])], ['loss', f(r['loss'])], ['‖∇L‖', f(r['gradNorm'])],
    ['tr(H)', pm('trace')], ['tr(H²)', pm('traceOfSquare')],
    ['top eigenvalues', (r['eigenvalues'] as number[]).map(f).join(', ')],
    ['scalar curvature K', pm('scalarCurvature')],
    ['functional rank', rank ? (rank.skipped ?? `${rank.rank} of ${rank.rows} rows${rank.reluBound !== undefined ? ` (ReLU bound P − hidden units: ${rank.reluBound})` : ''}`) : 'not computed'],
    ['λ along parameter directions', lambda ? `raw ${f(lambda.raw)}, taylor ${f(lambda.taylor)} (${lambda.directions} directions)` : 'not computed'],
  ];
  return `${r['method'] === 'exact' ? 'exact (dense Hessian)' : `estimated (${String(r['probes'])} probes; ± one standard error)`}\n${table(['quantity', 'value'], rows)}`;
}
