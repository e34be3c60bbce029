// The library in Node: everything of the browser build, plus an engine on Dawn's WebGPU, and
// model files read from (and saved to) disk.
import { Engine } from './gpu/engine.js';
import { releaseNodeGpus, requestNodeAdapter, type AdapterChoice } from './gpu/node-adapter.js';
import { readBytesFile, readTextFile } from './model/file-node.js';
import { setBytesReader, setTextReader } from './model/source.js';

export * from './index.js';
export * from './curvature/index.js';
export type { AdapterChoice } from './gpu/node-adapter.js';
export { saveModel } from './model/file-node.js';

// loadModel and Model.fromFile take file paths in Node (URLs in a browser); .onnx files are read as bytes.
setTextReader(readTextFile);
setBytesReader(readBytesFile);

export interface NodeEngineOptions {
  /** `auto` (default): a hardware adapter when there is one, SwiftShader otherwise. */
  adapter?: AdapterChoice;
}

export async function createEngine(options: NodeEngineOptions = {}): Promise<Engine> {
  const engine = await Engine.fromAdapter(await requestNodeAdapter(options.adapter ?? 'auto'));
  engine.printWgsl = process.env.JETCURVE_PRINT_WGSL ?? null;
  engine.onDestroy = releaseNodeGpus;
  return engine;
}
export { train, type TrainSummary } from './train/loop.js';
export type { TrainConfig, TrainHooks } from './train/config.js';
export type { EpochRecord } from './train/run-folder.js';
