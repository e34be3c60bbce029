// Shape inference through the layers: each layer's weights must fit what the previous layer
// gives. Every message names the layer, the field, what it is and what it should be.
import { windowCount } from '../../kernels/conv2d.js';
import { JetcurveError } from '../errors.js';
import { featureCount } from '../jet/layout.js';
import { layerName, within, type Layer, type ModelSpec } from './spec.js';
import { shapeText, type Tensor } from './tensor.js';

/** shapes[0] is the input's feature shape, shapes[i + 1] the output of layer i. */
export function inferShapes(spec: ModelSpec, source = 'model'): number[][] {
  if (!(spec.input.length === 1 || spec.input.length === 3) || !spec.input.every((n) => Number.isInteger(n) && n >= 1)) {
    throw new JetcurveError(`${source}: input is [${spec.input.join(', ')}], expected [D] or [C, H, W] of positive integers`,
      'vectors are "input": [D], images "input": [C, H, W]');
  }
  const shapes: number[][] = [[...spec.input]];
  spec.layers.forEach((layer, i) => shapes.push(layerOutput(layer, shapes[i]!, within(source, layerName(i, layer.type)))));
  return shapes;
}

function fail(message: string, hint: string): never {
  throw new JetcurveError(message, hint);
}

function checkFinite(where: string, field: string, data: Float32Array): void {
  const bad = data.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) fail(`${where}: ${field} holds ${data[bad]} at flat index ${bad}`, 'weights must be finite');
}

function checkBias(where: string, bias: Tensor, out: number): void {
  if (bias.shape.length !== 1 || bias.shape[0] !== out) {
    const is = bias.shape.length === 1 ? `has ${bias.shape[0]} numbers` : `is ${shapeText(bias.shape)}`;
    fail(`${where}: bias ${is} but the weight has ${out} output${out === 1 ? '' : 's'}`, `give the bias ${out} number${out === 1 ? '' : 's'}, one per output`);
  }
  checkFinite(where, 'bias', bias.data);
}

/** What a layer receives, in words: "vectors of 32 features" or "8×12×12 images". */
const gives = (shape: readonly number[]): string => (shape.length === 1 ? `vectors of ${shape[0]} features` : `${shapeText(shape)} images`);

function layerOutput(layer: Layer, input: readonly number[], where: string): number[] {
  switch (layer.type) {
    case 'dense': {
      const w = layer.weight.shape;
      if (w.length !== 2) fail(`${where}: weight is ${shapeText(w)}, expected a matrix [out][in]`, 'a dense weight is [out][in], as in PyTorch');
      if (input.length !== 1) {
        fail(`${where}: the previous layer gives ${gives(input)} but a dense layer takes vectors`, 'add {"type": "flatten"} before it');
      }
      const [out, inputs] = w as [number, number];
      if (inputs !== input[0]) {
        fail(`${where}: weight is ${out}×${inputs} but the previous layer gives ${input[0]} features`,
          `a dense weight is [out][in]: its second size must be ${input[0]}`);
      }
      if (out < 1) fail(`${where}: weight has no outputs`, 'give the weight at least one row');
      checkFinite(where, 'weight', layer.weight.data);
      checkBias(where, layer.bias, out);
      return [out];
    }
    case 'conv2d': {
      const w = layer.weight.shape;
      if (w.length !== 4) fail(`${where}: weight is ${shapeText(w)}, expected [out][in][kh][kw]`, 'a conv2d weight is [out][in][kh][kw], as in PyTorch');
      if (input.length !== 3) fail(`${where}: the previous layer gives ${gives(input)} but conv2d takes images [C, H, W]`, 'give the model "input": [C, H, W], and flatten only after the last image layer');
      const [out, inC, kh, kw] = w as [number, number, number, number];
      const [C, H, W] = input as [number, number, number];
      if (inC !== C) fail(`${where}: weight is ${shapeText(w)} (${inC} input channels) but the previous layer gives ${C} channels (${shapeText(input)})`,
        `a conv2d weight is [out][in][kh][kw]: its second size must be ${C}`);
      if (out < 1 || kh < 1 || kw < 1) fail(`${where}: weight is ${shapeText(w)}; every size must be at least 1`, 'give the kernel at least one output channel and pixel');
      const Ho = windowCount(H, kh, layer.stride, layer.padding);
      const Wo = windowCount(W, kw, layer.stride, layer.padding);
      if (Ho < 1 || Wo < 1) fail(`${where}: a ${kh}×${kw} kernel with padding ${layer.padding} does not fit the ${H}×${W} images of the previous layer`,
        'use a smaller kernel or more padding');
      checkFinite(where, 'weight', layer.weight.data);
      checkBias(where, layer.bias, out);
      return [out, Ho, Wo];
    }
    case 'maxpool2d': {
      if (input.length !== 3) fail(`${where}: the previous layer gives ${gives(input)} but maxpool2d takes images [C, H, W]`, 'pool before the flatten layer');
      const [C, H, W] = input as [number, number, number];
      if (H < layer.size || W < layer.size) fail(`${where}: a ${layer.size}×${layer.size} window does not fit the ${H}×${W} images of the previous layer`, 'use a smaller size');
      return [C, windowCount(H, layer.size, layer.stride), windowCount(W, layer.size, layer.stride)];
    }
    case 'batchnorm': {
      // The channel axis is the first: [C] after dense (BatchNorm1d), [C, H, W] after conv2d (BatchNorm2d).
      const channels = input[0]!;
      const fields = { weight: layer.weight, bias: layer.bias, runningMean: layer.runningMean, runningVar: layer.runningVar };
      for (const [field, t] of Object.entries(fields)) {
        if (t.shape.length !== 1 || t.shape[0] !== channels) {
          const is = t.shape.length === 1 ? `has ${t.shape[0]} numbers` : `is ${shapeText(t.shape)}`;
          fail(`${where}: ${field} ${is} but the previous layer gives ${gives(input)} (${channels} channel${channels === 1 ? '' : 's'})`,
            `give ${field} ${channels} number${channels === 1 ? '' : 's'}, one per channel (the first axis of the previous layer's output)`);
        }
        checkFinite(where, field, t.data);
      }
      const negative = layer.runningVar.data.findIndex((v) => v < 0);
      if (negative >= 0) fail(`${where}: runningVar holds ${layer.runningVar.data[negative]} at channel ${negative}`, 'a variance is ≥ 0: export the running variance of the trained model');
      if (!(layer.eps > 0 && Number.isFinite(layer.eps))) fail(`${where}: eps is ${layer.eps}`, 'eps is a positive number (PyTorch: 1e-5)');
      if (!(layer.momentum >= 0 && layer.momentum <= 1)) fail(`${where}: momentum is ${layer.momentum}`, 'momentum is a number in [0, 1] (PyTorch: 0.1)');
      return [...input];
    }
    case 'flatten':
      return [featureCount(input)];
    default: // activations map each feature to one
      return [...input];
  }
}
