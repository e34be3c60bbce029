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
  await writeCreatingFolder(path, stringifyModel(spec, options));
}

/** Writes a binary file (an .onnx model); its folder is created. */
export async function writeBytesFile(path: string, bytes: Uint8Array): Promise<void> {
  await writeCreatingFolder(path, bytes);
}

async function writeCreatingFolder(path: string, content: string | Uint8Array): Promise<void> {
  try {
    await mkdir(dirname(resolve(path)), { recursive: true });
    await writeFile(path, content);
  } catch (e) {
    throw fileError(path, e, 'write');
  }
}
