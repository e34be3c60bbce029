// ONNX in and out: a network exported from PyTorch, JAX or Keras as a jetcurve model, and back.
export { importOnnx, SUPPORTED_OPERATORS, MIN_OPSET } from './import.js';
export { exportOnnx, EXPORT_OPSET, type OnnxExportOptions } from './export.js';
