import wgsl from '../shaders/conv2d.wgsl';
import { Jet } from '../src/jet/jet.js';
import { describeShape } from '../src/jet/layout.js';
import { JetcurveError } from '../src/errors.js';

export const conv2dForward = { name: 'conv2d', wgsl, entryPoint: 'conv2d_forward' } as const;

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
  x.engine.dispatch(conv2dForward, { x: x.buffer, w: p.weight, bias: p.bias, y: y.buffer }, {
    images, coeffs: x.order + 1, in_channels: p.inChannels, out_channels: Cout,
    height: x.shape[1]!, width: x.shape[2]!, out_height: Ho, out_width: Wo,
    kernel_h: p.kernelH, kernel_w: p.kernelW, stride: p.stride, padding: p.padding,
  }, images * Math.ceil(Cout / 8) * Ho * Math.ceil(Wo / 4));
  return y;
}
