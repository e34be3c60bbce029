// ONNX in and out: a network exported from PyTorch, JAX or Keras as a jetcurve model, and back.
export { importOnnx, onnxToModelFile, SUPPORTED_OPERATORS } from './import.js';
export { MIN_OPSET } from './graph.js';
export { exportOnnx, EXPORT_OPSET, type OnnxExportOptions } from './export.js';
