import wgsl from '../shaders/conv2d.wgsl';
import { Jet } from '../src/jet/jet.js';
import { describeShape } from '../src/jet/layout.js';
import { JetcurveError } from '../src/errors.js';
import type { Parameter } from '../src/autodiff/parameter.js';
import type { Recorder } from '../src/autodiff/recorder.js';
import { defineOp } from './op.js';

export const conv2dForward = { name: 'conv2d', wgsl, entryPoint: 'conv2d_forward' } as const;
export const conv2dForwardP0 = { name: 'conv2d', wgsl, entryPoint: 'conv2d_forward_p0' } as const;

/** Constant weights on the GPU: weight [out][in][kh][kw] and bias [out], as in PyTorch. */
export interface Conv2dWeights {
  readonly weight: GPUBuffer;
  readonly bias: GPUBuffer;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly stride: number;
  readonly padding: number;
}

/** Output size of a window of `size` sliding over `n` (padded by `padding` each side) in steps of `stride`. */
export function windowCount(n: number, size: number, stride: number, padding = 0): number {
  return Math.floor((n + 2 * padding - size) / stride) + 1;
}

function checkGeometry(x: Jet, p: Conv2dWeights): [number, number, number] {
  const [C, H, W] = x.shape;
  const whole = [p.inChannels, p.outChannels, p.kernelH, p.kernelW, p.stride].every((v) => Number.isInteger(v) && v >= 1)
    && Number.isInteger(p.padding) && p.padding >= 0;
  if (!whole) {
    throw new JetcurveError(`conv2d: channels, kernel and stride must be positive integers and padding a non-negative one (in ${p.inChannels}, out ${p.outChannels}, kernel ${p.kernelH}×${p.kernelW}, stride ${p.stride}, padding ${p.padding})`,
      'fix the conv2d layer in the model');
  }
  if (x.shape.length !== 3 || C !== p.inChannels) {
    throw new JetcurveError(`conv2d takes [${p.inChannels}, H, W] images, the jet is ${describeShape(x)}`,
      'flatten and reshape only where the model says so; check the conv2d layer\'s in-channels');
  }
  const Ho = windowCount(H!, p.kernelH, p.stride, p.padding);
  const Wo = windowCount(W!, p.kernelW, p.stride, p.padding);
  if (Ho < 1 || Wo < 1) {
    throw new JetcurveError(`conv2d: a ${p.kernelH}×${p.kernelW} kernel with padding ${p.padding} does not fit ${H}×${W} images (shape ${x.shape.join('×')})`,
      'use a smaller kernel, more padding, or larger images');
  }
  return [p.outChannels, Ho, Wo];
}

export function conv2d(x: Jet, p: Conv2dWeights): Jet {
  const shape = checkGeometry(x, p);
  const [Cout, Ho, Wo] = shape;
  const y = Jet.empty(x.engine, x.rows, x.order, shape);
  const images = x.rows * (x.order + 1);
  const buffers = { x: x.buffer, w: p.weight, bias: p.bias, y: y.buffer };
  if (p.padding === 0) {
    x.engine.dispatch(conv2dForwardP0, buffers, uniforms(x, p, shape), images * Math.ceil(Cout / 8) * Math.ceil((Ho * Wo) / 8));
  } else {
    x.engine.dispatch(conv2dForward, buffers, uniforms(x, p, shape), images * Math.ceil(Cout / 8) * Ho * Math.ceil(Wo / 4));
  }
  return y;
}

function uniforms(x: Jet, p: Conv2dWeights, [Cout, Ho, Wo]: [number, number, number]) {
  return {
    images: x.rows * (x.order + 1), coeffs: x.order + 1, in_channels: p.inChannels, out_channels: Cout,
    height: x.shape[1]!, width: x.shape[2]!, out_height: Ho, out_width: Wo,
    kernel_h: p.kernelH, kernel_w: p.kernelW, stride: p.stride, padding: p.padding,
    splits: 0, chunk: 0, pad_top: 0, pad_left: 0, padded_h: 0, padded_w: 0,
  };
}

/**
 * The zero border of ȳ that x̄'s gather needs: input pixel i (and the 3 more of its block, s
 * apart) reads ȳ from ⌊(i + p)/s⌋ − (⌈k/s⌉ − 1) up to ⌊(i + p)/s⌋ (+ 3 along x).
 */
function ybarBorder(n: number, size: number, k: number, s: number, p: number, extra: number): [number, number] {
  const low = Math.ceil(k / s) - 1;
  return [low, low + n + Math.max(0, Math.floor((size - 1 + p) / s) + extra - (n - 1))];
}

export const conv2dVjpPad = { name: 'conv2d', wgsl, entryPoint: 'conv2d_vjp_pad' } as const;
export const conv2dVjpInput = { name: 'conv2d', wgsl, entryPoint: 'conv2d_vjp_input' } as const;
export const conv2dVjpInputS1 = { name: 'conv2d', wgsl, entryPoint: 'conv2d_vjp_input_s1' } as const;
export const conv2dVjpWeight = { name: 'conv2d', wgsl, entryPoint: 'conv2d_vjp_weight' } as const;
export const conv2dVjpWeight8 = { name: 'conv2d', wgsl, entryPoint: 'conv2d_vjp_weight8' } as const;
export const conv2dVjpBias = { name: 'conv2d', wgsl, entryPoint: 'conv2d_vjp_bias' } as const;
export const conv2dVjpReduce = { name: 'conv2d', wgsl, entryPoint: 'conv2d_vjp_reduce' } as const;

/** Where conv2d's parameter cotangents are ADDED (shaped like weight and bias); the owner zeroes them. */
export interface Conv2dGrads {
  readonly weight: GPUBuffer;
  readonly bias: GPUBuffer;
}

/**
 * Threads the W̄ pass aims for by splitting its long sums over the output lines: the (oc, tap)
 * blocks alone leave cores and SIMD lanes idle (1→32 3×3 has 12 of them). On SwiftShader 256 to
 * 1024 ran 64 images of 1→32 fastest (4096: +10%, 16384: +35%); 32→64 (576 blocks) hardly cares.
 */
export const WEIGHT_THREADS = 1024;

/**
 * Taps per W̄ thread (each with 8 output channels). 8 × 8 blocks (padding 0 only) ran the small
 * CNN's 8→16 layer 1.5× faster than 8 × 4 on SwiftShader: fewer loads per product. With fewer
 * than 16 taps (1→8 3×3: 9) the padded 8-blocks waste more than they save.
 */
export function weightTapBlock(p: Omit<Conv2dWeights, 'weight' | 'bias'>): 4 | 8 {
  return p.padding === 0 && p.inChannels * p.kernelH * p.kernelW >= 16 ? 8 : 4;
}

/** How W̄'s sums over the images·Ho output lines are split: `splits` chunks of `chunk` lines. */
export function weightSplits(images: number, height: number, p: Omit<Conv2dWeights, 'weight' | 'bias'>): { splits: number; chunk: number; blocks: number } {
  const lines = images * windowCount(height, p.kernelH, p.stride, p.padding);
  const blocks = Math.ceil(p.outChannels / 8) * Math.ceil((p.inChannels * p.kernelH * p.kernelW) / weightTapBlock(p));
  const chunk = Math.ceil(lines / Math.min(lines, Math.ceil(WEIGHT_THREADS / blocks)));
  return { splits: Math.ceil(lines / chunk), chunk, blocks };
}

/**
 * Reverse mode of conv2d(x, p) for the output cotangent ȳ: returns x̄ (a new jet; null when
 * `wantInput` is false, e.g. for the network's input) and adds W̄, b̄ into `grads` when given.
 */
export function conv2dVjp(x: Jet, ybar: Jet, p: Conv2dWeights, grads: Conv2dGrads | null, wantInput = true): Jet | null {
  const shape = checkGeometry(x, p);
  if (ybar.rows !== x.rows || ybar.order !== x.order || ybar.shape.join() !== shape.join()) {
    throw new JetcurveError(`conv2d vjp: the cotangent is ${describeShape(ybar)}, the output is [${shape.join(', ')}]`,
      'pass the cotangent of this conv2d\'s output');
  }
  const [Cout, Ho, Wo] = shape;
  const [Cin, H, W] = x.shape as [number, number, number];
  const engine = x.engine;
  const images = x.rows * (x.order + 1);
  let xbar: Jet | null = null;
  if (wantInput) {
    xbar = Jet.empty(engine, x.rows, x.order, x.shape);
    const [padTop, paddedH] = ybarBorder(Ho, H, p.kernelH, p.stride, p.padding, 0);
    const [padLeft, border] = ybarBorder(Wo, W, p.kernelW, p.stride, p.padding, 3);
    // Whole vec4s per padded row for the pad kernel; the extra columns are zeros nothing reads.
    const paddedW = Math.ceil(border / 4) * 4;
    const u = { ...uniforms(x, p, shape), pad_top: padTop, pad_left: padLeft, padded_h: paddedH, padded_w: paddedW };
    const ypad = engine.pool.acquire(images * Cout * paddedH * paddedW * 4);
    engine.dispatch(conv2dVjpPad, { ybar: ybar.buffer, ypad4: ypad }, u, images * Cout * paddedH * (paddedW / 4));
    if (p.stride === 1) {
      engine.dispatch(conv2dVjpInputS1, { w: p.weight, ypad, xbar: xbar.buffer }, u, images * Math.ceil(Cin / 8) * Math.ceil((H * W) / 8));
    } else {
      const ixBlocks = p.stride * Math.ceil(Math.ceil(W / p.stride) / 4);
      engine.dispatch(conv2dVjpInput, { w: p.weight, ypad, xbar: xbar.buffer }, u, images * Math.ceil(Cin / 8) * H * ixBlocks);
    }
    engine.pool.release(ypad);
  }
  if (grads) {
    const { splits, chunk, blocks } = weightSplits(images, H, p);
    const size = Cout * Cin * p.kernelH * p.kernelW + Cout;
    const partial = engine.pool.acquire(splits * size * 4);
    const u = { ...uniforms(x, p, shape), splits, chunk };
    engine.dispatch(weightTapBlock(p) === 8 ? conv2dVjpWeight8 : conv2dVjpWeight, { x: x.buffer, ybar: ybar.buffer, partial }, u, splits * blocks);
    engine.dispatch(conv2dVjpBias, { ybar: ybar.buffer, partial }, u, splits * Cout);
    engine.dispatch(conv2dVjpReduce, { partial, wbar: grads.weight, bbar: grads.bias }, u, size);
    // The pool hands it out again only to later dispatches, which run after these.
    engine.pool.release(partial);
  }
  return xbar;
}

/** A conv2d layer's weight [out][in][kh][kw] and bias [out] as Parameters, and its geometry. */
export interface Conv2dParameters extends Omit<Conv2dWeights, 'weight' | 'bias'> {
  readonly weight: Parameter;
  readonly bias: Parameter;
}

export const conv2dOp = defineOp({
  name: 'conv2d',
  arity: 1,
  record(tape: Recorder, x: Jet, p: Conv2dParameters): Jet {
    const weights = { ...p, weight: p.weight.value, bias: p.bias.value };
    return tape.record([x], conv2d(x, weights), (ybar, [needX]) =>
      [conv2dVjp(x, ybar, weights, { weight: p.weight.grad, bias: p.bias.grad }, needX)]);
  },
});
