// Where model files come from. A path means a file in Node and a URL in a browser; the Node
// entry point (src/node.ts) installs a file reader at import, the browser keeps fetch. So
// Model.fromFile and loadModel are the same call in both builds.
import { JetcurveError } from '../errors.js';
import { parseModel } from './io.js';
import type { ModelSpec } from './spec.js';

export type TextReader = (path: string) => Promise<string>;

let reader: TextReader = async (url) => {
  const response = await fetch(url).catch((e: unknown) => {
    throw new JetcurveError(`could not fetch model ${url}: ${e instanceof Error ? e.message : String(e)}`, 'check the URL and that the server is running');
  });
  if (!response.ok) throw new JetcurveError(`could not fetch model ${url}: HTTP ${response.status}`, 'check the URL');
  return response.text();
};

export function setTextReader(read: TextReader): void {
  reader = read;
}

export function readText(path: string): Promise<string> {
  return reader(path);
}

/** Reads and validates a model file. */
export async function loadModel(path: string): Promise<ModelSpec> {
  return parseModel(await readText(path), path);
}
