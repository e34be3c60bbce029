// The ONNX protobuf messages, from the onnx-proto package: the official onnx.proto compiled by
// protobufjs's pbjs into static JavaScript with TypeScript declarations. Decoding and encoding
// run the same in Node and in a browser (no .proto file is read at run time).
import * as onnxModule from 'onnx-proto';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { JetcurveError } from '../errors.js';

// onnx-proto is CommonJS (module.exports = { onnx }): a bundler gives its keys as named
// exports, Node's own ES module loader (vitest) only as `default`.
const root: typeof onnxModule = 'onnx' in onnxModule && onnxModule.onnx
  ? onnxModule
  : (onnxModule as unknown as { default: typeof onnxModule }).default;

export const onnx = root.onnx;
export type ModelProto = OnnxTypes.ModelProto;
export type GraphProto = OnnxTypes.IGraphProto;
export type NodeProto = OnnxTypes.INodeProto;
export type TensorProto = OnnxTypes.ITensorProto;
export type AttributeProto = OnnxTypes.IAttributeProto;
export type ValueInfoProto = OnnxTypes.IValueInfoProto;

/** protobufjs gives int64 fields as a number, or as a Long where the `long` package is loaded. */
export type Int64 = number | { toNumber(): number } | null | undefined;

export function int(value: Int64): number {
  if (value === null || value === undefined) return 0;
  return typeof value === 'number' ? value : value.toNumber();
}

export const DataType = onnx.TensorProto.DataType;
export const AttributeType = onnx.AttributeProto.AttributeType;

/** "FLOAT", "DOUBLE", … for messages. */
export function dataTypeName(type: number | null | undefined): string {
  return onnx.TensorProto.DataType[type ?? 0] ?? `data type ${type}`;
}

/** Decodes the bytes of an .onnx file; anything that is not a protobuf ModelProto is a JetcurveError. */
export function decodeModel(bytes: Uint8Array, source: string): ModelProto {
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new JetcurveError(`${source} is not a valid ONNX file (${e instanceof Error ? e.message : String(e)})`,
      'give the .onnx file written by torch.onnx.export or another ONNX exporter (the file may be truncated)');
  }
  if (!model.graph || (model.graph.node ?? []).length === 0) {
    throw new JetcurveError(`${source} holds no ONNX graph (${bytes.length} bytes decoded to a model without nodes)`,
      'give the .onnx file written by torch.onnx.export or another ONNX exporter');
  }
  return model;
}

export function encodeModel(model: OnnxTypes.IModelProto): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}
