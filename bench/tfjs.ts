// The TensorFlow.js baseline: a model file's network as TF.js ops, and its derivatives
// d^n/dt^n u·f(x + t·v), n = 1..K, by nesting tf.grad K times, on TF.js's WebGPU backend (over
// the engine's own adapter, in Node through Dawn) or its CPU backend.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-backend-cpu';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { ModelSpec } from '../src/model/spec.js';
import type { BenchInputs } from './models.js';

export type TfBackend = 'webgpu' | 'cpu';

export const tfVersion = tf.version_core;

/**
 * Registers TF.js's WebGPU backend on a device of `gpu`'s high-performance adapter, the one the
 * engine takes (TF.js's own registration looks for navigator.gpu when it is imported, which Node
 * lacks; its constructor still checks for it). The caller destroys the device when done.
 */
export async function registerTfWebgpu(gpu: GPU): Promise<{ device: GPUDevice; adapter: GPUAdapterInfo }> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (!nav) Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  else if (!nav.gpu) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('TF.js: no WebGPU adapter');
  const limits = adapter.limits;
  const device = await adapter.requestDevice({
    requiredLimits: {
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
      maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxBufferSize: limits.maxBufferSize,
      maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
    },
  });
  tf.registerBackend('webgpu', () => new WebGPUBackend(device, adapter.info));
  // Production mode: no debug checks, and no hint about tfjs-node on the CPU backend's first use.
  tf.env().set('PROD', true);
  // The split-K matmul the backend picks for long inner dimensions (e.g. 2304→128) sums with
  // emulated float atomics that return wrong values on SwiftShader (measured: logits off by
  // 170%); its packed matmul (program type 3) is right.
  tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', 3);
  return { device, adapter: adapter.info };
}

export async function useBackend(backend: TfBackend): Promise<void> {
  if (tf.getBackend() !== backend && !(await tf.setBackend(backend))) throw new Error(`TF.js backend ${backend} did not start`);
}

export function disposeTf(): void {
  for (const name of ['webgpu', 'cpu']) if (tf.findBackend(name)) tf.removeBackend(name);
}

// TF.js's tanh, exp and sigmoid gradients use the op's *output*, saved as a clone that its tape
// records before the op itself, so a second tf.grad finds no path through them (an error, or a
// silently wrong value: measured on tfjs-core 4.22). The versions here recompute from the saved
// input, which the tape links, so tf.grad nests to any order.
const tanhN: (z: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([z]);
  return {
    value: tf.tanh(z),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.sub(1, tf.square(tanhN(saved[0]!)))),
  };
});

// max-pool's gradient (MaxPoolGrad) has no gradient of its own in TF.js: this one routes dy to
// the window maxima through a mask whose own gradient is zero, all in ops that nest.
const poolMask: (x: tf.Tensor4D, size: number) => tf.Tensor = (x, size) => tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const input = args[0] as tf.Tensor4D;
  const up = upsample(tf.maxPool(input, size, size, 'valid'), size);
  return { value: tf.cast(tf.equal(input, up), 'float32'), gradFunc: () => tf.zerosLike(input) };
})(x);

// Each value repeated size×size times, in tiles of rank 3: TF.js's WebGPU tile reads rank ≥ 5
// back to the CPU, which Node cannot (it draws through OffscreenCanvas).
function upsample(y: tf.Tensor4D, size: number): tf.Tensor4D {
  const [b, h, w, c] = y.shape;
  const alongW = tf.reshape(tf.tile(tf.reshape(y, [b * h * w, 1, c]), [1, size, 1]), [b * h, 1, w * size * c]);
  return tf.reshape(tf.tile(alongW, [1, size, 1]), [b, h * size, w * size, c]);
}

function maxPoolN(input: tf.Tensor4D, size: number, stride: number): tf.Tensor4D {
  if (size !== stride) throw new Error('the TF.js baseline pools with stride = size');
  // Rows and columns past the last whole window take no part: cut them off first (slice nests).
  const [b, h, w, c] = input.shape;
  const x = h % size || w % size ? tf.slice(input, [0, 0, 0, 0], [b, h - (h % size), w - (w % size), c]) : input;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [z, save] = args as [tf.Tensor4D, tf.GradSaveFunc];
    save([z]);
    return {
      value: tf.maxPool(z, size, stride, 'valid'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(upsample(dy as tf.Tensor4D, size), poolMask(saved[0] as tf.Tensor4D, size)),
    };
  });
  return f(x) as tf.Tensor4D;
}

// TF.js's conv2d gradient for the filter (Conv2DBackpropFilter) has no gradient of its own, so a
// second tf.grad through a convolution's weights fails ("gradient function not found for
// Conv2DBackpropFilter"). This conv2d keeps TF.js's kernels for the value and the input's
// cotangent (Conv2DBackpropInput, whose gradient TF.js has) and computes the filter's cotangent as
// an im2col product of slices, reshapes and one matMul, all ops whose gradients TF.js has.
function conv2dNestable(x: tf.Tensor4D, w: tf.Tensor4D, stride: number): tf.Tensor4D {
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, filter, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
    save([input, filter]);
    return {
      value: tf.conv2d(input, filter, stride, 'valid'),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const g = dy as tf.Tensor4D;
        const [b, ho, wo, out] = g.shape;
        const [kh, kw, inC] = ws.shape;
        const cols = tf.reshape(im2col(xs, kh, kw, stride, ho, wo), [b * ho * wo, kh * kw * inC]);
        const dw = tf.reshape(tf.matMul(cols, tf.reshape(g, [b * ho * wo, out]), true, false), [kh, kw, inC, out]);
        return [tf.conv2dTranspose(g, ws, xs.shape, stride, 'valid'), dw];
      },
    };
  });
  return f(x, w) as tf.Tensor4D;
}

/** [B, Ho, Wo, kh·kw·C]: each output position's receptive field, (row, column, channel) fastest last. */
function im2col(x: tf.Tensor4D, kh: number, kw: number, stride: number, ho: number, wo: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  // Strided windows from rank-≤4 slices and reshapes (strided slices have no gradient in TF.js):
  // take stride·Ho rows from row i, fold them into (Ho, stride), keep the first of each pair.
  const padH = Math.max(0, kh - 1 + stride * ho - h);
  const padW = Math.max(0, kw - 1 + stride * wo - w);
  const padded = padH || padW ? tf.pad(x, [[0, 0], [0, padH], [0, padW], [0, 0]]) : x;
  const patches: tf.Tensor[] = [];
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const window = tf.slice(padded, [0, i, j, 0], [b, stride * ho, stride * wo, c]);
      if (stride === 1) {
        patches.push(window);
        continue;
      }
      const rows = tf.slice(tf.reshape(window, [b * ho, stride, stride * wo * c]), [0, 0, 0], [b * ho, 1, stride * wo * c]);
      const cells = tf.slice(tf.reshape(rows, [b * ho * wo, stride, c]), [0, 0, 0], [b * ho * wo, 1, c]);
      patches.push(tf.reshape(cells, [b, ho, wo, c]));
    }
  }
  return tf.concat(patches, 3) as tf.Tensor4D;
}

/** The network of a model spec as TF.js ops on a batch: images are NHWC inside, flattened in the spec's C,H,W order. */
export type TfNetwork = (x: tf.Tensor) => tf.Tensor2D;

/** The same network with its weights passed in (in the order of TfNetworkParts.weights), for tf.grads with respect to them. */
export type TfWeightedNetwork = (x: tf.Tensor, weights: readonly tf.Tensor[]) => tf.Tensor2D;

export interface TfNetworkParts {
  readonly net: TfNetwork;
  readonly netWith: TfWeightedNetwork;
  /** Every tensor the network holds, in TF.js's layouts (conv2d filters [kh][kw][in][out]). */
  readonly weights: tf.Tensor[];
  /** Indices into `weights` of the trainable tensors, in the order of the parameter layout (layer by layer, weight then bias). */
  readonly parameters: readonly number[];
}

export interface TfNetworkOptions {
  /** conv2d whose filter cotangent TF.js can differentiate again (conv2dNestable) instead of tf.conv2d. */
  readonly nestableConv?: boolean;
}

export function tfNetwork(spec: ModelSpec, options: TfNetworkOptions = {}): TfNetworkParts {
  const weights: tf.Tensor[] = [];
  const parameters: number[] = [];
  const keep = (t: tf.Tensor, trainable = true): number => {
    if (trainable) parameters.push(weights.length);
    return weights.push(t) - 1;
  };
  type Step = (h: tf.Tensor, w: readonly tf.Tensor[]) => tf.Tensor;
  const steps: Step[] = spec.layers.map((layer): Step => {
    switch (layer.type) {
      case 'dense': {
        const w = keep(tf.tensor2d(layer.weight.data, layer.weight.shape as [number, number]));
        const b = keep(tf.tensor1d(layer.bias.data));
        return (h, p) => tf.add(tf.matMul(h as tf.Tensor2D, p[w] as tf.Tensor2D, false, true), p[b]!);
      }
      case 'conv2d': {
        const w = keep(tf.tidy(() => tfFilter(tf.tensor4d(layer.weight.data, layer.weight.shape as [number, number, number, number]))));
        const b = keep(tf.tensor1d(layer.bias.data));
        const pad = layer.padding;
        if (options.nestableConv) {
          return (h, p) => {
            const x = pad ? tf.pad(h, [[0, 0], [pad, pad], [pad, pad], [0, 0]]) as tf.Tensor4D : h as tf.Tensor4D;
            return tf.add(conv2dNestable(x, p[w] as tf.Tensor4D, layer.stride), p[b]!);
          };
        }
        return (h, p) => tf.add(tf.conv2d(h as tf.Tensor4D, p[w] as tf.Tensor4D, layer.stride, pad === 0 ? 'valid' : pad), p[b]!);
      }
      case 'maxpool2d': return (h) => maxPoolN(h as tf.Tensor4D, layer.size, layer.stride);
      case 'batchnorm': {
        // Eval mode; channels are the last axis in TF.js (NHWC, or [B, C] after a dense layer).
        const scale = keep(tf.tensor1d(layer.weight.data));
        const offset = keep(tf.tensor1d(layer.bias.data));
        const mean = keep(tf.tensor1d(layer.runningMean.data), false);
        const variance = keep(tf.tensor1d(layer.runningVar.data), false);
        return (h, p) => tf.batchNorm(h, p[mean]!, p[variance]!, p[offset]!, p[scale]!, layer.eps);
      }
      case 'flatten': return (h) => (h.rank === 4 ? tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [h.shape[0]!, -1]) : h);
      case 'relu': return (h) => tf.relu(h);
      case 'tanh': return (h) => tanhN(h);
      case 'sigmoid': return (h) => tf.mul(0.5, tf.add(1, tanhN(tf.mul(0.5, h))));
      default: throw new Error(`the TF.js baseline has no ${layer.type} layer`);
    }
  });
  const netWith: TfWeightedNetwork = (x, w) => steps.reduce((h, step) => step(h, w), x) as tf.Tensor2D;
  return { net: (x) => netWith(x, weights), netWith, weights, parameters };
}

/** A conv2d weight [out][in][kh][kw] (ours, PyTorch's) as TF.js's filter [kh][kw][in][out]. */
export function tfFilter(weight: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(weight, [2, 3, 1, 0]);
}

/** A TF.js filter [kh][kw][in][out] back in our layout [out][in][kh][kw]. */
export function ourFilter(filter: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(filter, [3, 2, 0, 1]);
}

/** Points and directions [B, ...spec.input] (row-major, C,H,W for images) as TF.js inputs (NHWC for images). */
export function tfInput(spec: ModelSpec, data: Float32Array, batch: number): tf.Tensor {
  if (spec.input.length === 1) return tf.tensor2d(data, [batch, spec.input[0]!]);
  const [c, h, w] = spec.input as [number, number, number];
  return tf.tidy(() => tf.transpose(tf.tensor4d(data, [batch, c, h, w]), [0, 2, 3, 1]));
}

/**
 * All derivatives n = 1..K of t ↦ u·f(x_p + t·v_p) at t = 0, for every point p, by K nested
 * tf.grad. One t per point (the points are independent, so the gradient of the summed function
 * is the per-point derivative). Each level's value is computed inside the next level's forward
 * pass, so the lower orders are kept from there: one call of the K-th function yields all K.
 * Returns [order n-1][point].
 */
export async function nestedGrad(net: TfNetwork, x: tf.Tensor, v: tf.Tensor, u: tf.Tensor1D, order: number): Promise<Float32Array[]> {
  const batch = x.shape[0]!;
  const levels: tf.Tensor[] = [];
  const broadcast = [batch, ...x.shape.slice(1).map(() => 1)];
  let g: (t: tf.Tensor) => tf.Tensor = (t) => tf.sum(tf.mul(net(tf.add(x, tf.mul(tf.reshape(t, broadcast), v))), u), 1);
  for (let n = 1; n <= order; n++) {
    const inner = tf.grad(g);
    g = (t) => {
      const d = inner(t);
      levels[n - 1] = tf.keep(d);
      return d;
    };
  }
  const t0 = tf.zeros([batch]);
  g(t0);
  t0.dispose();
  const values = await Promise.all(levels.map((l) => l.data() as Promise<Float32Array>));
  for (const l of levels) l.dispose();
  return values;
}

/** A model's network, inputs and weights on one backend. */
export interface TfSetup {
  readonly backend: TfBackend;
  readonly net: TfNetwork;
  readonly x: tf.Tensor;
  readonly v: tf.Tensor;
  readonly u: tf.Tensor1D;
  readonly owned: readonly tf.Tensor[];
}

export async function setUp(backend: TfBackend, spec: ModelSpec, inputs: BenchInputs, batch: number): Promise<TfSetup> {
  await useBackend(backend);
  const { net, weights } = tfNetwork(spec);
  const x = tfInput(spec, inputs.points, batch);
  const v = tfInput(spec, inputs.directions, batch);
  const u = tf.tensor1d(inputs.covector);
  return { backend, net, x, v, u, owned: [...weights, x, v, u] };
}

/** [n-1][point]: d^n/dt^n u·f(x + t·v) at t = 0, n = 1..order. */
export async function nestedDerivatives(setup: TfSetup, order: number): Promise<Float32Array[]> {
  await useBackend(setup.backend);
  return nestedGrad(setup.net, setup.x, setup.v, setup.u, order);
}

export function tearDown(setup: TfSetup): void {
  for (const t of setup.owned) t.dispose();
}
