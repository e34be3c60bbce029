// Model files without a GPU: every malformed case gives its own message; writing and reading
// back (inline and base64, in memory and on disk) gives the same f32 weights.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JetcurveError, inferShapes, loadModel, parseModel, saveModel, stringifyModel, type ModelSpec } from '../src/node.js';
import { randomMlp } from '../src/model/random-mlp.js';

const dense = (out: number, inp: number, v = 0.5) => ({ type: 'dense', weight: Array.from({ length: out }, () => new Array(inp).fill(v)), bias: new Array(out).fill(0) });
const mlp = { format: 'jetcurve-model/1', input: [2], layers: [dense(3, 2), { type: 'tanh' }, dense(1, 3)] };
const cnnInput = { format: 'jetcurve-model/1', input: [1, 4, 4] };
const f32bytes = (...v: number[]) => btoa(String.fromCharCode(...new Uint8Array(Float32Array.from(v).buffer)));

const malformed: [string, unknown, RegExp][] = [
  ['wrong format', { ...mlp, format: 'jetcurve-model/2' }, /^model: format: expected "jetcurve-model\/1", found "jetcurve-model\/2"/],
  ['input of rank 2', { ...mlp, input: [2, 3] }, /input: expected \[D\] \(vectors\) or \[C, H, W\] \(images\), found \[2,3\]/],
  ['unknown top-level field', { ...mlp, layer: [] }, /unknown field "layer"/],
  ['no layers', { ...mlp, layers: [] }, /layers: expected at least one layer/],
  ['unknown layer type', { ...mlp, layers: [{ type: 'conv' }] }, /layer 0: type "conv" is not a layer/],
  ['misspelt field', { ...mlp, layers: [{ type: 'dense', wieght: [[1, 1]], bias: [0] }] }, /layer 0 \(dense\): unknown field "wieght"/],
  ['missing weight', { ...mlp, layers: [{ type: 'dense', bias: [0] }] }, /layer 0 \(dense\): weight: .* \(missing\)/],
  ['dense size mismatch', { ...mlp, layers: [dense(32, 2), { type: 'tanh' }, dense(64, 10)] },
    /^layer 2 \(dense\): weight is 64×10 but the previous layer gives 32 features/],
  ['bias length', { ...mlp, layers: [{ type: 'dense', weight: [[1, 2]], bias: [0, 1] }] }, /layer 0 \(dense\): bias has 2 numbers but the weight has 1 output/],
  ['ragged weight', { ...mlp, layers: [{ type: 'dense', weight: [[1, 2], [1]] }] }, /layer 0 \(dense\): weight\[1\] has 1 entries but weight\[0\] has 2/],
  ['string in weight', { ...mlp, layers: [{ type: 'dense', weight: [[1, 'a']] }] }, /weight\[0\]\[1\] is the string "a", not a number/],
  ['NaN in weight', { ...mlp, layers: [{ type: 'dense', weight: [[1, NaN]] }] }, /layer 0 \(dense\): weight holds NaN at \[0\]\[1\]/],
  ['beyond f32', '{"format":"jetcurve-model/1","input":[2],"layers":[{"type":"dense","weight":[[1,1e39]]}]}', /weight holds Infinity at \[0\]\[1\]/],
  ['NaN in base64', { ...mlp, layers: [{ type: 'dense', weight: { base64: f32bytes(1, NaN), shape: [1, 2] } }] }, /weight holds NaN at \[0\]\[1\]/],
  ['base64 length', { ...mlp, layers: [{ type: 'dense', weight: { base64: f32bytes(1), shape: [1, 2] } }] }, /weight.base64 holds 4 bytes \(1 float\) but shape 1×2 needs 2 floats/],
  ['not base64', { ...mlp, layers: [{ type: 'dense', weight: { base64: '!!', shape: [1, 2] } }] }, /weight.base64 is not valid base64/],
  ['weight of wrong type', { ...mlp, layers: [{ type: 'dense', weight: 5 }] }, /weight: expected a nested array of numbers or \{"base64".*found 5/],
  ['dense on images', { ...cnnInput, layers: [dense(1, 16)] }, /layer 0 \(dense\): the previous layer gives 1×4×4 images but a dense layer takes vectors/],
  ['conv2d on vectors', { ...mlp, layers: [{ type: 'conv2d', weight: [[[[1]]]] }] }, /layer 0 \(conv2d\): the previous layer gives vectors of 2 features but conv2d takes images/],
  ['conv2d channels', { ...cnnInput, input: [3, 4, 4], layers: [{ type: 'conv2d', weight: [[[[1]]]] }] },
    /layer 0 \(conv2d\): weight is 1×1×1×1 \(1 input channels\) but the previous layer gives 3 channels/],
  ['conv2d kernel too big', { ...cnnInput, layers: [{ type: 'conv2d', weight: [[Array.from({ length: 5 }, () => [1, 1, 1, 1, 1])]] }] },
    /a 5×5 kernel with padding 0 does not fit the 4×4 images/],
  ['conv2d stride 0', { ...cnnInput, layers: [{ type: 'conv2d', weight: [[[[1]]]], stride: 0 }] }, /layer 0 \(conv2d\): stride: expected a positive integer, found 0/],
  ['maxpool too big', { ...cnnInput, layers: [{ type: 'maxpool2d', size: 5 }] }, /layer 0 \(maxpool2d\): a 5×5 window does not fit the 4×4 images/],
  ['maxpool size not integer', { ...cnnInput, layers: [{ type: 'maxpool2d', size: 1.5 }] }, /size: expected a positive integer, found 1.5/],
  ['not an object', [1, 2], /^model: expected a JSON object, found an array/],
  ['broken JSON', '{"format": "jetcurve-model/1",\n "input": [2] "layers": []}', /^model is not valid JSON \(line 2, column 15\)/],
  ['NaN in JSON', '{"format": "jetcurve-model/1", "input": [2], "layers": [[NaN]]}', /fix: JSON has no NaN/],
];

describe('model validation', () => {
  for (const [name, value, message] of malformed) {
    it(name, () => {
      let error: unknown = null;
      try {
        parseModel(value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(JetcurveError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(/\n {2}fix: /);
    });
  }

  it('infers shapes through a CNN, with defaults for stride, padding, bias', () => {
    const spec = parseModel({
      ...cnnInput, input: [1, 8, 8], layers: [
        { type: 'conv2d', weight: [[[[1, 0, 0], [0, 1, 0], [0, 0, 1]]], [[[0, 0, 0], [0, 1, 0], [0, 0, 0]]]], padding: 1 },
        { type: 'relu' }, { type: 'maxpool2d', size: 2 }, { type: 'flatten' }, dense(3, 32),
      ],
    });
    expect(inferShapes(spec)).toEqual([[1, 8, 8], [2, 8, 8], [2, 8, 8], [2, 4, 4], [32], [3]]);
    expect(spec.layers[0]).toMatchObject({ stride: 1, padding: 1, bias: { shape: [2] } });
    expect(spec.layers[2]).toMatchObject({ size: 2, stride: 2 });
  });
});

describe('model files', () => {
  const spec: ModelSpec = randomMlp([3, 16, 16, 2], { seed: 5, weightStd: 1 });
  const same = (a: ModelSpec, b: ModelSpec) => {
    expect(b.input).toEqual(a.input);
    expect(b.layers.map((l) => l.type)).toEqual(a.layers.map((l) => l.type));
    a.layers.forEach((l, i) => {
      if (l.type === 'dense') {
        const m = b.layers[i] as typeof l;
        expect(m.weight.shape).toEqual(l.weight.shape);
        expect(Array.from(m.weight.data)).toEqual(Array.from(l.weight.data));
        expect(Array.from(m.bias.data)).toEqual(Array.from(l.bias.data));
      }
    });
  };

  it('round-trips base64 weights exactly', () => {
    const text = stringifyModel(spec, { weights: 'base64' });
    expect(text).toContain('"base64"');
    same(spec, parseModel(text));
  });

  it('round-trips inline weights exactly (shortest decimals that read back as the same f32)', () => {
    const text = stringifyModel({ ...spec, meta: { note: 'test' } }, { weights: 'inline' });
    expect(text).not.toContain('"base64"');
    const back = parseModel(text);
    same(spec, back);
    expect(back.meta).toEqual({ note: 'test' });
  });

  it('saves and loads from disk; missing files and bad JSON are clear errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'jetcurve-model-'));
    const path = join(dir, 'sub', 'm.json');
    await saveModel(path, spec, { weights: 'base64' });
    same(spec, await loadModel(path));
    await expect(loadModel(join(dir, 'nope.json'))).rejects.toThrow(/nope\.json: no such file/);
    writeFileSync(join(dir, 'bad.json'), '{"format": ');
    await expect(loadModel(join(dir, 'bad.json'))).rejects.toThrow(/bad\.json is not valid JSON/);
  });

  it('refuses to write an invalid model', () => {
    const bad: ModelSpec = { input: [4], layers: spec.layers };
    expect(() => stringifyModel(bad)).toThrow(/layer 0 \(dense\): weight is 16×3 but the previous layer gives 4 features/);
  });
});
