// ONNX tensors (initializers, Constant values) to jetcurve tensors and back. Weights stay f32,
// bit for bit: raw_data is read as little-endian f32, float_data as stored; anything else (f64,
// f16, external data files) is refused, never converted.
import { JetcurveError } from '../errors.js';
import type { Tensor } from '../model/tensor.js';
import { DataType, dataTypeName, int, onnx, type TensorProto } from './proto.js';

const dimsOf = (t: TensorProto): number[] => (t.dims ?? []).map(int);
const count = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function refuseExternal(t: TensorProto, where: string): void {
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL || (t.externalData ?? []).length > 0) {
    const file = (t.externalData ?? []).find((e) => e.key === 'location')?.value;
    throw new JetcurveError(`${where}: tensor "${t.name ?? ''}" is stored outside the .onnx file${file ? ` (in ${file})` : ''}; jetcurve reads one self-contained file`,
      'export with the weights inside the file (torch.onnx.export of a model under 2 GB does this by default), or merge them with onnx.load(path) then onnx.save(model, path, save_as_external_data=False)');
  }
}

/** A float32 tensor, exactly as stored. */
export function readFloatTensor(t: TensorProto, where: string): Tensor {
  refuseExternal(t, where);
  const dims = dimsOf(t);
  if (t.dataType !== DataType.FLOAT) {
    throw new JetcurveError(`${where}: tensor "${t.name ?? ''}" is ${dataTypeName(t.dataType)}, and jetcurve keeps weights in FLOAT (float32) exactly as stored`,
      'export the network in float32 (call model.float() before torch.onnx.export)');
  }
  const n = count(dims);
  const data = new Float32Array(n);
  const raw = t.rawData ?? new Uint8Array(0);
  if (raw.length > 0) {
    if (raw.length !== 4 * n) {
      throw new JetcurveError(`${where}: tensor "${t.name ?? ''}" has ${raw.length} bytes of raw data but its shape ${dims.join('×') || 'scalar'} needs ${4 * n}`,
        'the file is damaged: export it again');
    }
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < n; i++) data[i] = view.getFloat32(4 * i, true);
  } else {
    const values = t.floatData ?? [];
    if (values.length !== n) {
      throw new JetcurveError(`${where}: tensor "${t.name ?? ''}" holds ${values.length} floats but its shape ${dims.join('×') || 'scalar'} needs ${n}`,
        'the file is damaged: export it again');
    }
    data.set(values);
  }
  return { shape: dims, data };
}

/** An integer tensor (INT64 or INT32, e.g. a Reshape target or Gather index) as numbers. */
export function readIntTensor(t: TensorProto, where: string): number[] {
  refuseExternal(t, where);
  const n = count(dimsOf(t));
  const raw = t.rawData ?? new Uint8Array(0);
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  let values: number[];
  if (t.dataType === DataType.INT64) {
    values = raw.length > 0 ? Array.from({ length: raw.length / 8 }, (_, i) => Number(view.getBigInt64(8 * i, true))) : (t.int64Data ?? []).map(int);
  } else if (t.dataType === DataType.INT32 || t.dataType === DataType.BOOL) {
    const size = t.dataType === DataType.BOOL ? 1 : 4;
    values = raw.length > 0
      ? Array.from({ length: raw.length / size }, (_, i) => (size === 1 ? view.getUint8(i) : view.getInt32(4 * i, true)))
      : [...(t.int32Data ?? [])];
  } else {
    throw new JetcurveError(`${where}: tensor "${t.name ?? ''}" is ${dataTypeName(t.dataType)} where integers are expected`,
      'the file is not what torch.onnx.export writes: export it again');
  }
  if (values.length !== n) {
    throw new JetcurveError(`${where}: tensor "${t.name ?? ''}" holds ${values.length} values but its shape needs ${n}`, 'the file is damaged: export it again');
  }
  return values;
}

/** An initializer: f32 little-endian raw data, the form every exporter writes. */
export function floatTensorProto(name: string, t: Tensor): TensorProto {
  const raw = new Uint8Array(t.data.length * 4);
  const view = new DataView(raw.buffer);
  t.data.forEach((v, i) => view.setFloat32(4 * i, v, true));
  return { name, dims: [...t.shape], dataType: DataType.FLOAT, rawData: raw };
}
