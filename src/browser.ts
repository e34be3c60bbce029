// The library in a browser: an engine on navigator.gpu.
import { Engine } from './gpu/engine.js';
import { requestBrowserAdapter } from './gpu/browser-adapter.js';

export * from './index.js';
export * from './curvature/index.js';

export async function createEngine(): Promise<Engine> {
  return Engine.fromAdapter(await requestBrowserAdapter());
}
