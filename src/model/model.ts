// The one GPU form of a model: its weights live on the GPU as Parameters (values, and gradient
// buffers made on first use), and the same object serves jets and λ (forward, jets), training
// (record on a tape, read and write parameters) and the model file (toSpec). The layer walk is
// interpret() (./interpret.ts), shared with the float64 reference.
//
// Dropout is a training-only step after given layers: the model file has no dropout layer (at
// inference it is the identity), so the plan lives beside the spec, not in it.
import { activation } from '../../kernels/index.js';
import type { BatchNormParameters } from '../../kernels/batchnorm.js';
import { differentiable, flatten, raiseOrder, type Conv2dParameters, type DenseParameters } from '../autodiff/ops.js';
import { Parameter } from '../autodiff/parameter.js';
import { Streaming, type Recorder } from '../autodiff/tape.js';
import { dropout } from '../../kernels/dropout.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { evaluateJets, type JetProgram, type JetResult } from '../jet/evaluate-jets.js';
import { Jet } from '../jet/jet.js';
import { featureCount } from '../jet/layout.js';
import { flattenRows, matchDirections, type Rows } from '../jet/rows.js';
import { importOnnx } from '../onnx/import.js';
import { interpret, type LayerOps } from './interpret.js';
import { parseModel } from './io.js';
import { inferShapes } from './shapes.js';
import { loadModel } from './source.js';
import type { ActivationType, Layer, ModelSpec } from './spec.js';
import { tensor } from './tensor.js';

/** Dropout with probability `rate` applied to the output of layer `after` while training. */
export interface DropoutAt {
  readonly after: number;
  readonly rate: number;
}

/**
 * Layers that map a jet whose coefficients above d are all zero to another such jet: the linear
 * ones (BatchNorm in eval mode too) and the piecewise-linear ones (max-pool, and activations
 * whose op says keepsOrder: relu keeps or zeroes whole series). tanh and sigmoid fill every
 * order. Exact in f32 too: the zeros are never computed into anything.
 */
function keepsOrder(type: Layer['type']): boolean {
  switch (type) {
    case 'dense': case 'conv2d': case 'maxpool2d': case 'batchnorm': case 'flatten': return true;
    default: return activation(type).keepsOrder;
  }
}

/** How a forward pass is recorded: the output order (see Model.record), dropout, and BatchNorm's mode. */
export interface RecordOptions {
  /** A u32, fresh per step: the dropout layers are active. */
  readonly dropoutSeed?: number;
  readonly order?: number;
  /** BatchNorm normalizes with the batch's statistics and moves its running ones (order 0 only); otherwise eval mode. */
  readonly training?: boolean;
}

export interface ModelJetRequest {
  /** One input per point: flat row-major [points][inputSize], or an array of flattened inputs. */
  readonly points: Rows;
  /** One direction per point, or a single direction for all points. */
  readonly directions: Rows;
  readonly order: number;
  readonly scale?: 'auto' | number;
}

/** The parameters of one layer (dense, conv2d and batchnorm have them; the others none). */
type LayerParameters = DenseParameters | Conv2dParameters | BatchNormParameters;

export class Model {
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Feature shape after each layer; shapes[0] is the input. */
  readonly shapes: readonly (readonly number[])[];
  /** Every trainable tensor, in layer order (weight, then bias). */
  readonly parameters: readonly Parameter[];
  /** State that is not trained but moves in training (BatchNorm's running mean and variance), in layer order. */
  readonly buffers: readonly Parameter[];
  private readonly layerParameters: ReadonlyMap<number, LayerParameters>;
  private readonly dropoutAfter: ReadonlyMap<number, number>;
  private destroyed = false;

  constructor(readonly engine: Engine, readonly spec: ModelSpec, readonly dropoutPlan: readonly DropoutAt[] = []) {
    this.shapes = inferShapes(spec);
    this.inputShape = this.shapes[0]!;
    this.outputShape = this.shapes[this.shapes.length - 1]!;
    for (const d of dropoutPlan) {
      if (!(d.rate >= 0 && d.rate < 1) || !Number.isInteger(d.after) || d.after < 0 || d.after >= spec.layers.length) {
        throw new JetcurveError(`dropout after layer ${d.after} with rate ${d.rate}: expected a layer index and a rate in [0, 1)`);
      }
    }
    this.dropoutAfter = new Map(dropoutPlan.filter((d) => d.rate > 0).map((d) => [d.after, d.rate]));
    const parameters: Parameter[] = [];
    const param = (name: string, t: { shape: readonly number[]; data: Float32Array }): Parameter => {
      const p = new Parameter(engine, name, t.shape, t.data);
      parameters.push(p);
      return p;
    };
    const buffers: Parameter[] = [];
    const layerParameters = new Map<number, LayerParameters>();
    spec.layers.forEach((layer, i) => {
      if (layer.type === 'batchnorm') {
        const weight = param(`layer${i}.weight`, layer.weight);
        const bias = param(`layer${i}.bias`, layer.bias);
        const runningMean = new Parameter(engine, `layer${i}.runningMean`, layer.runningMean.shape, layer.runningMean.data);
        const runningVar = new Parameter(engine, `layer${i}.runningVar`, layer.runningVar.shape, layer.runningVar.data);
        buffers.push(runningMean, runningVar);
        layerParameters.set(i, { weight, bias, runningMean: runningMean.value, runningVar: runningVar.value, channels: layer.weight.shape[0]!, eps: layer.eps, momentum: layer.momentum });
      }
      if (layer.type === 'dense') {
        const [outputs, inputs] = layer.weight.shape as [number, number];
        layerParameters.set(i, { weight: param(`layer${i}.weight`, layer.weight), bias: param(`layer${i}.bias`, layer.bias), inputs, outputs });
      } else if (layer.type === 'conv2d') {
        const [outChannels, inChannels, kernelH, kernelW] = layer.weight.shape as [number, number, number, number];
        const weight = param(`layer${i}.weight`, layer.weight);
        const bias = param(`layer${i}.bias`, layer.bias);
        layerParameters.set(i, { weight, bias, inChannels, outChannels, kernelH, kernelW, stride: layer.stride, padding: layer.padding });
      }
    });
    this.parameters = parameters;
    this.buffers = buffers;
    this.layerParameters = layerParameters;
  }

  static async fromFile(engine: Engine, path: string): Promise<Model> {
    return new Model(engine, await loadModel(path));
  }

  /** From the bytes of an .onnx file (Node and browser alike: no file system is involved). */
  static fromOnnx(engine: Engine, bytes: Uint8Array | ArrayBuffer, source = 'model.onnx'): Model {
    return new Model(engine, importOnnx(bytes, source));
  }

  /** From JSON text or a parsed object. */
  static fromJson(engine: Engine, json: string | unknown, source = 'model'): Model {
    return new Model(engine, parseModel(json, source));
  }

  get parameterCount(): number {
    return this.parameters.reduce((n, p) => n + p.size, 0);
  }

  /**
   * The forward pass on jets, with no reverse mode. The input jet stays the caller's; every
   * intermediate is released; the output is a new jet (never the input's buffer).
   */
  readonly forward: JetProgram = (x: Jet): Jet => {
    const y = this.run(new Streaming(), x, x.order);
    // A model of flatten layers only gives back a view of its input: the caller owns both.
    return y.buffer === x.buffer ? copyOf(y) : y;
  };

  /** The forward pass (no dropout) for inference: the same as forward. */
  predict(x: Jet): Jet {
    return this.forward(x);
  }

  /**
   * The forward pass recorded on `tape` for reverse mode. The input stays the caller's; the tape
   * owns every jet it produced. With `dropoutSeed` (a u32, fresh per step) the dropout layers
   * are active. `order` ≥ x.order is the order of the output: x stands for the jet of that order
   * whose coefficients above x.order are zero. The layers that keep such zeros zero (keepsOrder)
   * run at x.order; the jet is raised to `order` before the first one that does not, or at the
   * end. The result is the same as for the padded input, at a fraction of the cost: a relu CNN
   * under CRR (c_0, c_1 given, the loss wanted at order 4) runs every layer at order 1.
   */
  record(tape: Recorder, x: Jet, options: RecordOptions = {}): Jet {
    const order = options.order ?? x.order;
    if (order < x.order) throw new JetcurveError(`the forward pass was asked for order ${order}, below its input's order ${x.order}`, 'ask for an order at least the input\'s');
    if (options.training && order > 0 && this.buffers.length > 0) {
      throw new JetcurveError(`training a model with BatchNorm layers runs at order 0; this pass asks for order ${order}`,
        'train BatchNorm models without CRR (its penalty needs higher orders, which BatchNorm\'s batch statistics do not have here)');
    }
    const y = this.run(tape, x, order, options);
    if (y.buffer === x.buffer) throw new JetcurveError('the network has no layer that computes anything', 'add a dense or conv2d layer');
    return y;
  }

  /** Jets of the model at points along directions; coefficients [point][k][output] in f64. */
  async jets(request: ModelJetRequest): Promise<JetResult> {
    this.live();
    const size = featureCount(this.inputShape);
    const points = flattenRows(request.points, size, 'point');
    const directions = matchDirections(points, flattenRows(request.directions, size, 'direction'), size);
    return evaluateJets(this.engine, this.forward, {
      points, directions, inputShape: this.inputShape, order: request.order,
      ...(request.scale !== undefined ? { scale: request.scale } : {}),
    });
  }

  /** The model file's content with the current weights. */
  async toSpec(meta?: Readonly<Record<string, unknown>>): Promise<ModelSpec> {
    const values = await this.readParameters();
    const state = await this.readBuffers();
    let next = 0;
    let nextState = 0;
    const take = (shape: readonly number[]) => tensor(shape, values[next++]!);
    const takeState = (shape: readonly number[]) => tensor(shape, state[nextState++]!);
    const layers = this.spec.layers.map((layer): Layer => {
      if (layer.type === 'dense') return { type: 'dense', weight: take(layer.weight.shape), bias: take(layer.bias.shape) };
      if (layer.type === 'conv2d') return { ...layer, weight: take(layer.weight.shape), bias: take(layer.bias.shape) };
      if (layer.type === 'batchnorm') {
        return { ...layer, weight: take(layer.weight.shape), bias: take(layer.bias.shape), runningMean: takeState(layer.runningMean.shape), runningVar: takeState(layer.runningVar.shape) };
      }
      return layer;
    });
    return { input: this.spec.input, layers, ...(meta ?? this.spec.meta ? { meta: meta ?? this.spec.meta } : {}) };
  }

  async readParameters(): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const p of this.parameters) out.push(await p.read());
    return out;
  }

  /** BatchNorm's running statistics, in layer order (empty without BatchNorm). */
  async readBuffers(): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const b of this.buffers) out.push(await b.read());
    return out;
  }

  writeBuffers(values: readonly Float32Array[]): void {
    if (values.length !== this.buffers.length) {
      throw new JetcurveError(`${values.length} state tensors (BatchNorm running statistics) for a network of ${this.buffers.length}`, 'load the state of the same architecture');
    }
    this.buffers.forEach((b, i) => b.write(values[i]!));
  }

  writeParameters(values: readonly Float32Array[]): void {
    if (values.length !== this.parameters.length) {
      throw new JetcurveError(`${values.length} parameter tensors for a network of ${this.parameters.length}`, 'load parameters of the same architecture');
    }
    this.parameters.forEach((p, i) => p.write(values[i]!));
  }

  zeroGrads(): void {
    for (const p of this.parameters) p.zeroGrad();
  }

  /** Returns the weight (and gradient) buffers to the engine's pool. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    for (const p of [...this.parameters, ...this.buffers]) p.release();
  }

  /** The same as destroy(). */
  release(): void {
    this.destroy();
  }

  private live(): void {
    if (this.destroyed) throw new Error('model used after destroy()');
  }

  private run(recorder: Recorder, x: Jet, order: number, options: RecordOptions = {}): Jet {
    this.live();
    if (x.features !== featureCount(this.inputShape)) {
      throw new JetcurveError(`the model takes inputs of shape ${this.inputShape.join('×')}, the jet has ${x.shape.join('×')}`,
        `give each point ${featureCount(this.inputShape)} numbers`);
    }
    // A view of the caller's buffer in the model's input shape; never released or recorded.
    const input = new Jet(x.engine, x.buffer, x.rows, x.order, this.inputShape);
    const isInput = (h: Jet) => h.buffer === x.buffer;
    const ops = this.layerOps(recorder, order, isInput, options);
    const y = interpret(this.spec, this.shapes, input, ops);
    return y.order < order ? raiseOrder(recorder, y, order) : y;
  }

  /** The GPU's LayerOps: each layer raised to `order` first when it fills higher orders, then dropout after it. */
  private layerOps(recorder: Recorder, order: number, isInput: (h: Jet) => boolean, options: RecordOptions): LayerOps<Jet> {
    const dropoutSeed = options.dropoutSeed;
    const params = (i: number) => this.layerParameters.get(i)!;
    const step = (type: Layer['type'], index: number, h: Jet, apply: (h: Jet) => Jet): Jet => {
      const raised = h.order < order && !keepsOrder(type) ? raiseOrder(recorder, h, order) : h;
      return this.dropoutAfterLayer(recorder, index, apply(raised), dropoutSeed);
    };
    return {
      dense: (h, _layer, i) => step('dense', i, h, (x) => differentiable.dense(recorder, x, params(i) as DenseParameters)),
      conv2d: (h, _layer, i) => step('conv2d', i, h, (x) => differentiable.conv2d(recorder, x, params(i) as Conv2dParameters)),
      maxpool2d: (h, layer, i) => step('maxpool2d', i, h, (x) => differentiable.maxpool2d(recorder, x, { size: layer.size, stride: layer.stride })),
      batchnorm: (h, _layer, i) => step('batchnorm', i, h, (x) => options.training
        ? differentiable.batchnormTrain(recorder, x, params(i) as BatchNormParameters)
        : differentiable.batchnorm(recorder, x, params(i) as BatchNormParameters)),
      // Flatten moves no data (the layout is row-major). A view of the caller's input is not
      // recorded (the recorder would hand its buffer back to the pool).
      flatten: (h, shape, i) => step('flatten', i, h, (x) => (isInput(x) ? new Jet(x.engine, x.buffer, x.rows, x.order, shape) : flatten(recorder, x))),
      activation: (h, type: ActivationType, i) => step(type, i, h, (x) => activation(type).record(recorder, x)),
    };
  }

  private dropoutAfterLayer(recorder: Recorder, index: number, h: Jet, dropoutSeed?: number): Jet {
    const rate = this.dropoutAfter.get(index);
    if (rate === undefined || dropoutSeed === undefined) return h;
    // One mask per layer and step: the layer index is mixed into the seed.
    const seed = (dropoutSeed ^ Math.imul(index + 1, 0x9e3779b9)) >>> 0;
    return recorder.record([h], dropout(h, rate, seed), (ybar) => [dropout(ybar, rate, seed)]);
  }
}

// A model of flatten layers only gives back its input; a copy keeps ownership simple.
function copyOf(x: Jet): Jet {
  const y = Jet.empty(x.engine, x.rows, x.order, x.shape);
  const encoder = x.engine.device.createCommandEncoder();
  encoder.copyBufferToBuffer(x.buffer, 0, y.buffer, 0, x.length * 4);
  x.engine.flush();
  x.engine.device.queue.submit([encoder.finish()]);
  return y;
}
