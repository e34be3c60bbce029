import { defineConfig, type Plugin } from 'vitest/config';
import { readFileSync } from 'node:fs';

// WGSL files are text, as esbuild's text loader makes them in the bundles.
const wgslAsText: Plugin = {
  name: 'wgsl-as-text',
  load(id) {
    if (id.endsWith('.wgsl')) return `export default ${JSON.stringify(readFileSync(id, 'utf8'))};`;
    return null;
  },
};

export default defineConfig({
  plugins: [wgslAsText],
  test: {
    root: new URL('..', import.meta.url).pathname,
    include: ['test/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // One GPU device per file, files one at a time: two cores, and SwiftShader uses both.
    fileParallelism: false,
    pool: 'forks',
  },
});
