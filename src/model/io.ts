// Reading and writing model files. Reading: JSON text (or an already parsed object) -> a
// validated ModelSpec; every problem is a JetcurveError that says where it is. Writing: the
// same format, weights inline (readable, diffable) or base64 (compact, exact).
import { JetcurveError } from '../errors.js';
import { inferShapes } from './shapes.js';
import { specFromJson } from './schema.js';
import { MODEL_FORMAT, type Layer, type ModelSpec } from './spec.js';
import { encodeBase64, encodeNested, type Tensor } from './tensor.js';

/** Parses and validates a model; `source` (a path, say) prefixes the messages about the file as a whole. */
export function parseModel(json: string | unknown, source = 'model'): ModelSpec {
  const value = typeof json === 'string' ? parseJson(json, source) : json;
  const spec = specFromJson(value, source);
  inferShapes(spec, source);
  return spec;
}

export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const at = /position (\d+)/.exec(message);
    let where = '';
    if (at) {
      const before = text.slice(0, Number(at[1]));
      const line = before.split('\n').length;
      where = ` (line ${line}, column ${before.length - before.lastIndexOf('\n')})`;
    }
    const nonJson = /\b(NaN|-?Infinity)\b/.exec(text);
    throw new JetcurveError(`${source} is not valid JSON${where}: ${message}`,
      nonJson ? `JSON has no ${nonJson[1]}: every number must be finite` : 'check the file is complete JSON (a text editor with JSON support shows where it breaks)');
  }
}

export interface WriteOptions {
  /** `inline` (default): nested arrays; `base64`: little-endian f32, about 5× smaller. */
  readonly weights?: 'inline' | 'base64';
}

/** The JSON object of a model file (validated first, so a bad model is never written). */
export function serializeModel(spec: ModelSpec, options: WriteOptions = {}): Record<string, unknown> {
  inferShapes(spec);
  const encode = (t: Tensor): unknown => (options.weights === 'base64' ? encodeBase64(t) : encodeNested(t));
  const layer = (l: Layer): Record<string, unknown> => {
    switch (l.type) {
      case 'dense': return { type: l.type, weight: encode(l.weight), bias: encode(l.bias) };
      case 'conv2d': return { type: l.type, weight: encode(l.weight), bias: encode(l.bias), stride: l.stride, padding: l.padding };
      case 'maxpool2d': return { type: l.type, size: l.size, stride: l.stride };
      case 'batchnorm': return {
        type: l.type, weight: encode(l.weight), bias: encode(l.bias), runningMean: encode(l.runningMean), runningVar: encode(l.runningVar),
        eps: l.eps, momentum: l.momentum,
      };
      default: return { type: l.type };
    }
  };
  return {
    format: MODEL_FORMAT,
    input: [...spec.input],
    layers: spec.layers.map(layer),
    ...(spec.meta ? { meta: spec.meta } : {}),
  };
}

/** One layer per line: readable, and a diff shows which layer changed. */
export function stringifyModel(spec: ModelSpec, options: WriteOptions = {}): string {
  const { layers, ...rest } = serializeModel(spec, options);
  const head = JSON.stringify(rest).slice(0, -1);
  return `${head},\n"layers": [\n${(layers as unknown[]).map((l) => `  ${JSON.stringify(l)}`).join(',\n')}\n]}\n`;
}
