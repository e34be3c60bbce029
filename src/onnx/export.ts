// A jetcurve model as an ONNX graph (opset 17), in the form torch.onnx.export writes: Gemm with
// transB = 1 for dense layers, Conv, MaxPool, Flatten(axis = 1), BatchNormalization in inference,
// the activations, and float32 initializers as little-endian raw data. The batch axis is dynamic.
import { version } from '../../package.json';
import { JetcurveError } from '../errors.js';
import { serializeModel } from '../model/io.js';
import { inferShapes } from '../model/shapes.js';
import type { ModelSpec } from '../model/spec.js';
import { decodeTensor } from '../model/tensor.js';
import { AttributeType, DataType, encodeModel, type AttributeProto, type NodeProto, type TensorProto, type ValueInfoProto } from './proto.js';
import { floatTensorProto } from './tensors.js';

export const EXPORT_OPSET = 17;
/** IR version 8 goes with opsets up to 17 (ONNX 1.12's table). */
const IR_VERSION = 8;

export interface OnnxExportOptions {
  /** Names of the graph's input and output tensors; default: what the model was imported with, else "input" and "output". */
  readonly inputName?: string;
  readonly outputName?: string;
}

const OPERATORS: Readonly<Record<string, string>> = {
  dense: 'Gemm', conv2d: 'Conv', maxpool2d: 'MaxPool', flatten: 'Flatten', batchnorm: 'BatchNormalization',
  tanh: 'Tanh', relu: 'Relu', sigmoid: 'Sigmoid', softplus: 'Softplus',
};

const ints = (name: string, values: number[]): AttributeProto => ({ name, type: AttributeType.INTS, ints: values });
const int = (name: string, value: number): AttributeProto => ({ name, type: AttributeType.INT, i: value });
const float = (name: string, value: number): AttributeProto => ({ name, type: AttributeType.FLOAT, f: value });

function valueInfo(name: string, shape: readonly number[]): ValueInfoProto {
  return {
    name,
    type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: [{ dimParam: 'batch' }, ...shape.map((n) => ({ dimValue: n }))] } } },
  };
}

/** The bytes of an .onnx file computing the same function as the model. */
export function exportOnnx(spec: ModelSpec, options: OnnxExportOptions = {}): Uint8Array {
  const shapes = inferShapes(spec);
  const onnxMeta = (spec.meta?.onnx ?? {}) as { input?: unknown; output?: unknown };
  const inputName = options.inputName ?? (typeof onnxMeta.input === 'string' ? onnxMeta.input : 'input');
  const outputName = options.outputName ?? (typeof onnxMeta.output === 'string' ? onnxMeta.output : 'output');
  // The file form of each layer: the one description of every layer type and field, including
  // layer types added after this exporter was written as long as their fields map below.
  const layers = serializeModel(spec, { weights: 'base64' }).layers as Record<string, unknown>[];
  const nodes: NodeProto[] = [];
  const initializers: TensorProto[] = [];
  let current = inputName;
  layers.forEach((layer, i) => {
    const type = String(layer.type);
    const op = OPERATORS[type];
    if (!op) throw new JetcurveError(`layer ${i} (${type}) has no ONNX export`, `export models of ${Object.keys(OPERATORS).join(', ')} layers`);
    const prefix = `layer${i}`;
    // A field this mapping expects but the file form lacks is a mismatch between the two (a bug).
    const field = (name: string): unknown => {
      if (!(name in layer)) throw new Error(`exportOnnx: layer ${i} (${type}) has no field "${name}" in its file form`);
      return layer[name];
    };
    const weight = (name: string, onnxName = name): string => {
      const initializer = `${prefix}.${onnxName}`;
      initializers.push(floatTensorProto(initializer, decodeTensor(field(name) as { base64: string; shape: number[] } | unknown[], `layer ${i} (${type}): ${name}`)));
      return initializer;
    };
    const output = i === layers.length - 1 ? outputName : `/${prefix}/${op}_output_0`;
    const node = (inputs: string[], attribute: AttributeProto[] = []) => nodes.push({ name: `/${prefix}/${op}`, opType: op, input: inputs, output: [output], attribute });
    switch (type) {
      case 'dense': node([current, weight('weight'), weight('bias')], [float('alpha', 1), float('beta', 1), int('transB', 1)]); break;
      case 'conv2d': {
        const shape = (field('weight') as { shape: number[] }).shape;
        const stride = Number(field('stride'));
        const padding = Number(field('padding'));
        node([current, weight('weight'), weight('bias')], [ints('dilations', [1, 1]), int('group', 1), ints('kernel_shape', shape.slice(2)),
          ints('pads', [padding, padding, padding, padding]), ints('strides', [stride, stride])]);
        break;
      }
      case 'maxpool2d': {
        const size = Number(field('size'));
        const stride = Number(field('stride'));
        node([current], [int('ceil_mode', 0), ints('kernel_shape', [size, size]), ints('pads', [0, 0, 0, 0]), ints('strides', [stride, stride])]);
        break;
      }
      case 'flatten': node([current], [int('axis', 1)]); break;
      case 'batchnorm':
        node([current, weight('weight'), weight('bias'), weight('runningMean', 'running_mean'), weight('runningVar', 'running_var')],
          [float('epsilon', Number(field('eps'))), float('momentum', 0.9)]);
        break;
      default: node([current]);
    }
    current = output;
  });
  return encodeModel({
    irVersion: IR_VERSION,
    producerName: 'jetcurve',
    producerVersion: version,
    opsetImport: [{ domain: '', version: EXPORT_OPSET }],
    graph: {
      name: 'jetcurve',
      node: nodes,
      initializer: initializers,
      input: [valueInfo(inputName, shapes[0]!)],
      output: [valueInfo(outputName, shapes[shapes.length - 1]!)],
    },
  });
}
