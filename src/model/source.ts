// Where model files come from. A path means a file in Node and a URL in a browser; the Node
// entry point (src/node.ts) installs a file reader at import, the browser keeps fetch. So
// Model.fromFile and loadModel are the same call in both builds. A path ending in .onnx is an ONNX
// file (src/onnx), read as bytes; any other is a jetcurve model file.
import { JetcurveError } from '../errors.js';
import { importOnnx } from '../onnx/import.js';
import { parseModel } from './io.js';
import type { ModelSpec } from './spec.js';

export type TextReader = (path: string) => Promise<string>;
export type BytesReader = (path: string) => Promise<Uint8Array>;

async function fetchModel(url: string): Promise<Response> {
  const response = await fetch(url).catch((e: unknown) => {
    throw new JetcurveError(`could not fetch model ${url}: ${e instanceof Error ? e.message : String(e)}`, 'check the URL and that the server is running');
  });
  if (!response.ok) throw new JetcurveError(`could not fetch model ${url}: HTTP ${response.status}`, 'check the URL');
  return response;
}

let reader: TextReader = async (url) => (await fetchModel(url)).text();
let bytesReader: BytesReader = async (url) => new Uint8Array(await (await fetchModel(url)).arrayBuffer());

export function setTextReader(read: TextReader): void {
  reader = read;
}

export function setBytesReader(read: BytesReader): void {
  bytesReader = read;
}

export function readText(path: string): Promise<string> {
  return reader(path);
}

/** Reads and validates a model file: jetcurve's JSON, or ONNX when the path ends in .onnx. */
export async function loadModel(path: string): Promise<ModelSpec> {
  if (isOnnxPath(path)) return importOnnx(await bytesReader(path), path);
  return parseModel(await readText(path), path);
}

export const isOnnxPath = (path: string): boolean => /\.onnx$/i.test(path.replace(/[?#].*$/, ''));
