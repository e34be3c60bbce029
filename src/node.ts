// The library in Node: everything of the browser build, plus an engine on Dawn's WebGPU.
import { Engine } from './gpu/engine.js';
import { releaseNodeGpus, requestNodeAdapter, type AdapterChoice } from './gpu/node-adapter.js';

export * from './index.js';
export type { AdapterChoice } from './gpu/node-adapter.js';

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
