// ONNX graphs in the shapes torch.onnx.export writes, read as jetcurve models: which layers they
// become, weights bit for bit as stored, and a clear refusal (naming the operator, the node and a
// fix) of everything jetcurve has no exact counterpart for. Outputs against ONNX Runtime are in
// onnx-runtime.test.ts.
import { describe, expect, it } from 'vitest';
import { MODEL_FORMAT, parseModel, type ModelSpec } from '../src/index.js';
import { JetcurveError } from '../src/errors.js';
import { randomMlp } from '../src/model/random-mlp.js';
import { exportOnnx, importOnnx } from '../src/onnx/index.js';
import type { onnx as OnnxTypes } from 'onnx-proto';
import { DataType, onnx } from '../src/onnx/proto.js';
import { smallCnn as cnn } from './onnx/specs.js';
import { floatTensor, GraphBuilder, int64Tensor, torchCnn, torchMlp } from './onnx/graphs.js';

/** An initializer's floats read straight from its little-endian bytes (not through src/onnx). */
function initializer(bytes: Uint8Array, name: string): Float32Array {
  const t = onnx.ModelProto.decode(bytes).graph!.initializer!.find((i) => i.name === name)!;
  if (t.rawData && t.rawData.length > 0) return new Float32Array(Uint8Array.from(t.rawData).buffer);
  return Float32Array.from(t.floatData!);
}

const weightOf = (spec: ModelSpec, layer: number) => (spec.layers[layer] as { weight: { shape: readonly number[]; data: Float32Array } }).weight;
const biasOf = (spec: ModelSpec, layer: number) => (spec.layers[layer] as { bias: { data: Float32Array } }).bias;

function refusal(bytes: Uint8Array): JetcurveError {
  try {
    importOnnx(bytes, 'net.onnx');
  } catch (e) {
    if (e instanceof JetcurveError) return e;
    throw e;
  }
  throw new Error('the import did not refuse the graph');
}

/** x -> Gemm(4 -> 8) -> <body> -> Gemm(8 -> 2): a graph to put one node of interest into. */
function mlpAround(body: (g: GraphBuilder, h: string) => string, opset = 17): Uint8Array {
  const g = new GraphBuilder({ name: 'x', dims: ['batch', 4] });
  g.linear(body(g, g.linear('x', 4, 8)), 8, 2);
  return g.bytes('y', ['batch', 2], opset);
}

/** x (1×8×8) -> <body> -> Flatten -> Gemm: for Conv and MaxPool attributes. */
function cnnAround(body: (g: GraphBuilder) => string, features: number): Uint8Array {
  const g = new GraphBuilder({ name: 'x', dims: ['batch', 1, 8, 8] });
  const flat = g.node('Flatten', [body(g)], { axis: 1 });
  g.linear(flat, features, 2);
  return g.bytes('y', ['batch', 2]);
}

describe('an MLP exported from PyTorch', () => {
  it('Gemm(transB = 1), Relu, Dropout, Tanh become dense, relu, tanh with the stored weights bit for bit', () => {
    const bytes = torchMlp();
    const spec = importOnnx(bytes, 'mlp.onnx');
    expect(spec.input).toEqual([4]);
    expect(spec.layers.map((l) => l.type)).toEqual(['dense', 'relu', 'dense', 'tanh', 'dense']);
    expect(weightOf(spec, 0).shape).toEqual([16, 4]);
    expect(weightOf(spec, 0).data).toEqual(initializer(bytes, 'fc0.weight'));
    expect(biasOf(spec, 0).data).toEqual(initializer(bytes, 'fc0.bias'));
    expect(weightOf(spec, 4).shape).toEqual([3, 16]);
    expect(spec.meta).toEqual({ onnx: { source: 'mlp.onnx', producer: 'pytorch 2.5.1', opset: 17, input: 'x', output: 'logits' } });
  });

  it('MatMul + Add (opset 11, Dropout without inputs) is the same dense layer, its weight transposed', () => {
    const bytes = torchMlp({ form: 'matmul', opset: 11 });
    const spec = importOnnx(bytes);
    expect(spec.layers.map((l) => l.type)).toEqual(['dense', 'relu', 'dense', 'tanh', 'dense']);
    const w = initializer(bytes, 'onnx::MatMul_0');   // [4][16]: x·W
    const dense = weightOf(spec, 0);                      // [16][4]
    expect(dense.shape).toEqual([16, 4]);
    for (let o = 0; o < 16; o++) for (let i = 0; i < 4; i++) expect(dense.data[o * 4 + i]).toBe(w[i * 16 + o]);
    expect(biasOf(spec, 0).data).toEqual(initializer(bytes, 'fc0.bias'));
  });

  it('MatMul(x, Transpose(W)) + Add, the transpose left in the graph, is the same model as Gemm(transB = 1)', () => {
    expect(importOnnx(torchMlp({ form: 'transposed' })).layers).toEqual(importOnnx(torchMlp()).layers);
  });

  it('float_data initializers read as the same float32 values as raw_data ones', () => {
    expect(importOnnx(torchMlp({ storage: 'floatData' })).layers).toEqual(importOnnx(torchMlp()).layers);
  });
});

describe('a CNN exported from PyTorch', () => {
  it('Conv (padding, stride, groups), MaxPool, Sigmoid, Flatten, Gemm', () => {
    const bytes = torchCnn();
    const spec = importOnnx(bytes);
    expect(spec.input).toEqual([1, 12, 12]);
    expect(spec.layers.map((l) => l.type)).toEqual(['conv2d', 'relu', 'maxpool2d', 'conv2d', 'sigmoid', 'flatten', 'dense']);
    expect(spec.layers[0]).toMatchObject({ stride: 1, padding: 1 });
    expect(spec.layers[2]).toMatchObject({ size: 2, stride: 2 });
    expect(spec.layers[3]).toMatchObject({ stride: 2, padding: 0 });
    expect(weightOf(spec, 0).data).toEqual(initializer(bytes, 'conv0.weight'));
    // groups = 2: [6][2][3][3] as [6][4][3][3], outputs 0-2 reading channels 0-1, outputs 3-5 channels 2-3.
    const grouped = initializer(bytes, 'conv3.weight');
    const full = weightOf(spec, 3);
    expect(full.shape).toEqual([6, 4, 3, 3]);
    for (let o = 0; o < 6; o++) {
      for (let c = 0; c < 4; c++) {
        const inGroup = Math.floor(c / 2) === Math.floor(o / 3);
        const got = Array.from(full.data.subarray((o * 4 + c) * 9, (o * 4 + c + 1) * 9));
        expect(got).toEqual(inGroup ? Array.from(grouped.subarray((o * 2 + (c % 2)) * 9, (o * 2 + (c % 2) + 1) * 9)) : new Array(9).fill(0));
      }
    }
  });

  it('Reshape to a constant [-1, 24] and the Shape-Gather-Unsqueeze-Concat-Reshape chain are the same flatten', () => {
    const flatten = importOnnx(torchCnn()).layers;
    expect(importOnnx(torchCnn({ flatten: 'Reshape' })).layers).toEqual(flatten);
    expect(importOnnx(torchCnn({ flatten: 'view', opset: 11 })).layers).toEqual(flatten);
  });

  it('auto_pad SAME_UPPER with an odd kernel and stride 1 is symmetric padding', () => {
    const spec = importOnnx(cnnAround((g) => {
      const w = g.weight('w', [2, 1, 3, 3], 0.3);
      return g.node('Conv', ['x', w], { auto_pad: 'SAME_UPPER', kernel_shape: [3, 3] });
    }, 2 * 8 * 8));
    expect(spec.layers[0]).toMatchObject({ type: 'conv2d', padding: 1, stride: 1 });
  });
});

describe('Softplus and BatchNormalization', () => {
  it('Softplus becomes a softplus layer', () => {
    const spec = importOnnx(mlpAround((g, h) => g.node('Softplus', [h])));
    expect(spec.layers.map((l) => l.type)).toEqual(['dense', 'softplus', 'dense']);
  });

  it('BatchNormalization (eval mode, five inputs) becomes a batchnorm layer with the stored statistics', () => {
    const bytes = torchMlp({ batchnorm: true });
    const spec = importOnnx(bytes);
    expect(spec.layers.map((l) => l.type)).toEqual(['dense', 'relu', 'batchnorm', 'dense', 'tanh', 'dense']);
    const stored = JSON.parse(JSON.stringify(parseModel({ format: MODEL_FORMAT, input: [16], layers: [{
      type: 'batchnorm', weight: Array.from(initializer(bytes, 'bn2.weight')), bias: Array.from(initializer(bytes, 'bn2.bias')),
      runningMean: Array.from(initializer(bytes, 'bn2.running_mean')), runningVar: Array.from(initializer(bytes, 'bn2.running_var')), eps: Math.fround(1e-5),
    }] }).layers[0]));
    expect(JSON.parse(JSON.stringify(spec.layers[2]))).toEqual(stored);
  });

});

describe('refusals: one line naming the problem, then a fix', () => {
  const expectRefusal = (bytes: Uint8Array, problem: RegExp, fix: RegExp) => {
    const e = refusal(bytes);
    const [first, second, ...rest] = e.message.split('\n');
    expect(first).toMatch(/^net\.onnx/);
    expect(first).toMatch(problem);
    expect(second).toMatch(/^ {2}fix: /);
    expect(second).toMatch(fix);
    expect(rest).toEqual([]);
  };

  it('an unsupported operator: its type, its node, and the supported list', () => {
    const bytes = mlpAround((g, h) => g.node('LeakyRelu', [h], { alpha: { float: 0.01 } }, 1, '/act/LeakyRelu'));
    expectRefusal(bytes, /node "\/act\/LeakyRelu" \(LeakyRelu\): operator LeakyRelu is not supported; supported: Gemm, MatMul \(\+ Add, its bias\), Conv, MaxPool, Relu, Tanh, Sigmoid, Softplus, Flatten, .*BatchNormalization, Dropout, Identity/,
      /never approximates/);
  });

  it('a final LogSoftmax: the fix says to export the logits', () => {
    const g = new GraphBuilder({ name: 'x', dims: ['batch', 4] });
    g.node('LogSoftmax', [g.linear('x', 4, 3)], { axis: 1 });
    expectRefusal(g.bytes('y', ['batch', 3]), /\(LogSoftmax\): operator LogSoftmax is not supported/, /up to its logits/);
  });

  it('an operator of another domain', () => {
    const g = new GraphBuilder({ name: 'x', dims: ['batch', 4] });
    g.linear('x', 4, 2);
    g.nodes[0]!.domain = 'com.microsoft';
    expectRefusal(g.bytes('y', ['batch', 2]), /domain "com\.microsoft"/, /standard ONNX operators/);
  });

  it('Conv with dilations 2', () => {
    expectRefusal(cnnAround((g) => g.node('Conv', ['x', g.weight('w', [2, 1, 3, 3], 0.3)], { dilations: [2, 2] }), 2 * 4 * 4),
      /\(Conv\): dilations \[2, 2\]; jetcurve's conv2d has no dilation/, /dilation=1/);
  });

  it('Conv with asymmetric pads', () => {
    expectRefusal(cnnAround((g) => g.node('Conv', ['x', g.weight('w', [2, 1, 3, 3], 0.3)], { pads: [0, 0, 1, 1] }), 2 * 7 * 7),
      /pads \[0, 0, 1, 1\] are not the same on every side/, /symmetric padding/);
  });

  it('Conv with different strides along height and width', () => {
    expectRefusal(cnnAround((g) => g.node('Conv', ['x', g.weight('w', [2, 1, 3, 3], 0.3)], { strides: [1, 2] }), 2 * 6 * 3),
      /strides \[1, 2\]; jetcurve's conv2d has one stride for both axes/, /same strides/);
  });

  it('MaxPool with padding', () => {
    expectRefusal(cnnAround((g) => g.node('MaxPool', ['x'], { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [2, 2] }), 16),
      /\(MaxPool\): pads \[1, 1, 1, 1\]; jetcurve's maxpool2d has no padding/, /without padding/);
  });

  it('Gemm with transA = 1', () => {
    const g = new GraphBuilder({ name: 'x', dims: ['batch', 4] });
    g.node('Gemm', ['x', g.weight('w', [2, 4], 0.5)], { transA: 1, transB: 1 });
    expectRefusal(g.bytes('y', ['batch', 2]), /\(Gemm\): transA = 1; jetcurve imports Gemm as a dense layer, with transA = 0/, /nn\.Linear/);
  });

  it('float64 weights', () => {
    const g = new GraphBuilder({ name: 'x', dims: ['batch', 4] });
    g.initializers.push({ name: 'w', dims: [2, 4], dataType: DataType.DOUBLE, doubleData: new Array(8).fill(0.5) });
    g.node('Gemm', ['x', 'w'], { transB: 1 });
    expectRefusal(g.bytes('y', ['batch', 2]), /weight: tensor "w" is DOUBLE, and jetcurve keeps weights in FLOAT \(float32\)/, /model\.float\(\)/);
  });

  it('weights in an external data file', () => {
    const g = new GraphBuilder({ name: 'x', dims: ['batch', 4] });
    g.initializers.push({ name: 'w', dims: [2, 4], dataType: DataType.FLOAT, dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
      externalData: [{ key: 'location', value: 'net.onnx.data' }] });
    g.node('Gemm', ['x', 'w'], { transB: 1 });
    expectRefusal(g.bytes('y', ['batch', 2]), /tensor "w" is stored outside the \.onnx file \(in net\.onnx\.data\)/, /save_as_external_data=False/);
  });

  it('a missing initializer', () => {
    const g = new GraphBuilder({ name: 'x', dims: ['batch', 4] });
    g.node('Gemm', ['x', 'fc.weight'], { transB: 1 });
    expectRefusal(g.bytes('y', ['batch', 2]), /input 1 "fc\.weight" is neither the graph's input, an initializer, nor the output of an earlier node/, /export it again/);
  });

  it('bytes that are not an ONNX file', () => {
    expectRefusal(new TextEncoder().encode('{"format": "jetcurve-model/1"}'), /is not a valid ONNX file/, /torch\.onnx\.export/);
    expectRefusal(torchMlp().subarray(0, 200), /is not a valid ONNX file/, /truncated/);
  });

  it('Dropout in training mode', () => {
    const bytes = mlpAround((g, h) => {
      g.initializers.push({ name: 'train', dims: [], dataType: DataType.BOOL, int32Data: [1] });
      return g.node('Dropout', [h, '', 'train']);
    });
    expectRefusal(bytes, /\(Dropout\): training_mode is true/, /model\.eval\(\)/);
  });

  it('BatchNormalization in training mode', () => {
    const bytes = mlpAround((g, h) => g.batchnorm(h, 8, 17, 1));
    expectRefusal(bytes, /\(BatchNormalization\): training_mode = 1/, /model\.eval\(\)/);
  });

  it('a Transpose of an activation', () => {
    expectRefusal(cnnAround((g) => g.node('Transpose', ['x'], { perm: [0, 2, 3, 1] }), 64),
      /\(Transpose\): jetcurve imports Transpose only of a constant matrix \(a weight\), not of an activation/, /layout changes/);
  });

  it('a skip connection', () => {
    expectRefusal(mlpAround((g, h) => g.node('Add', [h, g.node('Relu', [h])])), /skip connection/, /supported layers/);
  });

  it('a Reshape that is not a flatten', () => {
    const bytes = cnnAround((g) => g.node('Reshape', ['x', g.ints('shape', [-1, 2, 32])]), 64);
    expectRefusal(bytes, /\(Reshape\): reshapes to \[-1, 2, 32\]; jetcurve imports Reshape only as a flatten to \[batch, 64\]/, /nn\.Flatten\(\)/);
  });

  it('an opset older than 9', () => {
    expectRefusal(torchMlp({ opset: 8 }), /opset 8; jetcurve reads opset 9 and later/, /opset_version=17/);
  });

  it('a graph with a dynamic feature size', () => {
    const g = new GraphBuilder({ name: 'x', dims: ['batch', 'features'] });
    g.linear('x', 4, 2);
    expectRefusal(g.bytes('y', ['batch', 2]), /input "x" has shape \[batch, features\]/, /only the batch axis may be dynamic/);
  });
});

describe('export', () => {

  it('writes opset 17 in torch\'s form: Gemm(transB = 1), Conv, MaxPool, Flatten(axis = 1), float32 raw-data initializers', () => {
    const model = onnx.ModelProto.decode(exportOnnx(cnn));
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    const graph = model.graph as OnnxTypes.GraphProto;
    expect(graph.node.map((n) => n.opType)).toEqual(['Conv', 'Relu', 'MaxPool', 'Conv', 'Sigmoid', 'Flatten', 'Gemm', 'Tanh']);
    expect(graph.initializer.every((t) => t.dataType === DataType.FLOAT && t.rawData!.length === 4 * t.dims!.reduce((a, b) => a * Number(b), 1))).toBe(true);
    expect(graph.input.map((i) => i.name)).toEqual(['input']);
    expect(graph.input[0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 2, 9, 9]);
    expect(graph.output[0]!.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue))).toEqual(['batch', 5]);
  });

  it('round trip: export then import gives identical layers and weights (MLP and CNN)', () => {
    for (const spec of [randomMlp([3, 8, 8, 2], { seed: 4 }), cnn]) {
      expect(importOnnx(exportOnnx(spec)).layers).toEqual(spec.layers);
    }
  });

  it('an imported model exports under its graph\'s input and output names, and reimports to the same layers', () => {
    const spec = importOnnx(torchCnn({ flatten: 'view' }));
    const again = importOnnx(exportOnnx(spec), 'again.onnx');
    expect(again.layers).toEqual(spec.layers);
    expect(again.meta).toMatchObject({ onnx: { input: 'x', output: 'logits', producer: expect.stringMatching(/^jetcurve /) } });
  });

  it('the float_data and int64 helpers of the tests write what ONNX says (a sanity check of the test graphs)', () => {
    expect(floatTensor('a', [2], [1, 2], 'floatData').floatData).toEqual([1, 2]);
    expect(new DataView(int64Tensor('b', [1], [-1]).rawData!.buffer).getBigInt64(0, true)).toBe(-1n);
  });
});
