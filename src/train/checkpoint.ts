// The checkpoint of a run, written after every epoch: parameters, Adam's moments and step count,
// the epoch, and the settings that must not change on --resume. f32 values travel as base64
// (exact). Written to a temporary file and renamed, so an interrupted write leaves the previous
// checkpoint whole. Node only.
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JetcurveError } from '../errors.js';
import { decodeTensor, encodeBase64 } from '../model/tensor.js';
import type { TrainerState } from './step.js';

export const CHECKPOINT_FORMAT = 'jetcurve-checkpoint/1';
export const CHECKPOINT_FILE = 'checkpoint.json';

export interface Checkpoint {
  /** Epochs finished. */
  readonly epoch: number;
  /** The run's identity: every field must match on --resume. */
  readonly identity: Readonly<Record<string, unknown>>;
  readonly state: TrainerState;
}

const encode = (a: Float32Array) => encodeBase64({ shape: [a.length], data: a });
const decode = (v: unknown, place: string): Float32Array => {
  const o = v as { base64?: unknown; shape?: unknown };
  if (typeof o?.base64 !== 'string' || !Array.isArray(o.shape)) throw new JetcurveError(`checkpoint: ${place} is not a base64 tensor`);
  return decodeTensor({ base64: o.base64, shape: o.shape as number[] }, `checkpoint: ${place}`).data;
};

export async function saveCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  const { state } = checkpoint;
  const json = {
    format: CHECKPOINT_FORMAT,
    epoch: checkpoint.epoch,
    identity: checkpoint.identity,
    parameters: state.parameters.map(encode),
    adam: state.adam.map((s) => ({ steps: s.steps, m: encode(s.m), v: encode(s.v) })),
    ...(state.buffers ? { buffers: state.buffers.map(encode) } : {}),
  };
  const path = join(dir, CHECKPOINT_FILE);
  await writeFile(`${path}.tmp`, JSON.stringify(json));
  await rename(`${path}.tmp`, path);
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, CHECKPOINT_FILE));
}

export async function loadCheckpoint(dir: string): Promise<Checkpoint> {
  const path = join(dir, CHECKPOINT_FILE);
  if (!existsSync(path)) throw new JetcurveError(`${dir} holds no checkpoint (${CHECKPOINT_FILE})`, 'start the run without --resume, or give the --out folder of an interrupted run');
  let json: { format?: unknown; epoch?: unknown; identity?: unknown; parameters?: unknown; adam?: unknown; buffers?: unknown };
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (e) {
    throw new JetcurveError(`${path} is not readable JSON (${(e as Error).message})`, 'start a new run in another --out folder');
  }
  if (json.format !== CHECKPOINT_FORMAT || !Number.isInteger(json.epoch) || !Array.isArray(json.parameters) || !Array.isArray(json.adam)) {
    throw new JetcurveError(`${path} is not a ${CHECKPOINT_FORMAT} file`, 'start a new run in another --out folder');
  }
  const parameters = json.parameters.map((p, i) => decode(p, `parameters[${i}]`));
  const adam = (json.adam as { steps?: unknown; m?: unknown; v?: unknown }[]).map((a, i) => ({
    steps: Number(a.steps), m: decode(a.m, `adam[${i}].m`), v: decode(a.v, `adam[${i}].v`),
  }));
  const buffers = Array.isArray(json.buffers) ? json.buffers.map((b, i) => decode(b, `buffers[${i}]`)) : undefined;
  return { epoch: json.epoch as number, identity: (json.identity ?? {}) as Record<string, unknown>, state: { parameters, adam, ...(buffers ? { buffers } : {}) } };
}
