// Whether this build's model files accept a layer type. softplus and batchnorm are being added
// alongside the ONNX import: their tests switch on by themselves once the schema takes them.
import { parseModel } from '../../src/model/io.js';
import { MODEL_FORMAT } from '../../src/model/spec.js';

function accepts(layer: Record<string, unknown>): boolean {
  try {
    parseModel({ format: MODEL_FORMAT, input: [2], layers: [layer] });
    return true;
  } catch {
    return false;
  }
}

export const hasSoftplus = accepts({ type: 'softplus' });
export const hasBatchnorm = accepts({ type: 'batchnorm', weight: [1, 1], bias: [0, 0], runningMean: [0, 0], runningVar: [1, 1], eps: 1e-5 });
