// An ONNX graph as a jetcurve model: the chain of layers a PyTorch, JAX or Keras exporter writes
// for a feed-forward network, mapped operator by operator onto the layers of the model file.
// Anything without an exact counterpart is refused with the operator and node it is at; nothing
// is approximated, and weights stay the float32 values stored in the file.
import { JetcurveError } from '../errors.js';
import { featureCount } from '../jet/layout.js';
import { parseModel } from '../model/io.js';
import { LAYER_TYPES, MODEL_FORMAT, type ModelSpec } from '../model/spec.js';
import { encodeBase64, type Tensor } from '../model/tensor.js';
import { Attributes } from './attributes.js';
import { decodeModel, type GraphProto, type ModelProto, type NodeProto } from './proto.js';
import { readFloatTensor, readIntTensor } from './tensors.js';
import { convWeight, samePadding, transpose } from './weights.js';
import { ValueTable, type Dim } from './values.js';
import { defaultOpset, graphInput } from './graph.js';

/** What the importer maps, as the error for any other operator lists it. */
export const SUPPORTED_OPERATORS = [
  'Gemm', 'MatMul (+ Add, its bias)', 'Conv', 'MaxPool', 'Relu', 'Tanh', 'Sigmoid', 'Softplus', 'Flatten',
  'Reshape (to [batch, features])', 'BatchNormalization', 'Dropout', 'Identity',
  'Transpose of a weight', 'and for a Reshape\'s shape Constant, Shape, Gather, Unsqueeze, Concat',
] as const;

type LayerJson = Record<string, unknown>;

const ACTIVATIONS: Readonly<Record<string, string>> = { Relu: 'relu', Tanh: 'tanh', Sigmoid: 'sigmoid', Softplus: 'softplus' };
const json = (t: Tensor) => encodeBase64(t);

/** Reads an .onnx file's bytes; `source` (a path) prefixes every message. */
export function importOnnx(bytes: Uint8Array | ArrayBuffer, source = 'model.onnx'): ModelSpec {
  const importer = GraphImporter.of(bytes, source);
  const json = importer.modelJson();
  importer.checkLayerTypes();
  return parseModel(json, source);
}

/**
 * The model file (JSON, weights base64) an ONNX graph maps to, before the model file is
 * validated: what importOnnx parses, including layer types this build of the model format may
 * not have yet.
 */
export function onnxToModelFile(bytes: Uint8Array | ArrayBuffer, source = 'model.onnx'): Record<string, unknown> {
  return GraphImporter.of(bytes, source).modelJson();
}

class GraphImporter {
  private readonly graph: GraphProto;
  private readonly values: ValueTable;
  private readonly uses = new Map<string, number>();
  private readonly layers: LayerJson[] = [];
  /** Which node each layer came from, for the message when the layer type is missing from this build. */
  private readonly origins: string[] = [];
  private readonly input: number[];
  private readonly inputName: string;
  /** The batch size when the graph fixes it (torch.onnx.export without dynamic_axes), else null. */
  private readonly fixedBatch: number | null;
  private readonly opset: number;
  /** The activation flowing down the chain, and its feature shape (without the batch axis). */
  private current: string;
  private shape: number[];
  /** A dense layer from MatMul whose bias an Add may still supply. */
  private biasOpen: { layer: LayerJson; outputs: number; output: string } | null = null;

  constructor(private readonly model: ModelProto, private readonly source: string) {
    this.graph = model.graph!;
    this.opset = defaultOpset(model, source);
    this.values = new ValueTable(this.graph.initializer ?? []);
    for (const node of this.graph.node ?? []) for (const name of node.input ?? []) if (name) this.uses.set(name, (this.uses.get(name) ?? 0) + 1);
    for (const out of this.graph.output ?? []) this.uses.set(out.name ?? '', (this.uses.get(out.name ?? '') ?? 0) + 1);
    ({ name: this.inputName, shape: this.input, batch: this.fixedBatch } = graphInput(this.graph, source));
    this.current = this.inputName;
    this.shape = [...this.input];
    this.values.set(this.inputName, { kind: 'data' });
  }

  modelJson(): Record<string, unknown> {
    (this.graph.node ?? []).forEach((node, index) => this.visit(node, index));
    const outputs = this.graph.output ?? [];
    if (outputs.length !== 1) {
      throw new JetcurveError(`${this.source}: the graph has ${outputs.length} outputs (${outputs.map((o) => o.name).join(', ')}); jetcurve imports networks with one output`,
        'export the network with a single output tensor (one output_names entry)');
    }
    const output = outputs[0]!.name ?? '';
    if (output !== this.current) {
      throw new JetcurveError(`${this.source}: the graph's output "${output}" is not the end of its chain of layers ("${this.current}")`,
        'export a feed-forward network whose output is its last layer');
    }
    if (this.layers.length === 0) throw new JetcurveError(`${this.source}: the graph has no layers (its output is its input)`, 'export a network with at least one layer');
    const producer = `${this.model.producerName ?? ''} ${this.model.producerVersion ?? ''}`.trim();
    return {
      format: MODEL_FORMAT,
      input: this.input,
      layers: this.layers,
      meta: { onnx: { source: this.source, ...(producer ? { producer } : {}), opset: this.opset, input: this.inputName, output } },
    };
  }

  static of(bytes: Uint8Array | ArrayBuffer, source: string): GraphImporter {
    return new GraphImporter(decodeModel(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), source), source);
  }

  /** Every layer type the graph maps to exists in this build's model format (after modelJson). */
  checkLayerTypes(): void {
    this.layers.forEach((layer, i) => {
      if (!(LAYER_TYPES as readonly string[]).includes(layer.type as string)) {
        throw new JetcurveError(`${this.source}: ${this.origins[i]} maps to jetcurve's ${String(layer.type)} layer, which this version of jetcurve does not have`,
          'update jetcurve, or export the network without that operator');
      }
    });
  }

  private where(node: NodeProto, index: number): string {
    return `${this.source}: node ${node.name ? `"${node.name}"` : `#${index}`} (${node.opType})`;
  }

  private visit(node: NodeProto, index: number): void {
    const where = this.where(node, index);
    if (node.domain && node.domain !== 'ai.onnx') {
      throw new JetcurveError(`${where} is from the operator domain "${node.domain}", which jetcurve does not import; supported: ${SUPPORTED_OPERATORS.join(', ')}`,
        'export with the standard ONNX operators only (no custom or runtime-specific operators)');
    }
    const attrs = new Attributes(node, where);
    const op = node.opType ?? '';
    const out = (node.output ?? [])[0] ?? '';
    if (Object.hasOwn(ACTIVATIONS, op)) return this.layer(node, where, { type: ACTIVATIONS[op] }, this.shape);
    switch (op) {
      case 'Gemm': return this.gemm(node, where, attrs);
      case 'MatMul': return this.matmul(node, where);
      case 'Add': return this.add(node, where);
      case 'Conv': return this.conv(node, where, attrs);
      case 'MaxPool': return this.maxpool(node, where, attrs);
      case 'BatchNormalization': return this.batchnorm(node, where, attrs);
      case 'Flatten': return this.flatten(node, where, attrs);
      case 'Reshape': return this.reshape(node, where, attrs);
      case 'Dropout': return this.dropout(node, where);
      case 'Identity': {
        const value = this.values.input(node, where, 0);
        return value.kind === 'data' ? this.pass(node, where) : this.values.set(out, value);
      }
      case 'Shape': return this.shapeOf(node, where, attrs);
      case 'Constant': case 'Gather': case 'Unsqueeze': case 'Concat': case 'Transpose':
        return this.values.set(out, this.values.evaluate(node, where, attrs));
      default:
        throw new JetcurveError(`${where}: operator ${op} is not supported; supported: ${SUPPORTED_OPERATORS.join(', ')}`,
          op === 'Softmax' || op === 'LogSoftmax'
            // λ and the losses take logits and apply their own softmax.
            ? 'export the network up to its logits: leave the final softmax / log_softmax out of the exported forward'
            : 'export the network with these operators only (jetcurve never approximates an operator it does not have)');
    }
  }

  // ---- the chain ----

  /** The node's data input (input 0): the activation at the end of the chain, read once. */
  private data(node: NodeProto, where: string, i = 0): void {
    const name = node.input?.[i] ?? '';
    if (this.values.input(node, where, i).kind !== 'data') {
      throw new JetcurveError(`${where}: input ${i} "${name}" is a constant where jetcurve expects the activation of the previous layer`,
        'export a feed-forward network whose layers take the previous layer\'s output');
    }
    if (name !== this.current) {
      throw new JetcurveError(`${where}: reads "${name}", which an earlier layer already consumed: the graph branches (a skip connection or two heads), and jetcurve imports chains of layers`,
        'export a network whose layers form a single chain');
    }
  }

  /** Moves the end of the chain to the node's first output. */
  private advance(node: NodeProto, shape: number[]): void {
    const out = node.output?.[0] ?? '';
    this.values.set(out, { kind: 'data' });
    this.current = out;
    this.shape = shape;
    this.biasOpen = null;
  }

  private layer(node: NodeProto, where: string, layer: LayerJson, shape: number[]): void {
    this.data(node, where);
    this.layers.push(layer);
    this.origins.push(where.slice(this.source.length + 2));
    this.advance(node, shape);
  }

  private pass(node: NodeProto, where: string): void {
    this.data(node, where);
    const bias = this.biasOpen;
    this.advance(node, this.shape);
    // Identity and Dropout between MatMul and its Add keep the Add a bias.
    if (bias) this.biasOpen = { ...bias, output: this.current };
  }

  /** An output other than the first (a mask, running statistics) must be unused. */
  private unusedOutputs(node: NodeProto, where: string, what: string): void {
    (node.output ?? []).slice(1).forEach((name) => {
      if (name && (this.uses.get(name) ?? 0) > 0) {
        throw new JetcurveError(`${where}: its output "${name}" (${what}) is used; jetcurve imports networks in inference mode, where it is not`,
          'export in eval mode: model.eval() before torch.onnx.export');
      }
    });
  }

  private weight(node: NodeProto, where: string, i: number, role: string): Tensor {
    const value = this.values.input(node, where, i);
    if (value.kind !== 'tensor') {
      throw new JetcurveError(`${where}: its ${role} "${node.input?.[i]}" is computed in the graph; jetcurve imports weights stored in the file`,
        'export with constant folding (torch.onnx.export(..., do_constant_folding=True), the default)');
    }
    return readFloatTensor(value.proto, `${where}: ${role}`);
  }

  private optionalWeight(node: NodeProto, where: string, i: number, role: string): Tensor | null {
    return node.input?.[i] ? this.weight(node, where, i, role) : null;
  }

  private vectorInput(node: NodeProto, where: string): number {
    this.data(node, where);
    if (this.shape.length !== 1) {
      throw new JetcurveError(`${where}: takes vectors but the previous layer gives ${this.shape.join('×')} images`,
        'flatten the images first (nn.Flatten, or x.flatten(1))');
    }
    return this.shape[0]!;
  }

  // ---- layers ----

  private gemm(node: NodeProto, where: string, attrs: Attributes): void {
    const inputs = this.vectorInput(node, where);
    for (const [name, want] of [['alpha', 1], ['beta', 1], ['transA', 0]] as const) {
      const value = name === 'transA' ? attrs.int(name, 0) : attrs.float(name, 1);
      if (value !== want) {
        throw new JetcurveError(`${where}: ${name} = ${value}; jetcurve imports Gemm as a dense layer, with ${name} = ${want}`,
          'export nn.Linear layers as they are (torch.onnx.export writes alpha = beta = 1, transA = 0)');
      }
    }
    const b = this.weight(node, where, 1, 'weight');
    const transB = attrs.int('transB', 0);
    const weight = transB ? b : transpose(b, where);
    const [outputs, k] = weight.shape as [number, number];
    if (weight.shape.length !== 2 || k !== inputs) {
      throw new JetcurveError(`${where}: weight is ${b.shape.join('×')} (transB = ${transB}) but the previous layer gives ${inputs} features`, 'the file is inconsistent: export it again');
    }
    const c = this.optionalWeight(node, where, 2, 'bias');
    this.layer(node, where, { type: 'dense', weight: json(weight), bias: json(c ? this.bias(c, outputs, where) : zeros(outputs)) }, [outputs]);
  }

  /** A Gemm's C or an Add's constant as one bias per output: [N], [1, N], or one number broadcast. */
  private bias(c: Tensor, outputs: number, where: string): Tensor {
    const n = c.data.length;
    if (n === outputs && (c.shape.length === 1 || (c.shape.length === 2 && c.shape[0] === 1))) return { shape: [outputs], data: c.data };
    if (n === 1) return { shape: [outputs], data: new Float32Array(outputs).fill(c.data[0]!) };
    throw new JetcurveError(`${where}: the bias is ${c.shape.join('×')}, expected ${outputs} numbers (one per output)`, 'export a bias of one number per output');
  }

  private matmul(node: NodeProto, where: string): void {
    const inputs = this.vectorInput(node, where);
    const w = this.weight(node, where, 1, 'weight');
    if (w.shape.length !== 2 || w.shape[0] !== inputs) {
      throw new JetcurveError(`${where}: weight is ${w.shape.join('×')} but the previous layer gives ${inputs} features (x·W needs W of ${inputs}×N)`,
        'jetcurve imports MatMul as x·W with a constant W, as exporters write nn.Linear');
    }
    const outputs = w.shape[1]!;
    const layer: LayerJson = { type: 'dense', weight: json(transpose(w, where)), bias: json(zeros(outputs)) };
    this.layer(node, where, layer, [outputs]);
    this.biasOpen = { layer, outputs, output: this.current };
  }

  private add(node: NodeProto, where: string): void {
    const [a, b] = [node.input?.[0] ?? '', node.input?.[1] ?? ''];
    const constantAt = this.values.peek(b)?.kind === 'tensor' ? 1 : this.values.peek(a)?.kind === 'tensor' ? 0 : -1;
    const open = this.biasOpen;
    if (!open || constantAt < 0 || node.input?.[1 - constantAt] !== open.output) {
      throw new JetcurveError(`${where}: jetcurve imports Add only as the bias right after a MatMul (x·W + b); this one adds ${constantAt < 0 ? 'two activations (a skip connection)' : 'a constant elsewhere'}. Supported: ${SUPPORTED_OPERATORS.join(', ')}`,
        'export a feed-forward network of the supported layers');
    }
    this.data(node, where, 1 - constantAt);
    open.layer.bias = json(this.bias(this.weight(node, where, constantAt, 'bias'), open.outputs, where));
    this.advance(node, this.shape);
  }

  private conv(node: NodeProto, where: string, attrs: Attributes): void {
    this.data(node, where);
    if (this.shape.length !== 3) {
      throw new JetcurveError(`${where}: takes [C, H, W] images but the previous layer gives vectors of ${this.shape[0]}`, 'export a 2-D convolution on images');
    }
    const [C, H, W] = this.shape as [number, number, number];
    const w = this.weight(node, where, 1, 'weight');
    if (w.shape.length !== 4) {
      throw new JetcurveError(`${where}: weight is ${w.shape.join('×')}; jetcurve imports 2-D convolutions (weight [out][in][kh][kw])`, 'use nn.Conv2d');
    }
    const [, , kh, kw] = w.shape as [number, number, number, number];
    const kernel = attrs.ints('kernel_shape', null);
    if (kernel && (kernel[0] !== kh || kernel[1] !== kw)) {
      throw new JetcurveError(`${where}: kernel_shape [${kernel.join(', ')}] disagrees with the weight ${w.shape.join('×')}`, 'the file is inconsistent: export it again');
    }
    const dilations = attrs.ints('dilations', [1, 1])!;
    if (dilations.some((d) => d !== 1)) {
      throw new JetcurveError(`${where}: dilations [${dilations.join(', ')}]; jetcurve's conv2d has no dilation`, 'use dilation=1 in nn.Conv2d');
    }
    const stride = this.square(attrs.ints('strides', [1, 1])!, 'strides', where, 'conv2d has one stride for both axes');
    const padding = this.padding(attrs, where, [H, W], [kh, kw], stride);
    const weight = convWeight(w, C, attrs.int('group', 1), where);
    const out = weight.shape[0]!;
    const b = this.optionalWeight(node, where, 2, 'bias');
    if (b && b.data.length !== out) throw new JetcurveError(`${where}: the bias has ${b.data.length} numbers for ${out} output channels`, 'the file is inconsistent: export it again');
    const size = (n: number, k: number) => Math.floor((n + 2 * padding - k) / stride) + 1;
    this.layer(node, where, { type: 'conv2d', weight: json(weight), bias: json(b ?? zeros(out)), stride, padding }, [out, size(H, kh), size(W, kw)]);
  }

  /** One number for both axes, or a refusal naming the attribute. */
  private square(values: number[], name: string, where: string, why: string): number {
    if (values.length !== 2 || values[0] !== values[1]) {
      throw new JetcurveError(`${where}: ${name} [${values.join(', ')}]; jetcurve's ${why}`, `use the same ${name} along height and width`);
    }
    return values[0]!;
  }

  private padding(attrs: Attributes, where: string, input: [number, number], kernel: [number, number], stride: number): number {
    const autoPad = attrs.string('auto_pad', 'NOTSET');
    if (autoPad === 'VALID') return 0;
    if (autoPad === 'SAME_UPPER' || autoPad === 'SAME_LOWER') {
      const pads = input.map((n, i) => samePadding(n, kernel[i]!, stride));
      if (pads.every((p) => p !== null && p === pads[0])) return pads[0]!;
      throw new JetcurveError(`${where}: auto_pad ${autoPad} pads these ${input.join('×')} images unevenly; jetcurve's conv2d pads every side alike`,
        'use an odd kernel with stride 1, or explicit symmetric padding (padding=k//2 in nn.Conv2d)');
    }
    if (autoPad !== 'NOTSET') throw new JetcurveError(`${where}: auto_pad ${autoPad} is not an ONNX value`, 'the file is inconsistent: export it again');
    const pads = attrs.ints('pads', [0, 0, 0, 0])!;
    if (pads.length !== 4 || pads.some((p) => p !== pads[0])) {
      throw new JetcurveError(`${where}: pads [${pads.join(', ')}] are not the same on every side; jetcurve's conv2d pads symmetrically`,
        'use symmetric padding (one padding number in nn.Conv2d, not padding="same" with an even kernel)');
    }
    return pads[0]!;
  }

  private maxpool(node: NodeProto, where: string, attrs: Attributes): void {
    this.data(node, where);
    this.unusedOutputs(node, where, 'the indices of the maxima');
    if (this.shape.length !== 3) throw new JetcurveError(`${where}: takes [C, H, W] images but the previous layer gives vectors`, 'pool before flattening');
    const [C, H, W] = this.shape as [number, number, number];
    const size = this.square(attrs.ints('kernel_shape', [])!, 'kernel_shape', where, 'maxpool2d has square windows');
    const stride = this.square(attrs.ints('strides', [1, 1])!, 'strides', where, 'maxpool2d has one stride for both axes');
    const pads = attrs.ints('pads', [0, 0, 0, 0])!;
    const autoPad = attrs.string('auto_pad', 'NOTSET');
    if (pads.some((p) => p !== 0) || (autoPad !== 'NOTSET' && autoPad !== 'VALID')) {
      throw new JetcurveError(`${where}: ${autoPad !== 'NOTSET' && autoPad !== 'VALID' ? `auto_pad ${autoPad}` : `pads [${pads.join(', ')}]`}; jetcurve's maxpool2d has no padding`,
        'use nn.MaxPool2d without padding');
    }
    const dilations = attrs.ints('dilations', [1, 1])!;
    if (dilations.some((d) => d !== 1)) throw new JetcurveError(`${where}: dilations [${dilations.join(', ')}]; jetcurve's maxpool2d has no dilation`, 'use nn.MaxPool2d with dilation=1');
    const floorSize = (n: number) => Math.floor((n - size) / stride) + 1;
    if (attrs.int('ceil_mode', 0) !== 0 && [H, W].some((n) => Math.ceil((n - size) / stride) + 1 !== floorSize(n))) {
      throw new JetcurveError(`${where}: ceil_mode = 1 adds a partial window on these ${H}×${W} images; jetcurve's maxpool2d keeps whole windows`, 'use ceil_mode=False in nn.MaxPool2d');
    }
    if (size > H || size > W) throw new JetcurveError(`${where}: a ${size}×${size} window does not fit ${H}×${W} images`, 'the file is inconsistent: export it again');
    this.layer(node, where, { type: 'maxpool2d', size, stride }, [C, floorSize(H), floorSize(W)]);
  }

  private batchnorm(node: NodeProto, where: string, attrs: Attributes): void {
    this.data(node, where);
    this.unusedOutputs(node, where, 'running statistics of training mode');
    if (attrs.int('training_mode', 0) !== 0 || attrs.int('spatial', 1) !== 1) {
      throw new JetcurveError(`${where}: ${attrs.int('training_mode', 0) !== 0 ? 'training_mode = 1' : 'spatial = 0'}; jetcurve imports BatchNormalization in eval mode, per channel`,
        'export in eval mode: model.eval() before torch.onnx.export');
    }
    const channels = this.shape[0]!;
    const roles = ['weight', 'bias', 'running mean', 'running variance'] as const;
    const [weight, bias, mean, variance] = roles.map((role, i) => {
      const t = this.weight(node, where, i + 1, role);
      if (t.data.length !== channels || t.shape.length !== 1) {
        throw new JetcurveError(`${where}: its ${role} is ${t.shape.join('×') || 'a scalar'}, expected ${channels} numbers (one per channel)`, 'the file is inconsistent: export it again');
      }
      return json(t);
    });
    this.layer(node, where, { type: 'batchnorm', weight, bias, runningMean: mean, runningVar: variance, eps: attrs.float('epsilon', 1e-5) }, this.shape);
  }

  private dropout(node: NodeProto, where: string): void {
    this.unusedOutputs(node, where, 'the dropout mask');
    const training = node.input?.[2];
    if (training) {
      const value = this.values.peek(training);
      if (value?.kind !== 'tensor' || readIntTensor(value.proto, `${where}: training_mode`).some((v) => v !== 0)) {
        throw new JetcurveError(`${where}: training_mode is ${value?.kind === 'tensor' ? 'true' : 'not a constant'}; jetcurve imports Dropout in inference, as the identity`,
          'export in eval mode: model.eval() before torch.onnx.export');
      }
    }
    this.pass(node, where);
  }

  private flatten(node: NodeProto, where: string, attrs: Attributes): void {
    const rank = this.shape.length + 1;
    const axis = attrs.int('axis', 1);
    if ((axis < 0 ? axis + rank : axis) !== 1) {
      throw new JetcurveError(`${where}: axis = ${axis} flattens the batch axis too; jetcurve flattens each input (axis = 1)`, 'use nn.Flatten() or x.flatten(1)');
    }
    this.toVectors(node, where);
  }

  private toVectors(node: NodeProto, where: string): void {
    if (this.shape.length === 1) return this.pass(node, where);
    this.layer(node, where, { type: 'flatten' }, [featureCount(this.shape)]);
  }

  private reshape(node: NodeProto, where: string, attrs: Attributes): void {
    const target = this.values.dims(node, where, 1);
    const before: Dim[] = ['batch', ...this.shape];
    const after = target.map((d, i) => (d === 0 && attrs.int('allowzero', 0) === 0 ? before[i] ?? 0 : d));
    const features = featureCount(this.shape);
    const batchLike = (d: Dim | undefined) => d === 'batch' || d === 1 || d === this.fixedBatch;
    const [first, second] = after;
    const flat = after.length === 2 && ((batchLike(first) && (second === features || second === -1)) || (first === -1 && second === features));
    if (!flat) {
      throw new JetcurveError(`${where}: reshapes to [${after.join(', ')}]; jetcurve imports Reshape only as a flatten to [batch, ${features}]`,
        'flatten with nn.Flatten() or x.flatten(1) / x.view(x.size(0), -1)');
    }
    this.toVectors(node, where);
  }

  // ---- shape arithmetic (the rest is in values.ts) ----

  private shapeOf(node: NodeProto, where: string, attrs: Attributes): void {
    if (this.values.input(node, where, 0).kind !== 'data' || node.input?.[0] !== this.current) {
      throw new JetcurveError(`${where}: takes the shape of "${node.input?.[0]}", not of the activation at the end of the chain`, 'flatten with nn.Flatten() or x.flatten(1)');
    }
    const full: Dim[] = ['batch', ...this.shape];
    const start = attrs.int('start', 0);
    const end = attrs.has('end') ? attrs.int('end', full.length) : full.length;
    this.values.set(node.output?.[0] ?? '', { kind: 'dims', dims: full.slice(start, end) });
  }

}

function zeros(n: number): Tensor {
  return { shape: [n], data: new Float32Array(n) };
}
