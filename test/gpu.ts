// One engine per test file, destroyed at the end (a Node process holding a Dawn device can hang at exit otherwise).
import { afterAll, beforeAll } from 'vitest';
import type { Engine } from '../src/gpu/engine.js';
import { createEngine } from '../src/node.js';

export function useEngine(): () => Engine {
  let engine: Engine | null = null;
  beforeAll(async () => {
    engine = await createEngine();
  });
  afterAll(async () => {
    await engine?.destroy();
    engine = null;
  });
  return () => {
    if (!engine) throw new Error('engine not ready');
    return engine;
  };
}
