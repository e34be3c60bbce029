// The graph as a whole: which opset it uses and what its one input is.
import { JetcurveError } from '../errors.js';
import { DataType, dataTypeName, int, type GraphProto, type ModelProto } from './proto.js';

/** The oldest default-domain opset read: BatchNormalization and Dropout took their present form in opset 9. */
export const MIN_OPSET = 9;

export function defaultOpset(model: ModelProto, source: string): number {
  const entry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = entry ? int(entry.version) : 0;
  if (opset < MIN_OPSET) {
    throw new JetcurveError(`${source}: the graph uses ONNX opset ${opset || '(none given)'}; jetcurve reads opset ${MIN_OPSET} and later`,
      'export again with a newer opset, e.g. torch.onnx.export(..., opset_version=17)');
  }
  return opset;
}

export interface GraphInput {
  readonly name: string;
  /** The feature shape: [D] or [C, H, W]. */
  readonly shape: number[];
  /** The batch size when the graph fixes it (torch.onnx.export without dynamic_axes), else null. */
  readonly batch: number | null;
}

/** The graph's one float32 input, [batch, D] or [batch, C, H, W] with fixed feature sizes. */
export function graphInput(graph: GraphProto, source: string): GraphInput {
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  // Before IR version 4 the initializers were listed among the inputs too.
  const inputs = (graph.input ?? []).filter((i) => !initializers.has(i.name));
  if (inputs.length !== 1) {
    throw new JetcurveError(`${source}: the graph has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ') || 'none'}); jetcurve imports networks with one input`,
      'export the network with a single input tensor (one input_names entry)');
  }
  const input = inputs[0]!;
  const name = input.name ?? '';
  const tensorType = input.type?.tensorType;
  if (!tensorType || tensorType.elemType !== DataType.FLOAT) {
    throw new JetcurveError(`${source}: the graph's input "${name}" is ${tensorType ? dataTypeName(tensorType.elemType) : 'not a tensor'}; jetcurve takes float32 inputs`,
      'export the network in float32 with a float32 example input (torch.randn(...))');
  }
  const dims = (tensorType.shape?.dim ?? []).map((d) => (d.dimValue !== null && d.dimValue !== undefined && int(d.dimValue) > 0 ? int(d.dimValue) : null));
  const features = dims.slice(1);
  if (!(dims.length === 2 || dims.length === 4) || features.some((d) => d === null)) {
    const text = (tensorType.shape?.dim ?? []).map((d) => d.dimParam || (d.dimValue !== null && d.dimValue !== undefined ? String(int(d.dimValue)) : '?')).join(', ');
    throw new JetcurveError(`${source}: the graph's input "${name}" has shape [${text}]; jetcurve takes [batch, D] vectors or [batch, C, H, W] images with fixed feature sizes`,
      'export with an example input of the real size; only the batch axis may be dynamic (dynamic_axes={"x": {0: "batch"}})');
  }
  return { name, shape: features as number[], batch: dims[0] };
}
