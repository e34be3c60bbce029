// A trainable network: the layers of a model spec with their weights as Parameters (value and
// gradient buffers on the GPU). forward() records on a tape for reverse mode; predict() is the
// same pass without a tape; toSpec() gives back the model file's content. Dropout is a
// training-only step after given layers: the model file has no dropout layer (at inference
// it is the identity), so it lives beside the spec, not in it.
import { conv2d } from '../../kernels/conv2d.js';
import { dense } from '../../kernels/dense.js';
import { dropout } from '../../kernels/dropout.js';
import { maxpool2d } from '../../kernels/maxpool2d.js';
import { activation } from '../../kernels/index.js';
import { differentiable, flatten, raiseOrder, type Conv2dParameters, type DenseParameters } from '../autodiff/ops.js';
import { Parameter } from '../autodiff/parameter.js';
import type { Tape } from '../autodiff/tape.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { Jet } from '../jet/jet.js';
import { featureCount } from '../jet/layout.js';
import { inferShapes } from '../model/shapes.js';
import type { ActivationType, Layer, ModelSpec } from '../model/spec.js';
import { tensor } from '../model/tensor.js';

/** Dropout with probability `rate` applied to the output of layer `after` while training. */
export interface DropoutAt {
  readonly after: number;
  readonly rate: number;
}

type TrainLayer =
  | { readonly type: 'dense'; readonly params: DenseParameters }
  | { readonly type: 'conv2d'; readonly params: Conv2dParameters }
  | { readonly type: 'maxpool2d'; readonly size: number; readonly stride: number }
  | { readonly type: 'flatten'; readonly shape: readonly number[] }
  | { readonly type: ActivationType };

/**
 * Layers that map a jet whose coefficients above d are all zero to another such jet: the linear
 * ones and the piecewise-linear ones (max-pool, and activations whose op says keepsOrder: relu
 * picks or zeroes whole series). tanh and sigmoid fill every order. Exact in f32 too: the zeros
 * are never computed into anything.
 */
function keepsOrder(type: TrainLayer['type']): boolean {
  switch (type) {
    case 'dense': case 'conv2d': case 'maxpool2d': case 'flatten': return true;
    default: return activation(type).keepsOrder;
  }
}

export class Network {
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Every trainable tensor, in layer order (weight, then bias). */
  readonly parameters: readonly Parameter[];
  private readonly layers: readonly TrainLayer[];
  private readonly dropoutAfter: ReadonlyMap<number, number>;

  constructor(readonly engine: Engine, readonly spec: ModelSpec, readonly dropoutPlan: readonly DropoutAt[] = []) {
    const shapes = inferShapes(spec);
    this.inputShape = shapes[0]!;
    this.outputShape = shapes[shapes.length - 1]!;
    for (const d of dropoutPlan) {
      if (!(d.rate >= 0 && d.rate < 1) || !Number.isInteger(d.after) || d.after < 0 || d.after >= spec.layers.length) {
        throw new JetcurveError(`dropout after layer ${d.after} with rate ${d.rate}: expected a layer index and a rate in [0, 1)`);
      }
    }
    this.dropoutAfter = new Map(dropoutPlan.filter((d) => d.rate > 0).map((d) => [d.after, d.rate]));
    const parameters: Parameter[] = [];
    const param = (name: string, shape: readonly number[], data: Float32Array): Parameter => {
      const p = new Parameter(engine, name, shape, data);
      parameters.push(p);
      return p;
    };
    this.layers = spec.layers.map((layer, i): TrainLayer => {
      switch (layer.type) {
        case 'dense': {
          const [outputs, inputs] = layer.weight.shape as [number, number];
          const weight = param(`layer${i}.weight`, layer.weight.shape, layer.weight.data);
          return { type: 'dense', params: { weight, bias: param(`layer${i}.bias`, layer.bias.shape, layer.bias.data), inputs, outputs } };
        }
        case 'conv2d': {
          const [outChannels, inChannels, kernelH, kernelW] = layer.weight.shape as [number, number, number, number];
          const weight = param(`layer${i}.weight`, layer.weight.shape, layer.weight.data);
          const bias = param(`layer${i}.bias`, layer.bias.shape, layer.bias.data);
          return { type: 'conv2d', params: { weight, bias, inChannels, outChannels, kernelH, kernelW, stride: layer.stride, padding: layer.padding } };
        }
        case 'maxpool2d': return { type: 'maxpool2d', size: layer.size, stride: layer.stride };
        case 'flatten': return { type: 'flatten', shape: shapes[i + 1]! };
        default: return { type: layer.type };
      }
    });
    this.parameters = parameters;
  }

  get parameterCount(): number {
    return this.parameters.reduce((n, p) => n + p.size, 0);
  }

  /**
   * The forward pass recorded on `tape`. The input stays the caller's; the tape owns every jet
   * it produced. With `dropoutSeed` (a u32, fresh per step) the dropout layers are active.
   * `order` ≥ x.order is the order of the output: x stands for the jet of that order whose
   * coefficients above x.order are zero. The layers that keep such zeros zero (keepsOrder) run at
   * x.order; the jet is raised to `order` before the first one that does not, or at the end.
   * The result is the same as for the padded input, at a fraction of the cost: a relu CNN
   * under CRR (c_0, c_1 given, the loss wanted at order 4) runs every layer at order 1.
   */
  forward(tape: Tape, x: Jet, dropoutSeed?: number, order = x.order): Jet {
    this.checkInput(x);
    if (order < x.order) throw new JetcurveError(`the forward pass was asked for order ${order}, below its input's order ${x.order}`, 'ask for an order at least the input\'s');
    let h = new Jet(x.engine, x.buffer, x.rows, x.order, this.inputShape);
    let isInput = true;
    this.layers.forEach((layer, i) => {
      if (h.order < order && !keepsOrder(layer.type)) {
        h = raiseOrder(tape, h, order);
        isInput = false;
      }
      switch (layer.type) {
        case 'dense': h = differentiable.dense(tape, h, layer.params); break;
        case 'conv2d': h = differentiable.conv2d(tape, h, layer.params); break;
        case 'maxpool2d': h = differentiable.maxpool2d(tape, h, { size: layer.size, stride: layer.stride }); break;
        // A view of the caller's input is not recorded (the tape would hand its buffer back to the pool).
        case 'flatten': h = isInput ? new Jet(h.engine, h.buffer, h.rows, h.order, layer.shape) : flatten(tape, h); break;
        default: h = differentiable[layer.type](tape, h);
      }
      isInput &&= layer.type === 'flatten';
      const rate = this.dropoutAfter.get(i);
      if (rate !== undefined && dropoutSeed !== undefined) {
        // One mask per layer and step: the layer index is mixed into the seed.
        const seed = (dropoutSeed ^ Math.imul(i + 1, 0x9e3779b9)) >>> 0;
        const input = h;
        h = tape.record([input], dropout(input, rate, seed), (ybar) => [dropout(ybar, rate, seed)]);
        isInput = false;
      }
    });
    if (isInput) throw new JetcurveError('the network has no layer that computes anything', 'add a dense or conv2d layer');
    return h.order < order ? raiseOrder(tape, h, order) : h;
  }

  /** Inference: the same pass without a tape (no dropout). The input stays the caller's; the output is new. */
  predict(x: Jet): Jet {
    this.checkInput(x);
    let h = new Jet(x.engine, x.buffer, x.rows, x.order, this.inputShape);
    let owned = false;
    for (const layer of this.layers) {
      let next: Jet;
      switch (layer.type) {
        case 'dense': next = dense(h, { weight: layer.params.weight.value, bias: layer.params.bias.value, inputs: layer.params.inputs, outputs: layer.params.outputs, order: 0 }); break;
        case 'conv2d': {
          const p = layer.params;
          next = conv2d(h, { ...p, weight: p.weight.value, bias: p.bias.value });
          break;
        }
        case 'maxpool2d': next = maxpool2d(h, layer); break;
        case 'flatten':
          h = owned ? h.reshape(layer.shape) : new Jet(h.engine, h.buffer, h.rows, h.order, layer.shape);
          continue;
        default: next = activation(layer.type).forward(h);
      }
      if (owned) h.release();
      h = next;
      owned = true;
    }
    if (!owned) throw new JetcurveError('the network has no layer that computes anything', 'add a dense or conv2d layer');
    return h;
  }

  /** The model file's content with the current weights. */
  async toSpec(meta?: Readonly<Record<string, unknown>>): Promise<ModelSpec> {
    const values = await this.readParameters();
    let next = 0;
    const take = (shape: readonly number[]) => tensor(shape, values[next++]!);
    const layers = this.spec.layers.map((layer): Layer => {
      if (layer.type === 'dense') return { type: 'dense', weight: take(layer.weight.shape), bias: take(layer.bias.shape) };
      if (layer.type === 'conv2d') return { ...layer, weight: take(layer.weight.shape), bias: take(layer.bias.shape) };
      return layer;
    });
    return { input: this.spec.input, layers, ...(meta ?? this.spec.meta ? { meta: meta ?? this.spec.meta } : {}) };
  }

  async readParameters(): Promise<Float32Array[]> {
    const out: Float32Array[] = [];
    for (const p of this.parameters) out.push(await p.read());
    return out;
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

  release(): void {
    for (const p of this.parameters) p.release();
  }

  private checkInput(x: Jet): void {
    if (x.features !== featureCount(this.inputShape)) {
      throw new JetcurveError(`the network takes inputs of shape ${this.inputShape.join('×')}, the jet has ${x.shape.join('×')}`,
        `give each point ${featureCount(this.inputShape)} numbers`);
    }
  }
}
