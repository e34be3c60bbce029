import wgsl from '../shaders/maxpool2d.wgsl';
import { Jet } from '../src/jet/jet.js';
import { describeShape } from '../src/jet/layout.js';
import { JetcurveError } from '../src/errors.js';
import { windowCount } from './conv2d.js';
import type { Recorder } from '../src/autodiff/recorder.js';
import { defineOp } from './op.js';

export const maxpool2dForward = { name: 'maxpool2d', wgsl, entryPoint: 'maxpool2d_forward' } as const;

export interface MaxPool2dOptions {
  readonly size: number;
  readonly stride: number;
}

function outputShape(x: Jet, p: MaxPool2dOptions): [number, number, number] {
  const [C, H, W] = x.shape;
  if (!Number.isInteger(p.size) || !Number.isInteger(p.stride) || p.size < 1 || p.stride < 1) {
    throw new JetcurveError(`maxpool2d: size ${p.size} and stride ${p.stride} must be positive integers`, 'fix the maxpool2d layer in the model');
  }
  if (x.shape.length !== 3 || H! < p.size || W! < p.size) {
    throw new JetcurveError(`maxpool2d with a ${p.size}×${p.size} window takes [C, H, W] images of at least that size, the jet is ${describeShape(x)}`,
      'pool images, not flattened features, and keep the window inside the image');
  }
  return [C!, windowCount(H!, p.size, p.stride), windowCount(W!, p.size, p.stride)];
}

function uniforms(x: Jet, p: MaxPool2dOptions, [C, Ho, Wo]: [number, number, number]) {
  return {
    rows: x.rows, order: x.order, channels: C, height: x.shape[1]!, width: x.shape[2]!,
    out_height: Ho, out_width: Wo, size: p.size, stride: p.stride,
  };
}

export function maxpool2d(x: Jet, p: MaxPool2dOptions): Jet {
  const shape = outputShape(x, p);
  const y = Jet.empty(x.engine, x.rows, x.order, shape);
  x.engine.dispatch(maxpool2dForward, { x: x.buffer, y: y.buffer }, uniforms(x, p, shape), x.rows * shape[0] * shape[1] * shape[2]);
  return y;
}

export const maxpool2dVjpSource = { name: 'maxpool2d', wgsl, entryPoint: 'maxpool2d_vjp' } as const;
export const maxpool2dVjpWindows = { name: 'maxpool2d', wgsl, entryPoint: 'maxpool2d_vjp_windows' } as const;

/** Reverse mode of maxpool2d(x, p) for the output cotangent ȳ: x̄, a new jet. */
export function maxpool2dVjp(x: Jet, ybar: Jet, p: MaxPool2dOptions): Jet {
  const shape = outputShape(x, p);
  if (ybar.rows !== x.rows || ybar.order !== x.order || ybar.shape.join() !== shape.join()) {
    throw new JetcurveError(`maxpool2d vjp: the cotangent is ${describeShape(ybar)}, the output is [${shape.join(', ')}]`,
      'pass the cotangent of this maxpool2d\'s output');
  }
  const xbar = Jet.empty(x.engine, x.rows, x.order, x.shape);
  const buffers = { x: x.buffer, ybar: ybar.buffer, xbar: xbar.buffer };
  if (p.stride < p.size) {
    x.engine.dispatch(maxpool2dVjpSource, buffers, uniforms(x, p, shape), x.rows * x.features);
    return xbar;
  }
  const [, H, W] = x.shape as [number, number, number];
  const [C, Ho, Wo] = shape;
  // The windows write every input they cover; the rest must read 0.
  if (p.stride !== p.size || Ho * p.size !== H || Wo * p.size !== W) x.engine.clear(xbar.buffer);
  x.engine.dispatch(maxpool2dVjpWindows, buffers, uniforms(x, p, shape), x.rows * C * Ho * Wo);
  return xbar;
}

export const maxpool2dOp = defineOp({
  name: 'maxpool2d',
  arity: 1,
  record(tape: Recorder, x: Jet, p: MaxPool2dOptions): Jet {
    const options = { size: p.size, stride: p.stride };
    return tape.record([x], maxpool2d(x, options), (ybar) => [maxpool2dVjp(x, ybar, options)]);
  },
});
