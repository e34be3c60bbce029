// Nested first-order forward mode on jetcurve's kernels: L nested dual numbers (a dual over a
// dual over …) hold 2^L hyper-dual components, laid on the jet's coefficient axis (S as a
// bitmask, ∅ first). dense and conv2d are linear and add their bias to component ∅ only (= order
// 0), relu and max-pool decide by component ∅ (their leading coefficient): all four kernels
// apply unchanged to a jet of "order" 2^L − 1. tanh takes the hyper-dual rule (hyperdual.wgsl).
// The n-th derivative along v is component {ε_1..ε_n} = 2^n − 1, so one pass gives n = 1..L.
import { conv2d, type Conv2dWeights } from '../kernels/conv2d.js';
import { dense, type DenseWeights } from '../kernels/dense.js';
import { maxpool2d } from '../kernels/maxpool2d.js';
import { relu } from '../kernels/relu.js';
import type { Engine } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { inferShapes } from '../src/model/shapes.js';
import type { ModelSpec } from '../src/model/spec.js';
import wgsl from './hyperdual.wgsl';

const hyperdualTanh = { name: 'hyperdual', wgsl, entryPoint: 'hyperdual_tanh' } as const;

export function tanhHyperdual(x: Jet): Jet {
  const y = Jet.empty(x.engine, x.rows, x.order, x.shape);
  const scratch = x.engine.pool.acquire(x.length * 4);
  x.engine.dispatch(hyperdualTanh, { x: x.buffer, y: y.buffer, d: scratch },
    { rows: x.rows, components: x.order + 1, features: x.features }, x.rows * x.features);
  x.engine.pool.release(scratch);
  return y;
}

export type Step = (x: Jet) => Jet;

/** A model spec's layers on jetcurve's kernels, with tanh swapped for `tanhKernel`. */
export class KernelNet {
  /** One function per layer of the spec (flatten: a view of its input, to be neither timed nor released). */
  readonly steps: readonly Step[];
  private readonly buffers: GPUBuffer[] = [];

  constructor(readonly engine: Engine, readonly spec: ModelSpec, tanhKernel: Step) {
    const shapes = inferShapes(spec);
    this.steps = spec.layers.map((layer, i): Step => {
      switch (layer.type) {
        case 'dense': {
          const [outputs, inputs] = layer.weight.shape as [number, number];
          const p: DenseWeights = { weight: this.upload(layer.weight.data), bias: this.upload(layer.bias.data), inputs, outputs, order: 0 };
          return (x) => dense(x, p);
        }
        case 'conv2d': {
          const [outChannels, inChannels, kernelH, kernelW] = layer.weight.shape as [number, number, number, number];
          const p: Conv2dWeights = { weight: this.upload(layer.weight.data), bias: this.upload(layer.bias.data),
            inChannels, outChannels, kernelH, kernelW, stride: layer.stride, padding: layer.padding };
          return (x) => conv2d(x, p);
        }
        case 'maxpool2d': return (x) => maxpool2d(x, layer);
        case 'flatten': return (x) => new Jet(x.engine, x.buffer, x.rows, x.order, shapes[i + 1]!);
        case 'relu': return relu;
        case 'tanh': return tanhKernel;
        default: throw new Error(`the bench networks have no ${layer.type} layer`);
      }
    });
  }

  /** The forward pass; the input stays the caller's. */
  forward(x: Jet): Jet {
    let h = x;
    for (const step of this.steps) {
      const next = step(h);
      // flatten is a view of the same buffer; every other step makes a new jet.
      if (h !== x && next.buffer !== h.buffer) h.release();
      h = next;
    }
    return h;
  }

  private upload(data: Float32Array): GPUBuffer {
    const b = this.engine.upload(data);
    this.buffers.push(b);
    return b;
  }

  destroy(): void {
    for (const b of this.buffers) this.engine.pool.release(b);
  }
}

export class NestedDualNet {
  private readonly net: KernelNet;

  constructor(readonly engine: Engine, readonly spec: ModelSpec) {
    this.net = new KernelNet(engine, spec, tanhHyperdual);
  }

  /** The hyper-dual input: component ∅ the point, each ε_i the direction. */
  input(points: Float32Array, directions: Float32Array, batch: number, levels: number): Jet {
    const size = points.length / batch;
    const components = 2 ** levels;
    const data = new Float32Array(batch * components * size);
    for (let p = 0; p < batch; p++) {
      const row = p * components * size;
      data.set(points.subarray(p * size, (p + 1) * size), row);
      for (let i = 0; i < levels; i++) data.set(directions.subarray(p * size, (p + 1) * size), row + (2 ** i) * size);
    }
    return Jet.fromArray(this.engine, data, batch, components - 1, this.spec.input);
  }

  /** One pass; returns [order n-1][point][output] of the n-th derivative, n = 1..levels. */
  async derivatives(x: Jet, levels: number): Promise<Float32Array[]> {
    const h = this.net.forward(x);
    const out = await h.read();
    h.release();
    const outputs = h.features;
    const components = 2 ** levels;
    return Array.from({ length: levels }, (_, i) => {
      const s = 2 ** (i + 1) - 1;
      const d = new Float32Array(x.rows * outputs);
      for (let p = 0; p < x.rows; p++) d.set(out.subarray((p * components + s) * outputs, (p * components + s + 1) * outputs), p * outputs);
      return d;
    });
  }

  destroy(): void {
    this.net.destroy();
  }
}
