// WebGPU in a browser: navigator.gpu, which needs a secure context (https or 127.0.0.1).
import { JetcurveError } from '../errors.js';

export async function requestBrowserAdapter(): Promise<GPUAdapter> {
  const gpu = (globalThis as { navigator?: { gpu?: GPU } }).navigator?.gpu;
  if (!gpu) {
    throw new JetcurveError('this browser has no WebGPU (navigator.gpu is missing)',
      'use a browser with WebGPU enabled, and serve the page over https or from 127.0.0.1');
  }
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new JetcurveError('navigator.gpu offered no adapter', 'enable WebGPU in the browser (chrome://flags/#enable-unsafe-webgpu)');
  return adapter;
}
