import wgsl from '../shaders/maxpool2d.wgsl';
import { Jet } from '../src/jet/jet.js';
import { describeShape } from '../src/jet/layout.js';
import { JetcurveError } from '../src/errors.js';
import { windowCount } from './conv2d.js';

export const maxpool2dForward = { name: 'maxpool2d', wgsl, entryPoint: 'maxpool2d_forward' } as const;

export interface MaxPool2dOptions {
  readonly size: number;
  readonly stride: number;
}

export function maxpool2d(x: Jet, p: MaxPool2dOptions): Jet {
  const [C, H, W] = x.shape;
  if (!Number.isInteger(p.size) || !Number.isInteger(p.stride) || p.size < 1 || p.stride < 1) {
    throw new JetcurveError(`maxpool2d: size ${p.size} and stride ${p.stride} must be positive integers`, 'fix the maxpool2d layer in the model');
  }
  if (x.shape.length !== 3 || H! < p.size || W! < p.size) {
    throw new JetcurveError(`maxpool2d with a ${p.size}×${p.size} window takes [C, H, W] images of at least that size, the jet is ${describeShape(x)}`,
      'pool images, not flattened features, and keep the window inside the image');
  }
  const Ho = windowCount(H!, p.size, p.stride);
  const Wo = windowCount(W!, p.size, p.stride);
  const y = Jet.empty(x.engine, x.rows, x.order, [C!, Ho, Wo]);
  x.engine.dispatch(maxpool2dForward, { x: x.buffer, y: y.buffer }, {
    rows: x.rows, order: x.order, channels: C!, height: H!, width: W!,
    out_height: Ho, out_width: Wo, size: p.size, stride: p.stride,
  }, x.rows * C! * Ho * Wo);
  return y;
}
