// Parsing of option values and input files. Every problem is a JetcurveError naming the option.
import { JetcurveError, assertFiniteArray } from '../errors.js';
import { checkOrder } from '../jet/layout.js';
import { readTextFile } from '../model/file-node.js';
import { parseJson } from '../model/io.js';

export function parseOrder(text: string): number {
  if (!/^\s*-?\d+\s*$/.test(text)) throw new JetcurveError(`--order '${text}' is not an integer`, 'give the highest order K, an integer in 0..60');
  const order = Number(text);
  checkOrder(order);
  return order;
}

export function parseScale(text: string): 'auto' | number {
  if (text === 'auto') return 'auto';
  const s = Number(text);
  if (!(s > 0) || !Number.isFinite(s)) throw new JetcurveError(`--scale '${text}' is neither auto nor a positive number`, 'use --scale auto (the default) or e.g. --scale 0.5');
  return s;
}

export function parseNumbers(text: string, option: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  return parts.map((p, i) => {
    const v = p === '' ? NaN : Number(p);
    if (!Number.isFinite(v)) {
      throw new JetcurveError(`${option}: '${p}' (entry ${i + 1} of '${text}') is not a finite number`, `give comma-separated numbers, e.g. ${option} 0.1,-0.2`);
    }
    return v;
  });
}

/** A JSON file of inputs of `size` numbers: an array with one (flattened, or nested) input per point. */
export async function readRows(path: string, option: string, size: number): Promise<number[][]> {
  const json = parseJson(await readTextFile(path), path);
  if (!Array.isArray(json) || json.length === 0) {
    throw new JetcurveError(`${option} ${path}: expected a non-empty JSON array with one input per point`, 'write e.g. [[0.1, 0.2], [0.3, 0.4]]');
  }
  // A file holding one input (an array of numbers) is one point.
  const rows = json.every((v) => typeof v === 'number') ? [json] : json;
  return rows.map((row: unknown, i) => {
    const flat = Array.isArray(row) ? row.flat(Infinity) : [row];
    const bad = flat.findIndex((v) => typeof v !== 'number');
    if (bad >= 0) {
      throw new JetcurveError(`${option} ${path}: entry ${bad} of input ${i} is ${JSON.stringify(flat[bad])}, not a number`, 'inputs hold numbers only');
    }
    if (flat.length !== size) {
      throw new JetcurveError(`${option} ${path}: input ${i} has ${flat.length} numbers but the model takes ${size}`, `give each input ${size} numbers (flattened)`);
    }
    assertFiniteArray(flat as number[], `${option} ${path}, input ${i}`);
    return flat as number[];
  });
}
