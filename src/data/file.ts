// Data files: points (and labels) to measure λ on.
//   {"format": "jetcurve-data/1", "inputShape": [D] or [C, H, W],
//    "inputs": [[…], …]   one input per point, flat row-major or nested in the input shape,
//    "labels": [0, 2, …]  one class index per input (optional: needed for the loss with true labels)
//    "targets": [[…], …]} real targets per input, [points][outputs] (optional: the squared error's
//                         y; without them it takes one-hot labels)
// Checked with zod; each problem is a JetcurveError that names the field and the point.
import { z } from 'zod';
import { JetcurveError } from '../errors.js';
import { featureCount } from '../jet/layout.js';
import { parseJson } from '../model/io.js';
import { readText } from '../model/source.js';

export const DATA_FORMAT = 'jetcurve-data/1';

export interface DataSet {
  readonly inputShape: readonly number[];
  /** Row-major [points][featureCount(inputShape)]. */
  readonly inputs: Float64Array;
  readonly count: number;
  readonly labels: Uint32Array | null;
  /** Real targets for the squared error, row-major [points][targetSize]; absent or null without. */
  readonly targets?: Float64Array | null;
  /** Values per point in `targets`. */
  readonly targetSize?: number;
}

const schema = z.strictObject({
  format: z.literal(DATA_FORMAT, { error: `expected "${DATA_FORMAT}"` }),
  inputShape: z.array(z.int().positive({ error: 'expected positive integers' })).min(1, { error: 'expected at least one dimension' }),
  inputs: z.array(z.array(z.unknown(), { error: 'expected one array of numbers per input' })).min(1, { error: 'expected at least one input' }),
  labels: z.array(z.int({ error: 'expected an integer class index' }).nonnegative({ error: 'expected a class index ≥ 0' })).optional(),
  targets: z.array(z.array(z.number({ error: 'expected a finite number' }), { error: 'expected one array of numbers per input' })
    .min(1, { error: 'expected at least one target value' })).optional(),
  meta: z.record(z.string(), z.unknown()).optional(),
});

const HINT = `a data file is {"format": "${DATA_FORMAT}", "inputShape": [D], "inputs": [[…], …], "labels": [0, 1, …]}`;

export function parseDataSet(json: string | unknown, source = 'data'): DataSet {
  const value = typeof json === 'string' ? parseJson(json, source) : json;
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) {
    const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
    const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || 'file';
    const detail = issue.code === 'unrecognized_keys' ? `unknown field ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    throw new JetcurveError(`${source}: ${field}: ${detail}`, HINT);
  }
  const file = result.data;
  const size = featureCount(file.inputShape);
  const inputs = new Float64Array(file.inputs.length * size);
  file.inputs.forEach((input, i) => {
    const flat = (input as unknown[]).flat(Infinity);
    if (flat.length !== size) {
      throw new JetcurveError(`${source}: inputs[${i}] holds ${flat.length} numbers, the input shape ${file.inputShape.join('×')} needs ${size}`,
        'give every input the size of inputShape (flat, or nested in that shape)');
    }
    flat.forEach((v, j) => {
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new JetcurveError(`${source}: inputs[${i}] entry ${j} is ${JSON.stringify(v)}, not a finite number`, 'inputs hold finite numbers only');
      }
      inputs[i * size + j] = v;
    });
  });
  if (file.labels && file.labels.length !== file.inputs.length) {
    throw new JetcurveError(`${source}: ${file.labels.length} labels for ${file.inputs.length} inputs`, 'give one label per input, or none');
  }
  const labels = file.labels ? Uint32Array.from(file.labels) : null;
  return { inputShape: file.inputShape, inputs, count: file.inputs.length, labels, ...(file.targets ? parseTargets(file.targets, file.inputs.length, source) : {}) };
}

/** Targets [points][outputs]: one row per input, every row as long as the first. */
function parseTargets(rows: readonly (readonly number[])[], count: number, source: string): { targets: Float64Array; targetSize: number } {
  if (rows.length !== count) throw new JetcurveError(`${source}: ${rows.length} target rows for ${count} inputs`, 'give one row of targets per input, or none');
  const size = rows[0]!.length;
  const targets = new Float64Array(count * size);
  rows.forEach((row, i) => {
    if (row.length !== size) {
      throw new JetcurveError(`${source}: targets[${i}] holds ${row.length} numbers, targets[0] holds ${size}`, 'give every input the same number of targets, one per output of the model');
    }
    targets.set(row, i * size);
  });
  return { targets, targetSize: size };
}

/** Reads and validates a data file (a path in Node, a URL in a browser). */
export async function loadDataSet(path: string): Promise<DataSet> {
  return parseDataSet(await readText(path), path);
}

/** The JSON text of a data file (inputs flat). */
export function stringifyDataSet(data: DataSet): string {
  const size = featureCount(data.inputShape);
  const inputs = Array.from({ length: data.count }, (_, i) => Array.from(data.inputs.subarray(i * size, (i + 1) * size)));
  return JSON.stringify({ format: DATA_FORMAT, inputShape: data.inputShape, inputs, ...(data.labels ? { labels: Array.from(data.labels) } : {}),
    ...(data.targets && data.targetSize ? { targets: Array.from({ length: data.count }, (_, i) => Array.from(data.targets!.subarray(i * data.targetSize!, (i + 1) * data.targetSize!))) } : {}) });
}
