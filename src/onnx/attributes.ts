// A node's attributes by name, with the defaults of the ONNX operator specification.
import { JetcurveError } from '../errors.js';
import { AttributeType, int, type NodeProto, type TensorProto } from './proto.js';

export class Attributes {
  private readonly byName = new Map<string, NonNullable<NodeProto['attribute']>[number]>();

  constructor(node: NodeProto, private readonly where: string) {
    for (const a of node.attribute ?? []) this.byName.set(a.name ?? '', a);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  int(name: string, fallback: number): number {
    const a = this.byName.get(name);
    if (!a) return fallback;
    this.expect(name, a.type, AttributeType.INT, 'an integer');
    return int(a.i);
  }

  float(name: string, fallback: number): number {
    const a = this.byName.get(name);
    if (!a) return fallback;
    this.expect(name, a.type, AttributeType.FLOAT, 'a float');
    return a.f ?? 0;
  }

  ints(name: string, fallback: readonly number[] | null): number[] | null {
    const a = this.byName.get(name);
    if (!a) return fallback ? [...fallback] : null;
    this.expect(name, a.type, AttributeType.INTS, 'a list of integers');
    return (a.ints ?? []).map(int);
  }

  floats(name: string): number[] | null {
    const a = this.byName.get(name);
    if (!a) return null;
    this.expect(name, a.type, AttributeType.FLOATS, 'a list of floats');
    return [...(a.floats ?? [])];
  }

  string(name: string, fallback: string): string {
    const a = this.byName.get(name);
    if (!a) return fallback;
    this.expect(name, a.type, AttributeType.STRING, 'a string');
    return new TextDecoder().decode(a.s ?? new Uint8Array(0));
  }

  tensor(name: string): TensorProto | null {
    const a = this.byName.get(name);
    if (!a) return null;
    this.expect(name, a.type, AttributeType.TENSOR, 'a tensor');
    return a.t ?? null;
  }

  private expect(name: string, type: number | null | undefined, want: number, what: string): void {
    // Writers before IR version 3 left `type` unset; the field that is set then says it.
    if (type !== undefined && type !== null && type !== AttributeType.UNDEFINED && type !== want) {
      throw new JetcurveError(`${this.where}: attribute ${name} is ${AttributeType[type] ?? type}, expected ${what}`, 'the file does not follow the ONNX specification: export it again');
    }
  }
}
