// A model on the GPU: weights uploaded once, a forward pass on jets (a JetProgram), and jets
// at points along directions with the scaling of evaluateJets.
import { conv2d, type Conv2dWeights } from '../../kernels/conv2d.js';
import { dense, type DenseWeights } from '../../kernels/dense.js';
import { maxpool2d, type MaxPool2dOptions } from '../../kernels/maxpool2d.js';
import { activation } from '../../kernels/index.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { evaluateJets, type JetProgram, type JetResult } from '../jet/evaluate.js';
import { Jet } from '../jet/jet.js';
import { featureCount, sameShape } from '../jet/layout.js';
import { flattenRows, matchDirections, type Rows } from '../jet/rows.js';
import { parseModel } from './io.js';
import { inferShapes } from './shapes.js';
import { loadModel } from './source.js';
import type { ActivationType, ModelSpec } from './spec.js';

type GpuLayer =
  | { readonly type: 'dense'; readonly params: DenseWeights }
  | { readonly type: 'conv2d'; readonly params: Conv2dWeights }
  | { readonly type: 'maxpool2d'; readonly params: MaxPool2dOptions }
  | { readonly type: 'flatten'; readonly shape: readonly number[] }
  | { readonly type: ActivationType };

export interface ModelJetRequest {
  /** One input per point: flat row-major [points][inputSize], or an array of flattened inputs. */
  readonly points: Rows;
  /** One direction per point, or a single direction for all points. */
  readonly directions: Rows;
  readonly order: number;
  readonly scale?: 'auto' | number;
}

export class Model {
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** Feature shape after each layer; shapes[0] is the input. */
  readonly shapes: readonly (readonly number[])[];
  private layers: GpuLayer[] | null;

  constructor(readonly engine: Engine, readonly spec: ModelSpec) {
    this.shapes = inferShapes(spec);
    this.inputShape = this.shapes[0]!;
    this.outputShape = this.shapes[this.shapes.length - 1]!;
    this.layers = spec.layers.map((layer, i): GpuLayer => {
      switch (layer.type) {
        case 'dense': {
          const [outputs, inputs] = layer.weight.shape as [number, number];
          return { type: 'dense', params: { weight: engine.upload(layer.weight.data), bias: engine.upload(layer.bias.data), inputs, outputs, order: 0 } };
        }
        case 'conv2d': {
          const [outChannels, inChannels, kernelH, kernelW] = layer.weight.shape as [number, number, number, number];
          return { type: 'conv2d', params: {
            weight: engine.upload(layer.weight.data), bias: engine.upload(layer.bias.data),
            inChannels, outChannels, kernelH, kernelW, stride: layer.stride, padding: layer.padding,
          } };
        }
        case 'maxpool2d': return { type: 'maxpool2d', params: { size: layer.size, stride: layer.stride } };
        case 'flatten': return { type: 'flatten', shape: this.shapes[i + 1]! };
        default: return { type: layer.type };
      }
    });
  }

  static async fromFile(engine: Engine, path: string): Promise<Model> {
    return new Model(engine, await loadModel(path));
  }

  /** From JSON text or a parsed object. */
  static fromJson(engine: Engine, json: string | unknown, source = 'model'): Model {
    return new Model(engine, parseModel(json, source));
  }

  /** The forward pass on jets. The input jet stays the caller's; every intermediate is released. */
  readonly forward: JetProgram = (x: Jet): Jet => {
    const layers = this.live();
    if (!sameShape(x.shape, this.inputShape)) {
      if (x.features !== featureCount(this.inputShape)) {
        throw new JetcurveError(`the model takes inputs of shape ${this.inputShape.join('×')}, the jet has ${x.shape.join('×')}`,
          `give each point ${featureCount(this.inputShape)} numbers`);
      }
    }
    // A view of the caller's buffer in the model's input shape; never released here.
    let h = new Jet(x.engine, x.buffer, x.rows, x.order, this.inputShape);
    let owned = false;
    for (const layer of layers) {
      let next: Jet;
      switch (layer.type) {
        case 'dense': next = dense(h, layer.params); break;
        case 'conv2d': next = conv2d(h, layer.params); break;
        case 'maxpool2d': next = maxpool2d(h, layer.params); break;
        case 'flatten':
          // Flatten moves no data (the layout is row-major); an unowned view stays unowned.
          next = owned ? h.reshape(layer.shape) : new Jet(h.engine, h.buffer, h.rows, h.order, layer.shape);
          h = next;
          continue;
        default: next = activation(layer.type).forward(h);
      }
      if (owned) h.release();
      h = next;
      owned = true;
    }
    // The caller releases the output and its own input separately: they must not share a buffer.
    return owned ? h : copyOf(h);
  };

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

  /** Returns the weight buffers to the engine's pool. */
  destroy(): void {
    for (const layer of this.layers ?? []) {
      if (layer.type === 'dense' || layer.type === 'conv2d') {
        this.engine.pool.release(layer.params.weight);
        this.engine.pool.release(layer.params.bias);
      }
    }
    this.layers = null;
  }

  private live(): GpuLayer[] {
    if (!this.layers) throw new Error('model used after destroy()');
    return this.layers;
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
