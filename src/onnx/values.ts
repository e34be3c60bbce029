// What each tensor name of an ONNX graph holds as far as the importer follows it: the activation
// of the chain, a constant (an initializer or a Constant node), or a list of dimensions computed
// by shape arithmetic (Shape -> Gather -> Unsqueeze -> Concat, the target of a flattening Reshape).
import { JetcurveError } from '../errors.js';
import { Attributes } from './attributes.js';
import { DataType, type NodeProto, type TensorProto } from './proto.js';
import { floatTensorProto, readFloatTensor, readIntTensor } from './tensors.js';
import { transpose } from './weights.js';

/** A dimension in shape arithmetic: a number, or the batch size the graph leaves open. */
export type Dim = number | 'batch';

export type Value =
  | { readonly kind: 'data' }
  | { readonly kind: 'tensor'; readonly proto: TensorProto }
  | { readonly kind: 'dims'; readonly dims: readonly Dim[] };

const SHAPE_FIX = 'flatten with nn.Flatten() or x.flatten(1)';

export class ValueTable {
  private readonly values = new Map<string, Value>();

  constructor(initializers: readonly TensorProto[]) {
    for (const t of initializers) this.values.set(t.name ?? '', { kind: 'tensor', proto: t });
  }

  set(name: string, value: Value): void {
    this.values.set(name, value);
  }

  peek(name: string): Value | undefined {
    return this.values.get(name);
  }

  /** Input i of a node; a name that nothing before it defines is a damaged file. */
  input(node: NodeProto, where: string, i: number): Value {
    const value = this.values.get(node.input?.[i] ?? '');
    if (!value) {
      throw new JetcurveError(`${where}: input ${i} "${node.input?.[i] ?? ''}" is neither the graph's input, an initializer, nor the output of an earlier node`,
        'the file is incomplete or its nodes are out of order: export it again');
    }
    return value;
  }

  /** Input i as a list of dimensions: an integer constant or the result of shape arithmetic. */
  dims(node: NodeProto, where: string, i: number): Dim[] {
    const value = this.input(node, where, i);
    if (value.kind === 'dims') return [...value.dims];
    if (value.kind === 'tensor') return readIntTensor(value.proto, `${where}: input ${i}`);
    throw new JetcurveError(`${where}: computes a shape from the values of an activation; jetcurve follows shape arithmetic on Shape() only`, SHAPE_FIX);
  }

  /** Constant, Gather, Unsqueeze, Concat and Transpose on constants: the output's value. */
  evaluate(node: NodeProto, where: string, attrs: Attributes): Value {
    switch (node.opType) {
      case 'Constant': return constant(attrs, where);
      case 'Unsqueeze': return { kind: 'dims', dims: this.dims(node, where, 0) };
      case 'Concat': return { kind: 'dims', dims: (node.input ?? []).flatMap((_, i) => this.dims(node, where, i)) };
      case 'Gather': {
        const dims = this.dims(node, where, 0);
        const indices = this.dims(node, where, 1);
        if (attrs.int('axis', 0) !== 0 || indices.some((i) => typeof i !== 'number' || i < -dims.length || i >= dims.length)) {
          throw new JetcurveError(`${where}: a Gather jetcurve cannot follow in a shape computation`, SHAPE_FIX);
        }
        return { kind: 'dims', dims: (indices as number[]).map((i) => dims[i < 0 ? i + dims.length : i]!) };
      }
      case 'Transpose': {
        // A weight transposed in the graph (W.t() left unfolded): the transpose is done here, exactly.
        const value = this.input(node, where, 0);
        const perm = attrs.ints('perm', [1, 0])!;
        if (value.kind !== 'tensor' || perm[0] !== 1 || perm[1] !== 0 || perm.length !== 2) {
          throw new JetcurveError(`${where}: jetcurve imports Transpose only of a constant matrix (a weight), not of ${value.kind === 'tensor' ? `axes [${perm.join(', ')}]` : 'an activation'}`,
            'export without layout changes inside the network (e.g. channels-first throughout)');
        }
        return { kind: 'tensor', proto: floatTensorProto(node.output?.[0] ?? '', transpose(readFloatTensor(value.proto, `${where}: input 0`), where)) };
      }
      default: throw new Error(`ValueTable.evaluate: ${node.opType} is not a constant operator`);
    }
  }
}

function constant(attrs: Attributes, where: string): Value {
  const tensor = attrs.tensor('value');
  if (tensor) return { kind: 'tensor', proto: tensor };
  if (attrs.has('value_int')) return { kind: 'dims', dims: [attrs.int('value_int', 0)] };
  const ints = attrs.ints('value_ints', null);
  if (ints) return { kind: 'dims', dims: ints };
  const floats = attrs.floats('value_floats') ?? (attrs.has('value_float') ? [attrs.float('value_float', 0)] : null);
  if (floats) return { kind: 'tensor', proto: { dims: attrs.has('value_float') ? [] : [floats.length], dataType: DataType.FLOAT, floatData: floats } };
  throw new JetcurveError(`${where}: a Constant of a kind jetcurve does not read (sparse or string)`, 'export with dense numeric constants');
}
