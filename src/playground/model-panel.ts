// The model panel: a model file and a data file (dropped or chosen) → λ with its per-order plot
// (what `jetcurve lambda --estimator paper --plot` gives), and the parameter-space
// curvature of the loss for any model the GPU Hessian runs (what `jetcurve curvature` gives): Hessian trace, top eigenvalues and
// scalar curvature, from the GPU Hessian-vector products of src/curvature.
import { GpuHessian } from '../curvature/gpu-hessian.js';
import { hutchinson } from '../curvature/hutchinson.js';
import { lanczos } from '../curvature/lanczos.js';
import { estimateScalarCurvature } from '../curvature/scalar-curvature.js';
import { parseDataSet, type DataSet } from '../data/file.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { lambdaFigure } from '../lambda/figures.js';
import { networkLambda, type NetworkLambda } from '../lambda/network.js';
import { parseModel } from '../model/io.js';
import { Model } from '../model/model.js';

/** Points the curvature is measured on (the first ones of the data file): seconds, not minutes, on a CPU adapter. */
export const CURVATURE_POINTS = 128;
const PROBES = 16;
const TOP = 3;

export interface Curvature {
  readonly points: number;
  readonly parameters: number;
  readonly trace: number;
  readonly traceStdErr: number;
  readonly eigenvalues: readonly number[];
  readonly scalarCurvature: number;
  readonly scalarCurvatureStdErr: number;
}

export interface Measured {
  readonly lambda: NetworkLambda;
  readonly figure: string;
  /** null: no labels in the data file, or a model the GPU Hessian refuses (the reason in `curvatureNote`). */
  readonly curvature: Curvature | null;
  readonly curvatureNote: string;
}


export async function measure(engine: Engine, modelText: string, modelName: string, dataText: string, dataName: string): Promise<Measured> {
  const spec = parseModel(modelText, modelName);
  const data = parseDataSet(dataText, dataName);
  const model = new Model(engine, spec);
  try {
    const lambda = await networkLambda(engine, model, data, {
      estimator: 'paper', quantity: data.labels ? 'loss' : 'loss-pred', orders: { from: 1, to: 4 }, evaluateTo: 8,
    });
    const figure = lambdaFigure(lambda, `λ of ${modelName} on ${dataName}`);
    if (!data.labels) return { lambda, figure, curvature: null, curvatureNote: 'the data file has no labels, which the loss curvature needs' };
    try {
      return { lambda, figure, curvature: await curvature(model, data), curvatureNote: '' };
    } catch (e) {
      if (e instanceof JetcurveError) return { lambda, figure, curvature: null, curvatureNote: e.message };
      throw e;
    }
  } finally {
    model.destroy();
  }
}

async function curvature(model: Model, data: DataSet): Promise<Curvature> {
  const n = Math.min(CURVATURE_POINTS, data.count);
  const size = data.inputs.length / data.count;
  const op = await GpuHessian.of(model, data.inputs.subarray(0, n * size), data.labels!.subarray(0, n));
  const at = await op.pass(new Float64Array(op.size));
  const options = { seed: 0, minProbes: PROBES, maxProbes: PROBES };
  const traces = await hutchinson(op, options);
  const k = await estimateScalarCurvature(op, at.gradient, options);
  const eig = await lanczos(op, { top: TOP, bottom: 0, seed: 0 });
  return {
    points: n, parameters: op.size, trace: traces.trace.value, traceStdErr: traces.trace.stdErr,
    eigenvalues: eig.top.map((r) => r.value), scalarCurvature: k.value, scalarCurvatureStdErr: k.stdErr,
  };
}
