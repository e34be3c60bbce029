// `jetcurve import`, `jetcurve export`, and `--model net.onnx` in `lambda` and `jet`, as a user
// runs them (dist/cli.js, rebuilt here): the .onnx file and its imported model file give the same
// numbers, an exported file runs in ONNX Runtime, and refusals exit 2 with one line and a fix.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { stringifyDataSet } from '../src/data/file.js';
import { parseModel } from '../src/model/io.js';
import { referenceJets } from '../src/reference/model64.js';
import { importOnnx } from '../src/onnx/index.js';
import { Random } from '../src/util/random.js';
import { DataType } from '../src/onnx/proto.js';
import { GraphBuilder, torchCnn, torchMlp } from './onnx/graphs.js';
import { runtimeOutputs } from './onnx/runtime.js';
import { expectWithinRounding } from './onnx/tolerance.js';
import { buildCli, cliIn, type Run } from './cli-run.js';

const dir = mkdtempSync(join(tmpdir(), 'jetcurve-onnx-'));
const cli = cliIn(dir);
const file = (name: string, content: string | Uint8Array) => writeFileSync(join(dir, name), content);

const expectUserError = (run: Run, pattern: RegExp) => {
  expect(run.code).toBe(2);
  const [first, second, ...rest] = run.stderr.trimEnd().split('\n');
  expect(first).toMatch(/^jetcurve: /);
  expect(first).toMatch(pattern);
  expect(second).toMatch(/^ {2}fix: /);
  expect(rest).toEqual([]);
};

const mlpBytes = torchMlp({ seed: 17 });
const cnnBytes = torchCnn({ flatten: 'view', seed: 18 });
const unsupported = (() => {
  const g = new GraphBuilder({ name: 'x', dims: ['batch', 4] });
  g.linear(g.node('LeakyRelu', [g.linear('x', 4, 8)], { alpha: { float: 0.01 } }, 1, '/act/LeakyRelu'), 8, 2);
  return g.bytes('y', ['batch', 2]);
})();
/** Graphs each refused for one attribute or initializer: the CLI's exit code and message for each. */
const refusedFiles: Record<string, { bytes: Uint8Array; message: RegExp }> = (() => {
  const conv = (attrs: Record<string, number[]>) => {
    const g = new GraphBuilder({ name: 'x', dims: ['batch', 1, 8, 8] });
    g.node('Conv', ['x', g.weight('w', [2, 1, 3, 3], 0.3)], attrs, 1, '/features/0/Conv');
    return g.bytes('y', ['batch', 2, 4, 4]);
  };
  const gemm = (init: (g: GraphBuilder) => void) => {
    const g = new GraphBuilder({ name: 'x', dims: ['batch', 4] });
    init(g);
    g.node('Gemm', ['x', 'fc.weight'], { transB: 1 }, 1, '/fc/Gemm');
    return g.bytes('y', ['batch', 2]);
  };
  return {
    'dilated.onnx': { bytes: conv({ dilations: [2, 2] }), message: /\(Conv\): dilations \[2, 2\]; jetcurve's conv2d has no dilation/ },
    'asymmetric.onnx': { bytes: conv({ pads: [0, 0, 1, 1] }), message: /\(Conv\): pads \[0, 0, 1, 1\] are not the same on every side/ },
    'double.onnx': { bytes: gemm((g) => g.initializers.push({ name: 'fc.weight', dims: [2, 4], dataType: DataType.DOUBLE, doubleData: new Array(8).fill(0.5) })), message: /tensor "fc\.weight" is DOUBLE/ },
    'missing-weight.onnx': { bytes: gemm(() => undefined), message: /input 1 "fc\.weight" is neither the graph's input, an initializer/ },
  };
})();
const random = new Random(19);
const dataText = stringifyDataSet({ inputShape: [4], inputs: random.normals(4 * 12), count: 12, labels: Uint32Array.from({ length: 12 }, () => random.int(3)) });

beforeAll(async () => {
  await buildCli();
  file('mlp.onnx', mlpBytes);
  file('cnn.onnx', cnnBytes);
  file('bad.onnx', unsupported);
  file('text.onnx', 'not a protobuf at all');
  for (const [name, { bytes }] of Object.entries(refusedFiles)) file(name, bytes);
  file('data.json', dataText);
  file('points.json', JSON.stringify([[0.1, -0.2, 0.3, 0.4], [1, 0.5, -1, 0]]));
  file('dirs.json', JSON.stringify([[1, 0, 0, 0]]));
  file('dirs2.json', JSON.stringify([[1, 0]]));
});

describe('jetcurve import and export', () => {
  it('import writes the model the library reads from the .onnx file (base64 and inline weights alike)', async () => {
    const run = await cli('import', 'cnn.onnx', '--out', 'cnn.json');
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe('cnn.onnx -> cnn.json: input 1×12×12, 7 layers (conv2d, relu, maxpool2d, conv2d, sigmoid, flatten, dense), 5 outputs\n');
    const expected = importOnnx(cnnBytes, 'cnn.onnx');
    expect(parseModel(readFileSync(join(dir, 'cnn.json'), 'utf8')).layers).toEqual(expected.layers);
    expect((await cli('import', 'cnn.onnx', '--out', 'inline.json', '--weights', 'inline')).code).toBe(0);
    expect(parseModel(readFileSync(join(dir, 'inline.json'), 'utf8')).layers).toEqual(expected.layers);
  });

  it('export writes an .onnx file that ONNX Runtime runs with the model\'s outputs, and that imports back to the same layers', async () => {
    expect((await cli('import', 'cnn.onnx', '--out', 'cnn2.json')).code).toBe(0);
    const run = await cli('export', 'cnn2.json', '--out', 'out/back.onnx');
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^cnn2\.json -> out\/back\.onnx: 7 layers, ONNX opset 17, \d+ bytes\n$/);
    const bytes = new Uint8Array(readFileSync(join(dir, 'out/back.onnx')));
    const spec = parseModel(readFileSync(join(dir, 'cnn2.json'), 'utf8'));
    expect(importOnnx(bytes).layers).toEqual(spec.layers);
    const points = Float32Array.from(new Random(20).normals(4 * 144));
    const ours = referenceJets(spec, points, new Float64Array(points.length), 0).data;
    const theirs = await runtimeOutputs(bytes, points, spec.input);
    expectWithinRounding(theirs, ours, spec);
  });

  it('a model trained here (CRR, one epoch of Two Moons) exports and runs in ONNX Runtime with the CLI\'s outputs', async () => {
    expect((await cli('train', '--dataset', 'moons', '--reg', 'crr', '--epochs', '1', '--out', 'trained')).code).toBe(0);
    expect((await cli('export', 'trained/model.json', '--out', 'trained.onnx')).code).toBe(0);
    file('moons-points.json', JSON.stringify([[0.1, 0.2], [-1, 0.5], [1.5, -0.3]]));
    const run = await cli('jet', '--model', 'trained/model.json', '--points', 'moons-points.json', '--directions', 'dirs2.json', '--order', '0', '--json');
    expect(run.code).toBe(0);
    const ours = (JSON.parse(run.stdout) as { coefficients: number[][][] }).coefficients.flat(2);
    const theirs = await runtimeOutputs(new Uint8Array(readFileSync(join(dir, 'trained.onnx'))), [0.1, 0.2, -1, 0.5, 1.5, -0.3], [2]);
    expectWithinRounding(ours, theirs, parseModel(readFileSync(join(dir, 'trained/model.json'), 'utf8')));
  });

  it('lambda and jet take --model net.onnx and give what they give for the imported model file', async () => {
    expect((await cli('import', 'mlp.onnx', '--out', 'mlp.json')).code).toBe(0);
    const lambda = (model: string) => cli('lambda', '--model', model, '--data', 'data.json', '--orders', '2-4', '--directions', '2', '--json');
    const [fromOnnx, fromJson] = await Promise.all([lambda('mlp.onnx'), lambda('mlp.json')]);
    expect(fromOnnx.stderr).toBe('');
    const strip = (text: string) => ({ ...(JSON.parse(text) as Record<string, unknown>), model: null });
    expect(strip(fromOnnx.stdout)).toEqual(strip(fromJson.stdout));
    expect(JSON.parse(fromOnnx.stdout)).toMatchObject({ model: 'mlp.onnx' });
    const jet = (model: string) => cli('jet', '--model', model, '--points', 'points.json', '--directions', 'dirs.json', '--order', '4', '--json');
    const [jetOnnx, jetJson] = await Promise.all([jet('mlp.onnx'), jet('mlp.json')]);
    expect(jetOnnx.code).toBe(0);
    expect(jetOnnx.stdout).toBe(jetJson.stdout);
  });

  it('refusals exit 2 with one line naming the problem and a fix, no stack trace', async () => {
    const op = /^jetcurve: bad\.onnx: node "\/act\/LeakyRelu" \(LeakyRelu\): operator LeakyRelu is not supported; supported: Gemm, /;
    expectUserError(await cli('import', 'bad.onnx', '--out', 'bad.json'), op);
    expectUserError(await cli('lambda', '--model', 'bad.onnx', '--data', 'data.json'), op);
    expectUserError(await cli('jet', '--model', 'bad.onnx', '--points', 'points.json', '--directions', 'dirs.json'), op);
    for (const [name, { message }] of Object.entries(refusedFiles)) expectUserError(await cli('import', name, '--out', 'x.json'), message);
    expectUserError(await cli('import', 'text.onnx', '--out', 'x.json'), /text\.onnx is not a valid ONNX file/);
    expectUserError(await cli('import', 'missing.onnx', '--out', 'x.json'), /missing\.onnx: no such file/);
    expectUserError(await cli('export', 'missing.json', '--out', 'x.onnx'), /missing\.json: no such file/);
  });
});
