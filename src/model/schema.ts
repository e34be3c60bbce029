// The structure of a model file, checked with zod: a friendly message per problem, naming the
// layer and the field. Sizes that must agree between layers are checked next, in shapes.ts.
import { z } from 'zod';
import { JetcurveError } from '../errors.js';
import { decodeTensor, type Tensor } from './tensor.js';
import { ACTIVATION_TYPES, BATCHNORM_DEFAULTS, LAYER_TYPES, MODEL_FORMAT, layerName, within, type ActivationType, type Layer, type ModelSpec } from './spec.js';

const tensorJson = z.union([
  z.array(z.unknown()),
  z.strictObject({ base64: z.string(), shape: z.array(z.int().nonnegative()) }),
], { error: 'expected a nested array of numbers or {"base64": "...", "shape": [...]}' });

const positive = z.int({ error: 'expected a positive integer' }).positive({ error: 'expected a positive integer' });

const fileSchema = z.strictObject({
  format: z.literal(MODEL_FORMAT, { error: `expected "${MODEL_FORMAT}"` }),
  input: z.array(positive).refine((s) => s.length === 1 || s.length === 3, { error: 'expected [D] (vectors) or [C, H, W] (images)' }),
  layers: z.array(z.unknown()).min(1, { error: 'expected at least one layer' }),
  meta: z.record(z.string(), z.unknown()).optional(),
});

const layerSchemas = {
  dense: z.strictObject({ type: z.literal('dense'), weight: tensorJson, bias: tensorJson.optional() }),
  conv2d: z.strictObject({
    type: z.literal('conv2d'), weight: tensorJson, bias: tensorJson.optional(),
    stride: positive.default(1),
    padding: z.int({ error: 'expected a non-negative integer' }).nonnegative({ error: 'expected a non-negative integer' }).default(0),
  }),
  maxpool2d: z.strictObject({ type: z.literal('maxpool2d'), size: positive, stride: positive.optional() }),
  batchnorm: z.strictObject({
    type: z.literal('batchnorm'), weight: tensorJson.optional(), bias: tensorJson.optional(), runningMean: tensorJson, runningVar: tensorJson,
    eps: z.number({ error: 'expected a positive number' }).positive({ error: 'expected a positive number' }).default(BATCHNORM_DEFAULTS.eps),
    momentum: z.number({ error: 'expected a number in [0, 1]' }).min(0, { error: 'expected a number in [0, 1]' }).max(1, { error: 'expected a number in [0, 1]' })
      .default(BATCHNORM_DEFAULTS.momentum),
  }),
  flatten: z.strictObject({ type: z.literal('flatten') }),
  ...Object.fromEntries(ACTIVATION_TYPES.map((t) => [t, z.strictObject({ type: z.literal(t) })])) as unknown as Record<ActivationType, z.ZodType>,
} satisfies Record<Layer['type'], z.ZodType>;

function issueText(where: string, issue: z.core.$ZodIssue): string {
  const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
  if (issue.code === 'unrecognized_keys') return `${where}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
  const found = !('input' in issue) ? '' : issue.input === undefined ? ' (missing)' : `, found ${JSON.stringify(issue.input)}`;
  return `${where}: ${field || 'value'}: ${issue.message}${found}`;
}

function check<T>(schema: z.ZodType<T>, value: unknown, where: string, hint: string): T {
  const result = schema.safeParse(value, { reportInput: true });
  if (!result.success) {
    // A misspelt field also shows up as a missing one; the misspelling is the better clue.
    const issues = result.error.issues;
    const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
    throw new JetcurveError(issueText(where, issue), hint);
  }
  return result.data;
}

/** Structure and weights of a parsed model file; `source` names it in messages (a path, or "model"). */
export function specFromJson(json: unknown, source: string): ModelSpec {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new JetcurveError(`${source}: expected a JSON object, found ${Array.isArray(json) ? 'an array' : JSON.stringify(json)}`,
      `a model file is {"format": "${MODEL_FORMAT}", "input": [D] or [C, H, W], "layers": [...]}`);
  }
  const file = check(fileSchema, json, source,
    `a model file is {"format": "${MODEL_FORMAT}", "input": [D] or [C, H, W], "layers": [...]}`);
  const layers = file.layers.map((raw, i): Layer => {
    const type = (raw as { type?: unknown } | null)?.type;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || typeof type !== 'string' || !(type in layerSchemas)) {
      const found = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? `type ${JSON.stringify(type)}` : JSON.stringify(raw);
      throw new JetcurveError(`${source}: layer ${i}: ${found} is not a layer`,
        `each layer is an object whose "type" is one of ${LAYER_TYPES.join(', ')}`);
    }
    return layerFromJson(type as Layer['type'], raw, within(source, layerName(i, type)));
  });
  return { input: file.input, layers, ...(file.meta ? { meta: file.meta } : {}) };
}

function layerFromJson(type: Layer['type'], raw: unknown, where: string): Layer {
  const hint = layerHints[type];
  switch (type) {
    case 'dense': {
      const l = check(layerSchemas.dense, raw, where, hint);
      const weight = decodeTensor(l.weight, `${where}: weight`);
      return { type, weight, bias: biasOf(l.bias, weight, where) };
    }
    case 'conv2d': {
      const l = check(layerSchemas.conv2d, raw, where, hint);
      const weight = decodeTensor(l.weight, `${where}: weight`);
      return { type, weight, bias: biasOf(l.bias, weight, where), stride: l.stride, padding: l.padding };
    }
    case 'maxpool2d': {
      const l = check(layerSchemas.maxpool2d, raw, where, hint);
      return { type, size: l.size, stride: l.stride ?? l.size };
    }
    case 'batchnorm': {
      const l = check(layerSchemas.batchnorm, raw, where, hint);
      const runningMean = decodeTensor(l.runningMean, `${where}: runningMean`);
      const runningVar = decodeTensor(l.runningVar, `${where}: runningVar`);
      // Absent affine parameters are PyTorch's initial ones (affine=False): weight 1, bias 0.
      const channels = runningMean.shape[0] ?? 0;
      const weight = l.weight !== undefined ? decodeTensor(l.weight, `${where}: weight`) : { shape: [channels], data: new Float32Array(channels).fill(1) };
      const bias = l.bias !== undefined ? decodeTensor(l.bias, `${where}: bias`) : { shape: [channels], data: new Float32Array(channels) };
      return { type, weight, bias, runningMean, runningVar, eps: l.eps, momentum: l.momentum };
    }
    default:
      check<unknown>(layerSchemas[type], raw, where, hint);
      return { type };
  }
}

// An absent bias is zero, one per output (the weight's first axis; shapes.ts checks the rest).
function biasOf(bias: Parameters<typeof decodeTensor>[0] | undefined, weight: Tensor, where: string): Tensor {
  if (bias !== undefined) return decodeTensor(bias, `${where}: bias`);
  const out = weight.shape[0] ?? 0;
  return { shape: [out], data: new Float32Array(out) };
}

const layerHints: Record<Layer['type'], string> = {
  dense: '{"type": "dense", "weight": [out][in], "bias": [out]}',
  conv2d: '{"type": "conv2d", "weight": [out][in][kh][kw], "bias": [out], "stride": 1, "padding": 0}',
  maxpool2d: '{"type": "maxpool2d", "size": 2, "stride": 2} (stride defaults to size)',
  batchnorm: '{"type": "batchnorm", "weight": [C], "bias": [C], "runningMean": [C], "runningVar": [C], "eps": 1e-5, "momentum": 0.1} (C: the channels, the first axis of the previous layer\'s output)',
  flatten: '{"type": "flatten"}',
  ...Object.fromEntries(ACTIVATION_TYPES.map((t) => [t, `{"type": "${t}"}`])) as Record<ActivationType, string>,
};
