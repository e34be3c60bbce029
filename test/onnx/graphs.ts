// ONNX graphs built in the tests, in the shapes torch.onnx.export writes (opset 11-17): nn.Linear
// as Gemm(transB = 1) or MatMul + Add, nn.Conv2d as Conv, BatchNormalization with its five
// inputs, Dropout in inference, and a flatten as Flatten(axis = 1), as Reshape with a constant
// [-1, N], or as the Shape -> Gather -> Unsqueeze -> Concat -> Reshape chain of older exporters.
import { AttributeType, DataType, encodeModel, type AttributeProto, type NodeProto, type TensorProto } from '../../src/onnx/proto.js';
import { Random } from '../../src/util/random.js';

/** nn.Linear as Gemm(transB = 1), as MatMul(x, W) + Add with W stored [in][out], or as MatMul(x, Transpose(W)) + Add. */
export type LinearForm = 'gemm' | 'matmul' | 'transposed';

export type AttrValue = number | number[] | string | { float: number } | { tensor: TensorProto };

function attribute(name: string, value: AttrValue): AttributeProto {
  if (typeof value === 'number') return { name, type: AttributeType.INT, i: value };
  if (typeof value === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: AttributeType.INTS, ints: value };
  if ('float' in value) return { name, type: AttributeType.FLOAT, f: value.float };
  return { name, type: AttributeType.TENSOR, t: value.tensor };
}

export function floatTensor(name: string, dims: number[], values: ArrayLike<number>, form: 'raw' | 'floatData' = 'raw'): TensorProto {
  const data = Float32Array.from(values);
  if (form === 'floatData') return { name, dims, dataType: DataType.FLOAT, floatData: Array.from(data) };
  return { name, dims, dataType: DataType.FLOAT, rawData: new Uint8Array(data.buffer) };
}

export function int64Tensor(name: string, dims: number[], values: number[]): TensorProto {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(8 * i, BigInt(v), true));
  return { name, dims, dataType: DataType.INT64, rawData: raw };
}

export class GraphBuilder {
  readonly nodes: NodeProto[] = [];
  readonly initializers: TensorProto[] = [];
  private count = 0;
  readonly random: Random;
  /** Where initializers store their floats (torch writes raw data; some writers float_data). */
  form: 'raw' | 'floatData' = 'raw';

  constructor(readonly input: { name: string; dims: (number | string)[] }, seed = 1) {
    this.random = new Random(seed);
  }

  /** A float32 initializer of normal values with the given std. */
  weight(name: string, dims: number[], std: number, mean = 0): string {
    const n = dims.reduce((a, b) => a * b, 1);
    this.initializers.push(floatTensor(name, dims, Array.from(this.random.normals(n, std), (v) => v + mean), this.form));
    return name;
  }

  /** A positive initializer (a running variance). */
  positive(name: string, dims: number[]): string {
    const n = dims.reduce((a, b) => a * b, 1);
    this.initializers.push(floatTensor(name, dims, Array.from({ length: n }, () => 0.5 + this.random.uniform()), this.form));
    return name;
  }

  ints(name: string, values: number[], dims = [values.length]): string {
    this.initializers.push(int64Tensor(name, dims, values));
    return name;
  }

  node(opType: string, input: string[], attrs: Record<string, AttrValue> = {}, outputs = 1, name?: string): string {
    const id = this.count++;
    const output = Array.from({ length: outputs }, (_, i) => `/${opType}_${id}_output_${i}`);
    this.nodes.push({ name: name ?? `/layers.${id}/${opType}`, opType, input, output, attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)) });
    return output[0]!;
  }

  bytes(output: string, outputDims: (number | string)[], opset = 17, extra: { irVersion?: number } = {}): Uint8Array {
    const dim = (d: number | string) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d });
    // The last node writes the graph output under its own name, as torch names it.
    const last = this.nodes[this.nodes.length - 1]!;
    last.output = [output, ...(last.output ?? []).slice(1)];
    return encodeModel({
      irVersion: extra.irVersion ?? 8, producerName: 'pytorch', producerVersion: '2.5.1',
      opsetImport: [{ domain: '', version: opset }],
      graph: {
        name: 'main_graph', node: this.nodes, initializer: this.initializers,
        input: [{ name: this.input.name, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: this.input.dims.map(dim) } } } }],
        output: [{ name: output, type: { tensorType: { elemType: DataType.FLOAT, shape: { dim: outputDims.map(dim) } } } }],
      },
    });
  }

  // ---- torch modules ----

  linear(x: string, inputs: number, outputs: number, form: LinearForm = 'gemm'): string {
    const i = this.count;
    if (form === 'transposed') {
      const w = this.weight(`fc${i}.weight`, [outputs, inputs], 1 / Math.sqrt(inputs));
      const b = this.weight(`fc${i}.bias`, [outputs], 0.3);
      return this.node('Add', [this.node('MatMul', [x, this.node('Transpose', [w], { perm: [1, 0] })]), b]);
    }
    if (form === 'matmul') {
      const w = this.weight(`onnx::MatMul_${i}`, [inputs, outputs], 1 / Math.sqrt(inputs));
      const b = this.weight(`fc${i}.bias`, [outputs], 0.3);
      return this.node('Add', [this.node('MatMul', [x, w]), b]);
    }
    const w = this.weight(`fc${i}.weight`, [outputs, inputs], 1 / Math.sqrt(inputs));
    const b = this.weight(`fc${i}.bias`, [outputs], 0.3);
    return this.node('Gemm', [x, w, b], { alpha: { float: 1 }, beta: { float: 1 }, transB: 1 });
  }

  conv(x: string, inC: number, outC: number, k: number, opts: { stride?: number; padding?: number; group?: number } = {}): string {
    const i = this.count;
    const group = opts.group ?? 1;
    const w = this.weight(`conv${i}.weight`, [outC, inC / group, k, k], 1 / Math.sqrt((inC / group) * k * k));
    const b = this.weight(`conv${i}.bias`, [outC], 0.2);
    const p = opts.padding ?? 0;
    const s = opts.stride ?? 1;
    return this.node('Conv', [x, w, b], { dilations: [1, 1], group, kernel_shape: [k, k], pads: [p, p, p, p], strides: [s, s] });
  }

  batchnorm(x: string, channels: number, opset = 17, trainingMode = 0): string {
    const i = this.count;
    const inputs = [x, this.weight(`bn${i}.weight`, [channels], 0.2, 1), this.weight(`bn${i}.bias`, [channels], 0.2),
      this.weight(`bn${i}.running_mean`, [channels], 0.3), this.positive(`bn${i}.running_var`, [channels])];
    return this.node('BatchNormalization', inputs, { epsilon: { float: 1e-5 }, momentum: { float: 0.9 }, ...(opset >= 14 ? { training_mode: trainingMode } : {}) });
  }

  dropout(x: string, opset = 17): string {
    if (opset < 12) return this.node('Dropout', [x], { ratio: { float: 0.5 } });
    const ratio = `ratio_${this.count}`;
    this.initializers.push(floatTensor(ratio, [], [0.5]));
    const training = `training_mode_${this.count}`;
    this.initializers.push({ name: training, dims: [], dataType: DataType.BOOL, int32Data: [0] });
    return this.node('Dropout', [x, ratio, training]);
  }

  /** x.view(x.size(0), -1) as older exporters write it. */
  viewFlat(x: string): string {
    const shape = this.node('Shape', [x]);
    const batch = this.node('Gather', [shape, this.ints(`gather_index_${this.count}`, [0], [])], { axis: 0 });
    const unsqueezed = this.node('Unsqueeze', [batch], { axes: [0] });
    const minusOne = this.node('Constant', [], { value: { tensor: int64Tensor('', [1], [-1]) } });
    const target = this.node('Concat', [unsqueezed, minusOne], { axis: 0 });
    return this.node('Reshape', [x, target]);
  }
}

/** nn.Sequential(Linear(4, 16), ReLU(), [BatchNorm1d(16)], Dropout(0.5), Linear(16, 16), Tanh() or Softplus(), Linear(16, 3)). */
export function torchMlp(options: { seed?: number; batchnorm?: boolean; form?: LinearForm; opset?: number; storage?: 'raw' | 'floatData'; activation?: 'Tanh' | 'Softplus' } = {}): Uint8Array {
  const opset = options.opset ?? 17;
  const g = new GraphBuilder({ name: 'x', dims: ['batch', 4] }, options.seed ?? 3);
  g.form = options.storage ?? 'raw';
  let h = g.node('Relu', [g.linear('x', 4, 16, options.form)]);
  if (options.batchnorm) h = g.batchnorm(h, 16, opset);
  h = g.dropout(h, opset);
  h = g.node(options.activation ?? 'Tanh', [g.linear(h, 16, 16, options.form)]);
  h = g.linear(h, 16, 3, options.form);
  return g.bytes('logits', ['batch', 3], opset);
}

/**
 * A small CNN on 1×12×12 images: Conv(1→4, 3, padding 1), [BatchNorm2d], ReLU, MaxPool(2),
 * Conv(4→6, 3, stride 2, groups 2), Sigmoid, Dropout, flatten, Linear(24, 5).
 */
export function torchCnn(options: { seed?: number; batchnorm?: boolean; flatten?: 'Flatten' | 'Reshape' | 'view'; opset?: number } = {}): Uint8Array {
  const opset = options.opset ?? 17;
  const g = new GraphBuilder({ name: 'x', dims: ['batch', 1, 12, 12] }, options.seed ?? 5);
  let h = g.conv('x', 1, 4, 3, { padding: 1 });
  if (options.batchnorm) h = g.batchnorm(h, 4, opset);
  h = g.node('Relu', [h]);
  h = g.node('MaxPool', [h], { ceil_mode: 0, kernel_shape: [2, 2], pads: [0, 0, 0, 0], strides: [2, 2] });
  h = g.node('Sigmoid', [g.conv(h, 4, 6, 3, { stride: 2, group: 2 })]);
  h = g.dropout(h, opset);
  const flatten = options.flatten ?? 'Flatten';
  if (flatten === 'Flatten') h = g.node('Flatten', [h], { axis: 1 });
  else if (flatten === 'Reshape') h = g.node('Reshape', [h, g.ints('onnx::Reshape_shape', [-1, 24])]);
  else h = g.viewFlat(h);
  h = g.linear(h, 24, 5);
  return g.bytes('logits', ['batch', 5], opset);
}
