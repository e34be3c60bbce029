// Model files on disk (Node only): the reader src/node.ts installs, and saveModel.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { JetcurveError } from '../errors.js';
import { stringifyModel, type WriteOptions } from './io.js';
import type { ModelSpec } from './spec.js';

function fileError(path: string, e: unknown, doing: string): JetcurveError {
  const code = (e as { code?: string }).code;
  if (code === 'ENOENT') return new JetcurveError(`${path}: no such file`, `check the path (it is read relative to ${process.cwd()})`);
  if (code === 'EISDIR') return new JetcurveError(`${path} is a directory, not a file`, 'give the path of a JSON file');
  if (code === 'EACCES') return new JetcurveError(`${path}: permission denied`, `make the file ${doing === 'read' ? 'readable' : 'writable'}`);
  return new JetcurveError(`could not ${doing} ${path}: ${e instanceof Error ? e.message : String(e)}`, 'check the path');
}

export async function readTextFile(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e) {
    throw fileError(path, e, 'read');
  }
}

/** A binary file (an .onnx model) as bytes. */
export async function readBytesFile(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    throw fileError(path, e, 'read');
  }
}

/** Writes a model file (its folder is created); the model is validated before anything is written. */
export async function saveModel(path: string, spec: ModelSpec, options: WriteOptions = {}): Promise<void> {
  const text = stringifyModel(spec, options);
  try {
    await mkdir(dirname(resolve(path)), { recursive: true });
    await writeFile(path, text);
  } catch (e) {
    throw fileError(path, e, 'write');
  }
}
