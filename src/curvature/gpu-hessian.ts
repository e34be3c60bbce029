// Hessian-vector products of a network's mean loss (cross-entropy or squared error) on the GPU, by reverse mode through
// an order-1 jet in PARAMETER space. With every weight a jet W(t) = W + t·V (V the direction's
// part for that tensor) and the inputs constant, the loss along the line is
//   L(θ + t·v) = L(θ) + t·∇L(θ)·v + …,   so c₁ = ∇L·v.
// The cotangent of c₁ alone, taken back through the same jet kernels, lands in each weight's
// order-0 slot as ∂c₁/∂W = (H·v)_W and in its order-1 slot as ∂c₁/∂V = ∇L_W: one pass gives the
// product and the gradient, exactly (no difference quotient), with f32 rounding only.
//
// The layers covered are the ones whose kernels take jet weights: dense, with any activation of
// the registry and flatten between. conv2d and batchnorm are refused by name until their
// kernels take weights of order 1.
import { dense, denseVjp } from '../../kernels/dense.js';
import { activation } from '../../kernels/index.js';
import { uploadLabels } from '../../kernels/softmax-xent.js';
import { differentiable, flatten } from '../autodiff/ops.js';
import { Streaming, Tape, type Recorder } from '../autodiff/tape.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { Jet } from '../jet/jet.js';
import { featureCount } from '../jet/layout.js';
import { interpret } from '../model/interpret.js';
import type { Model } from '../model/model.js';
import { layerName } from '../model/spec.js';
import type { ParameterBlock, SymmetricOperator } from './operator.js';

/** One dense layer's tensors in the parameter vector, and its order-1 weight and gradient buffers. */
interface DenseSlot {
  readonly index: number;
  readonly inputs: number;
  readonly outputs: number;
  /** Offsets of its weight and bias in the parameter vector. */
  readonly weightOffset: number;
  readonly biasOffset: number;
}

/**
 * `xent`: the mean softmax cross-entropy with the labels; `mse`: the squared error
 * (1/2N)·Σ‖f(x) − y‖² of the logits against one-hot labels.
 */
export type HessianLoss = 'xent' | 'mse';

/** One-hot targets as a jet of the logits' shape: c₀ = e_label, every higher order 0 (they do not move with t). */
function oneHot(engine: Engine, labels: Uint32Array, rows: number, order: number, classes: number): Jet {
  const data = new Float32Array(rows * (order + 1) * classes);
  for (let r = 0; r < rows; r++) data[r * (order + 1) * classes + labels[r]!] = 1;
  return Jet.fromArray(engine, data, rows, order, [classes]);
}

/** ½‖z − y‖² per row, from the registry's ops (sub, mul, sumFeatures, scale); y gets no cotangent. */
function squaredError(recorder: Recorder, z: Jet, y: Jet): Jet {
  const d = differentiable.sub(recorder, z, y);
  return differentiable.scale(recorder, differentiable.sumFeatures(recorder, differentiable.mul(recorder, d, d)), 0.5);
}

export interface HessianPass {
  /** H·v. */
  readonly hv: Float64Array;
  /** ∇L (the same for every v). */
  readonly gradient: Float64Array;
  /** L(θ), the mean cross-entropy. */
  readonly loss: number;
}

/**
 * The Hessian of the mean cross-entropy of `model` over the points `inputs` (row-major
 * [points][input size]) with class labels `labels`, as an operator on the model's parameter
 * vector (layer by layer, weight [out][in] then bias: the order of Model.parameters).
 */
export class GpuHessian implements SymmetricOperator {
  readonly size: number;
  readonly blocks: readonly ParameterBlock[];
  private readonly slots: readonly DenseSlot[];
  private readonly theta: Float32Array;
  private readonly engine: Engine;
  private readonly points: number;

  private constructor(private readonly model: Model, theta: Float32Array, private readonly inputs: Float32Array, private readonly labels: Uint32Array,
    readonly loss: HessianLoss) {
    this.engine = model.engine;
    this.theta = theta;
    this.size = theta.length;
    const slots: DenseSlot[] = [];
    const blocks: ParameterBlock[] = [];
    let offset = 0;
    model.spec.layers.forEach((layer, i) => {
      if (layer.type === 'dense') {
        const [outputs, inputs] = layer.weight.shape as [number, number];
        slots.push({ index: i, inputs, outputs, weightOffset: offset, biasOffset: offset + outputs * inputs });
        blocks.push({ name: `layer${i}.weight`, offset, size: outputs * inputs }, { name: `layer${i}.bias`, offset: offset + outputs * inputs, size: outputs });
        offset += outputs * inputs + outputs;
      } else if (layer.type === 'conv2d' || layer.type === 'batchnorm') {
        throw new JetcurveError(`${layerName(i, layer.type)}: Hessian-vector products on the GPU take dense layers and activations only for now`,
          'measure parameter-space curvature of an MLP; conv2d and batchnorm kernels do not take weights of order 1 yet');
      } else if (layer.type === 'maxpool2d') {
        throw new JetcurveError(`${layerName(i, layer.type)}: Hessian-vector products on the GPU take dense layers and activations only for now`, 'use an MLP');
      }
    });
    this.slots = slots;
    this.blocks = blocks;
    this.points = labels.length;
  }

  /** Reads the model's weights once (they stay as they are while the operator is used). */
  static async of(model: Model, inputs: ArrayLike<number>, labels: ArrayLike<number>, loss: HessianLoss = 'xent'): Promise<GpuHessian> {
    const size = featureCount(model.inputShape);
    const n = labels.length;
    if (n === 0 || inputs.length !== n * size) {
      throw new JetcurveError(`${n} labels need ${n * size} input values (${size} per point), got ${inputs.length}`, 'pass one row of inputs per label');
    }
    const values = await model.readParameters();
    const theta = new Float32Array(values.reduce((s, v) => s + v.length, 0));
    let at = 0;
    for (const v of values) {
      theta.set(v, at);
      at += v.length;
    }
    return new GpuHessian(model, theta, Float32Array.from(inputs), Uint32Array.from(labels), loss);
  }

  async apply(vectors: readonly Float64Array[]): Promise<Float64Array[]> {
    return (await this.passes(vectors)).map((p) => p.hv);
  }

  /** H·v, ∇L and L from one pass. */
  async pass(v: Float64Array): Promise<HessianPass> {
    return (await this.passes([v]))[0]!;
  }

  /**
   * One pass per vector, all recorded before anything is read back: the GPU runs them back to
   * back and the host waits once. Each pass's buffers go back to the pool as soon as its reads
   * are queued (the pool hands them only to later work, which the queue orders after).
   */
  async passes(vectors: readonly Float64Array[]): Promise<HessianPass[]> {
    const n = this.points;
    // The cotangent of c₁ of the mean loss: 1/n on every row's order-1 coefficient.
    const seedData = new Float32Array(n * 2);
    for (let r = 0; r < n; r++) seedData[r * 2 + 1] = 1 / n;
    const pending = vectors.map((v) => {
      const tape = new Tape();
      const run = this.record(tape, v, 1, true);
      try {
        const values = run.loss.read();
        const seed = Jet.fromArray(this.engine, seedData, n, 1, [1]);
        tape.backward(run.loss, seed);
        seed.release();
        const grads = run.weights.map(({ slot, grads: g }) => ({
          slot, weight: this.engine.read(g.weight, 2 * slot.outputs * slot.inputs * 4), bias: this.engine.read(g.bias, 2 * slot.outputs * 4),
        }));
        return { values, grads };
      } finally {
        tape.release();
        run.release();
      }
    });
    const out: HessianPass[] = [];
    for (const { values, grads } of pending) {
      const hv = new Float64Array(this.size);
      const gradient = new Float64Array(this.size);
      for (const g of grads) {
        const { slot } = g;
        const w = slot.outputs * slot.inputs;
        const [gw, gb] = [await g.weight, await g.bias];
        for (let i = 0; i < w; i++) { hv[slot.weightOffset + i] = gw[i]!; gradient[slot.weightOffset + i] = gw[w + i]!; }
        for (let i = 0; i < slot.outputs; i++) { hv[slot.biasOffset + i] = gb[i]!; gradient[slot.biasOffset + i] = gb[slot.outputs + i]!; }
      }
      const loss = await values;
      let sum = 0;
      for (let r = 0; r < n; r++) sum += loss[r * 2]!;
      out.push({ hv, gradient, loss: sum / n });
    }
    return out;
  }

  /**
   * The normalized Taylor coefficients c₀..c_K of t ↦ L(θ + t·s·v) (the mean loss), computed
   * with the weights as order-1 jets and the inputs as order-K jets with only c₀ (every
   * coefficient comes out of the jet kernels); the host divides by sᵏ.
   */
  async lossSeries(v: Float64Array, order: number, scale = 1): Promise<Float64Array> {
    const recorder = new Streaming();
    const run = this.record(recorder, Float64Array.from(v, (x) => x * scale), order, false);
    try {
      const values = await run.loss.read();
      run.loss.release();
      const n = this.points;
      const c = new Float64Array(order + 1);
      for (let r = 0; r < n; r++) for (let k = 0; k <= order; k++) c[k]! += values[r * (order + 1) + k]! / n;
      for (let k = 1; k <= order; k++) c[k]! /= scale ** k;
      return c;
    } finally {
      run.release();
    }
  }

  /** The pass along v on `recorder`: inputs of order `order` (c₀ only), weights W + t·V. */
  private record(recorder: Recorder, v: Float64Array, order: number, withGrads: boolean) {
    if (v.length !== this.size) throw new JetcurveError(`a vector of length ${v.length} for ${this.size} parameters`, `pass vectors of length ${this.size}`);
    const engine = this.engine;
    const n = this.points;
    const size = featureCount(this.model.inputShape);
    const x = new Float32Array(n * (order + 1) * size);
    for (let r = 0; r < n; r++) x.set(this.inputs.subarray(r * size, (r + 1) * size), r * (order + 1) * size);
    const input = Jet.fromArray(engine, x, n, order, this.model.inputShape);
    const labels = uploadLabels(engine, this.labels, featureCount(this.model.outputShape));
    const owned: GPUBuffer[] = [labels];
    const buffer = (data: Float32Array) => { const b = engine.upload(data); owned.push(b); return b; };
    const weights = this.slots.map((s) => {
      const w = s.outputs * s.inputs;
      const jetWeight = new Float32Array(2 * w);
      const jetBias = new Float32Array(2 * s.outputs);
      jetWeight.set(this.theta.subarray(s.weightOffset, s.weightOffset + w));
      jetBias.set(this.theta.subarray(s.biasOffset, s.biasOffset + s.outputs));
      for (let i = 0; i < w; i++) jetWeight[w + i] = v[s.weightOffset + i]!;
      for (let i = 0; i < s.outputs; i++) jetBias[s.outputs + i] = v[s.biasOffset + i]!;
      const grads = withGrads ? { weight: buffer(new Float32Array(2 * w)), bias: buffer(new Float32Array(2 * s.outputs)) } : null;
      return { slot: s, params: { weight: buffer(jetWeight), bias: buffer(jetBias), inputs: s.inputs, outputs: s.outputs, order: 1 }, grads: grads! };
    });
    const byLayer = new Map(weights.map((w) => [w.slot.index, w]));
    const isInput = (h: Jet) => h.buffer === input.buffer;
    // Only dense layers take jet weights; the constructor refused the others.
    const refused = (): never => { throw new Error('unreachable: refused in the constructor'); };
    const h = interpret<Jet>(this.model.spec, this.model.shapes, new Jet(engine, input.buffer, n, order, this.model.inputShape), {
      dense: (x, _layer, i) => {
        const { params, grads } = byLayer.get(i)!;
        return recorder.record([x], dense(x, params), (ybar, [needX]) => [denseVjp(x, ybar, params, grads, needX)]);
      },
      conv2d: refused, maxpool2d: refused, batchnorm: refused,
      // A view of the input is not recorded (the recorder would hand its buffer back to the pool).
      flatten: (x, shape) => (isInput(x) ? new Jet(engine, x.buffer, n, order, shape) : flatten(recorder, x)),
      activation: (x, type) => activation(type).record(recorder, x),
    });
    const targets = this.loss === 'mse' ? oneHot(engine, this.labels, n, order, h.features) : null;
    const loss = targets ? squaredError(recorder, h, targets) : differentiable.softmaxCrossEntropy(recorder, h, labels);
    return {
      loss, weights,
      release: () => {
        input.release();
        targets?.release();
        for (const b of owned) engine.pool.release(b);
      },
    };
  }
}
