// esbuild: the Node CLI and library bundles, and the browser bundles (library and test cases).
// WGSL files are imported as text, so a kernel module and its shader ship together.
import * as esbuild from 'esbuild';
import { chmodSync, copyFileSync, mkdirSync } from 'node:fs';

const watch = process.argv.includes('--watch');
const common = {
  bundle: true,
  format: 'esm',
  sourcemap: true,
  loader: { '.wgsl': 'text' },
  logLevel: 'warning',
  target: 'es2022',
};

// TF.js (the benchmark's baseline) names a CommonJS bundle as "main", but its gradients
// (register_all_gradients) exist only as ES modules: take all of it from the ES modules, so that
// one copy of tfjs-core holds the kernels, the gradients and the engine.
const tfjsAsEsm = {
  name: 'tfjs-as-esm',
  setup(build) {
    build.onResolve({ filter: /^@tensorflow\/tfjs-(core|backend-cpu|backend-webgpu)$/ }, (args) =>
      build.resolve(`${args.path}/dist/index.js`, { kind: args.kind, resolveDir: args.resolveDir }));
  },
};

const node = {
  ...common,
  plugins: [tfjsAsEsm],
  platform: 'node',
  // dawn.node is a native addon: it stays a runtime import.
  external: ['webgpu', 'puppeteer-core'],
  banner: { js: "import { createRequire as __jcRequire } from 'node:module'; const require = __jcRequire(import.meta.url);" },
};

const builds = [
  { ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node\n' + node.banner.js } },
  { ...node, entryPoints: ['src/node.ts'], outfile: 'dist/node/index.js' },
  { ...node, entryPoints: ['bench/main.ts'], outfile: 'dist/bench.js' },
  { ...common, platform: 'browser', entryPoints: ['src/browser.ts'], outfile: 'dist/browser/jetcurve.js' },
  { ...common, platform: 'browser', entryPoints: ['test/browser/entry.ts'], outfile: 'dist/browser/tests.js' },
  // The playground (`jetcurve playground`): a static folder any host can serve.
  { ...common, platform: 'browser', entryPoints: ['src/playground/main.ts'], outfile: 'dist/playground/playground.js' },
];

/** The playground's static files next to its bundle. */
function copyPlaygroundFiles() {
  mkdirSync('dist/playground', { recursive: true });
  for (const name of ['index.html', 'playground.css']) copyFileSync(`src/playground/${name}`, `dist/playground/${name}`);
}

copyPlaygroundFiles();
if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
  chmodSync('dist/cli.js', 0o755);
}
