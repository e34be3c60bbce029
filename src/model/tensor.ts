// Weight tensors of a model file: nested arrays of numbers, or {"base64", "shape"} with the
// values as little-endian f32 (compact and exact for big layers). Both decode to f32, the
// precision the GPU computes in, and every value must be finite there (1e39 is Infinity in f32).
import { JetcurveError } from '../errors.js';

export interface Tensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Where a tensor sits in the file, for messages: "layer 2 (dense): weight". */
export type TensorPlace = string;

export function tensor(shape: readonly number[], data: ArrayLike<number>): Tensor {
  return { shape: [...shape], data: Float32Array.from(data) };
}

export const shapeText = (shape: readonly number[]): string => (shape.length === 0 ? 'a scalar' : shape.join('×'));

/** Decodes the JSON form of a tensor (already checked by the schema to be an array or a base64 object). */
export function decodeTensor(value: unknown[] | { base64: string; shape: number[] }, place: TensorPlace): Tensor {
  const t = Array.isArray(value) ? decodeNested(value, place) : decodeBase64(value.base64, value.shape, place);
  for (let i = 0; i < t.data.length; i++) {
    if (!Number.isFinite(t.data[i])) {
      throw new JetcurveError(`${place} holds ${t.data[i]} at ${indexText(t.shape, i)}`,
        'weights must be finite f32 numbers (|w| < 3.4e38); retrain or repair the model');
    }
  }
  return t;
}

function indexText(shape: readonly number[], flat: number): string {
  const idx: number[] = [];
  for (let d = shape.length - 1; d >= 0; d--) {
    idx.unshift(flat % shape[d]!);
    flat = Math.floor(flat / shape[d]!);
  }
  return `[${idx.join('][')}]`;
}

function decodeNested(value: unknown[], place: TensorPlace): Tensor {
  // The shape is read off the first element at every depth; every other element must agree.
  const shape: number[] = [];
  let probe: unknown = value;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    probe = probe[0];
  }
  const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
  let next = 0;
  const walk = (v: unknown, depth: number, path: string): void => {
    if (depth === shape.length) {
      if (typeof v !== 'number') {
        throw new JetcurveError(`${place}${path} is ${describe(v)}, not a number`, `a ${shapeText(shape)} tensor holds numbers at depth ${shape.length}`);
      }
      data[next++] = v;
      return;
    }
    if (!Array.isArray(v)) {
      throw new JetcurveError(`${place}${path} is ${describe(v)}, expected an array of ${shape[depth]}`, 'nested weight arrays must be rectangular');
    }
    if (v.length !== shape[depth]) {
      throw new JetcurveError(`${place}${path} has ${v.length} entries but ${place.slice(place.lastIndexOf(': ') + 2)}${path.replace(/\[\d+\]$/, '[0]')} has ${shape[depth]}`,
        'nested weight arrays must be rectangular');
    }
    v.forEach((e, i) => walk(e, depth + 1, `${path}[${i}]`));
  };
  walk(value, 0, '');
  return { shape, data };
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (v === null) return 'null';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 20 ? `${v.slice(0, 20)}…` : v)}`;
  return `${typeof v} ${String(v)}`;
}

function decodeBase64(text: string, shape: number[], place: TensorPlace): Tensor {
  let binary: string;
  try {
    binary = atob(text);
  } catch {
    throw new JetcurveError(`${place}.base64 is not valid base64`, 'encode the little-endian f32 bytes with standard base64 (A-Z a-z 0-9 + /, = padding)');
  }
  const count = shape.reduce((a, b) => a * b, 1);
  if (binary.length !== count * 4) {
    throw new JetcurveError(`${place}.base64 holds ${binary.length} bytes (${binary.length / 4} float${binary.length === 4 ? '' : 's'}) but shape ${shapeText(shape)} needs ${count} floats (${count * 4} bytes)`,
      'give the shape the tensor was encoded with');
  }
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const view = new DataView(bytes.buffer);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(4 * i, true);
  return { shape: [...shape], data };
}

export function encodeBase64(t: Tensor): { base64: string; shape: number[] } {
  const view = new DataView(new ArrayBuffer(t.data.length * 4));
  t.data.forEach((v, i) => view.setFloat32(4 * i, v, true));
  const bytes = new Uint8Array(view.buffer);
  // String.fromCharCode in chunks: one call per byte is slow, one call for all overflows the stack.
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return { base64: btoa(binary), shape: [...t.shape] };
}

/** Nested arrays holding each f32 as the shortest decimal that reads back as the same f32. */
export function encodeNested(t: Tensor): unknown {
  const values = Array.from(t.data, shortestF32);
  const build = (depth: number, offset: number): unknown => {
    if (depth === t.shape.length) return values[offset];
    const stride = t.shape.slice(depth + 1).reduce((a, b) => a * b, 1);
    return Array.from({ length: t.shape[depth]! }, (_, i) => build(depth + 1, offset + i * stride));
  };
  return build(0, 0);
}

function shortestF32(v: number): number {
  for (let p = 6; p < 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return s;
  }
  return Number(v.toPrecision(9));
}
