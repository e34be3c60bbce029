// A model's layers on the GPU with every parameter a jet θ + t·v: the forward pass along a line
// in parameter space, recorded for reverse mode. The layers with parameters are linear in them,
// so along the line each is
//   f(x(t); θ + t·v) = f(x(t); θ) + t·f(x(t); v)      (t· shifts every coefficient up one order)
// — the product rule W(t)·x(t) = W·x + t·(V·x + W·ẋ) for dense and conv2d, and the same for
// BatchNorm (eval) with its weight and bias tangents; the bias of f(x; v) is v's bias part. The
// reverse pass of that sum sends ȳ to f(·; θ)'s VJP (whose parameter cotangents are ∂/∂θ) and
// ȳ shifted down one order to f(·; v)'s VJP (∂/∂v). Dense kernels take order-1 weights natively
// and use them; conv2d and BatchNorm apply their own kernels twice. The other layers (max-pool,
// flatten, activations) have no parameters and are the model's jet ops.
import { add } from '../../kernels/arith.js';
import { batchnormEval, batchnormEvalVjp, type BatchNormWeights } from '../../kernels/batchnorm.js';
import { conv2d, conv2dVjp, type Conv2dWeights } from '../../kernels/conv2d.js';
import { dense, denseVjp } from '../../kernels/dense.js';
import { activation } from '../../kernels/index.js';
import { mul, mulVjpFactor } from '../../kernels/mul.js';
import { differentiable, flatten } from '../autodiff/ops.js';
import type { Recorder } from '../autodiff/recorder.js';
import type { Engine } from '../gpu/engine.js';
import { Jet } from '../jet/jet.js';
import { interpret } from '../model/interpret.js';
import type { Model } from '../model/model.js';
import type { ParameterLayout, ParameterTensor } from '../model/parameter-layout.js';

/** Where a tensor's ∂/∂θ (H·v when the loss's c₁ is differentiated) and ∂/∂v (∇L) land on the GPU. */
export interface TensorReadback {
  readonly tensor: ParameterTensor;
  readonly hv: { readonly buffer: GPUBuffer; readonly from: number };
  readonly gradient: { readonly buffer: GPUBuffer; readonly from: number };
}

export interface ParameterLineRun {
  /** The logits along the line, of the input's order. */
  readonly output: Jet;
  /** Empty without gradients. */
  readonly readbacks: readonly TensorReadback[];
  /** Returns every buffer the run made (not the output, which the recorder owns). */
  release(): void;
}

/**
 * The model at `input` (a jet the caller owns) with its parameters θ + t·v, recorded on
 * `recorder`. With `withGrads`, reverse mode adds each tensor's cotangents into the buffers of
 * `readbacks` (zero at first).
 */
export function recordParameterLine(recorder: Recorder, model: Model, layout: ParameterLayout, theta: Float32Array, v: Float32Array,
  input: Jet, withGrads: boolean): ParameterLineRun {
  const engine = model.engine;
  const owned: GPUBuffer[] = [];
  const constants: Jet[] = [];
  const readbacks: TensorReadback[] = [];
  const upload = (data: Float32Array) => { const b = engine.upload(data); owned.push(b); return b; };
  const zeros = (floats: number) => upload(new Float32Array(floats));
  const part = (values: Float32Array, t: ParameterTensor) => values.subarray(t.offset, t.offset + t.size);
  const tensorsOf = (layer: number) => {
    const [weight, bias] = ['weight', 'bias'].map((role) => layout.tensors.find((t) => t.layer === layer && t.role === role)!) as [ParameterTensor, ParameterTensor];
    return { weight, bias };
  };
  /** The jet t (c₁ = 1, every other coefficient 0) in y's shape: multiplying by it shifts one order up. */
  const shiftJet = (y: Jet): Jet => {
    const data = new Float32Array(y.length);
    if (y.order >= 1) for (let r = 0; r < y.rows; r++) data.fill(1, (r * (y.order + 1) + 1) * y.features, (r * (y.order + 1) + 2) * y.features);
    const t = Jet.fromArray(engine, data, y.rows, y.order, y.shape);
    constants.push(t);
    return t;
  };

  /**
   * A layer linear in its (weight, bias), run as f(x; θ) + t·f(x; v): `apply` runs it with the
   * given buffers, `vjp` is its reverse mode adding parameter cotangents into the grads given.
   */
  const alongLine = (x: Jet, layer: number, apply: (x: Jet, w: { weight: GPUBuffer; bias: GPUBuffer }) => Jet,
    vjp: (x: Jet, ybar: Jet, w: { weight: GPUBuffer; bias: GPUBuffer }, g: { weight: GPUBuffer; bias: GPUBuffer } | null, needX: boolean) => Jet | null): Jet => {
    const { weight, bias } = tensorsOf(layer);
    const at = { weight: upload(part(theta, weight)), bias: upload(part(theta, bias)) };
    const along = { weight: upload(part(v, weight)), bias: upload(part(v, bias)) };
    const grads = withGrads ? { at: { weight: zeros(weight.size), bias: zeros(bias.size) }, along: { weight: zeros(weight.size), bias: zeros(bias.size) } } : null;
    if (grads) {
      readbacks.push({ tensor: weight, hv: { buffer: grads.at.weight, from: 0 }, gradient: { buffer: grads.along.weight, from: 0 } },
        { tensor: bias, hv: { buffer: grads.at.bias, from: 0 }, gradient: { buffer: grads.along.bias, from: 0 } });
    }
    const a = apply(x, at);
    const b = apply(x, along);
    const t = shiftJet(b);
    const tb = mul(b, t);
    b.release();
    const y = add(a, tb);
    a.release();
    tb.release();
    return recorder.record([x], y, (ybar, [needX]) => {
      const down = mulVjpFactor(t, ybar);
      const xa = vjp(x, ybar, at, grads?.at ?? null, needX === true);
      const xb = vjp(x, down, along, grads?.along ?? null, needX === true);
      down.release();
      if (!xa || !xb) return [null];
      const xbar = add(xa, xb);
      xa.release();
      xb.release();
      return [xbar];
    });
  };

  const isInput = (h: Jet) => h.buffer === input.buffer;
  const output = interpret<Jet>(model.spec, model.shapes, input, {
    dense: (x, layer, i) => {
      // Dense kernels take weights of order 1 ([2][out][in]: θ then v) and give both cotangents in one buffer.
      const { weight, bias } = tensorsOf(i);
      const [outputs, inputs] = layer.weight.shape as [number, number];
      const jet = (t: ParameterTensor) => { const d = new Float32Array(2 * t.size); d.set(part(theta, t)); d.set(part(v, t), t.size); return upload(d); };
      const params = { weight: jet(weight), bias: jet(bias), inputs, outputs, order: 1 };
      const grads = withGrads ? { weight: zeros(2 * weight.size), bias: zeros(2 * bias.size) } : null;
      if (grads) {
        readbacks.push({ tensor: weight, hv: { buffer: grads.weight, from: 0 }, gradient: { buffer: grads.weight, from: weight.size } },
          { tensor: bias, hv: { buffer: grads.bias, from: 0 }, gradient: { buffer: grads.bias, from: bias.size } });
      }
      return recorder.record([x], dense(x, params), (ybar, [needX]) => [denseVjp(x, ybar, params, grads, needX)]);
    },
    conv2d: (x, layer, i) => {
      const [outChannels, inChannels, kernelH, kernelW] = layer.weight.shape as [number, number, number, number];
      const geometry = { inChannels, outChannels, kernelH, kernelW, stride: layer.stride, padding: layer.padding };
      const weights = (w: { weight: GPUBuffer; bias: GPUBuffer }): Conv2dWeights => ({ ...geometry, ...w });
      return alongLine(x, i, (h, w) => conv2d(h, weights(w)), (h, ybar, w, g, needX) => conv2dVjp(h, ybar, weights(w), g, needX));
    },
    batchnorm: (x, layer, i) => {
      const running = (name: string) => model.buffers.find((b) => b.name === `layer${i}.${name}`)!.value;
      const state = { runningMean: running('runningMean'), runningVar: running('runningVar'), channels: layer.weight.shape[0]!, eps: layer.eps, momentum: layer.momentum };
      const weights = (w: { weight: GPUBuffer; bias: GPUBuffer }): BatchNormWeights => ({ ...state, ...w });
      return alongLine(x, i, (h, w) => batchnormEval(h, weights(w)), (h, ybar, w, g, needX) => batchnormEvalVjp(h, ybar, weights(w), g, needX));
    },
    maxpool2d: (x, layer) => differentiable.maxpool2d(recorder, x, { size: layer.size, stride: layer.stride }),
    // A view of the input is not recorded (the recorder would hand its buffer back to the pool).
    flatten: (x, shape) => (isInput(x) ? new Jet(engine, x.buffer, x.rows, x.order, shape) : flatten(recorder, x)),
    activation: (x, type) => activation(type).record(recorder, x),
  });
  return {
    output, readbacks,
    release: () => {
      for (const t of constants) t.release();
      for (const b of owned) engine.pool.release(b);
    },
  };
}

/** Reads every tensor's H·v and ∇L parts into P-vectors (each buffer read once). */
export async function readParameterLine(engine: Engine, readbacks: readonly TensorReadback[], size: number): Promise<{ hv: Float64Array; gradient: Float64Array }> {
  const reads = new Map<GPUBuffer, Promise<Float32Array>>();
  const read = (buffer: GPUBuffer, floats: number) => {
    let r = reads.get(buffer);
    if (!r) { r = engine.read(buffer, floats * 4); reads.set(buffer, r); }
    return r;
  };
  // Queue every read before awaiting any: the host waits once.
  const queued = readbacks.map((rb) => ({
    rb, hv: read(rb.hv.buffer, rb.hv.from + rb.tensor.size + (rb.hv.buffer === rb.gradient.buffer ? rb.tensor.size : 0)),
    gradient: read(rb.gradient.buffer, rb.gradient.from + rb.tensor.size),
  }));
  const hv = new Float64Array(size);
  const gradient = new Float64Array(size);
  for (const { rb, hv: h, gradient: g } of queued) {
    const { offset, size: n } = rb.tensor;
    hv.set((await h).subarray(rb.hv.from, rb.hv.from + n), offset);
    gradient.set((await g).subarray(rb.gradient.from, rb.gradient.from + n), offset);
  }
  return { hv, gradient };
}
