// ONNX import in the browser bundle (dist/browser/jetcurve.js) in headless Chromium on
// SwiftShader: Model.fromOnnx on bytes and Model.fromFile on a fetched .onnx give ONNX Runtime's
// outputs (to float32 rounding, test/onnx/tolerance.ts), and a refusal is the same JetcurveError.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { importOnnx } from '../src/onnx/index.js';
import { Random } from '../src/util/random.js';
import { buildBundles, forwardPageErrors, launchChromium, ROOT, serve, type Chromium, type Served } from './browser/serve.js';
import { GraphBuilder, torchCnn } from './onnx/graphs.js';
import { runtimeOutputs } from './onnx/runtime.js';
import { expectWithinRounding, gapText, roundingBound } from './onnx/tolerance.js';

// The page imports the library bundle, reads the files the test wrote next to it, and leaves its
// results on window.onnxCheck.
const PAGE = `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>jetcurve ONNX in the browser</title>
<script type="module">
import { createEngine, Model, importOnnx } from '/jetcurve.js';
globalThis.onnxCheck = (async () => {
  const bytes = async (name) => new Uint8Array(await (await fetch('/' + name)).arrayBuffer());
  const { points, directions } = await (await fetch('/inputs.json')).json();
  const engine = await createEngine();
  const fromBytes = Model.fromOnnx(engine, await bytes('cnn.onnx'), 'cnn.onnx');
  const fromUrl = await Model.fromFile(engine, '/cnn.onnx');
  const outputs = async (model) => Array.from((await model.jets({ points, directions, order: 0 })).coefficients);
  const result = { fromBytes: await outputs(fromBytes), fromUrl: await outputs(fromUrl), refusal: '' };
  try { importOnnx(await bytes('bad.onnx'), 'bad.onnx'); } catch (e) { result.refusal = e.name + ': ' + e.message; }
  fromBytes.destroy();
  fromUrl.destroy();
  await engine.destroy();
  return result;
})();
</script>
`;

interface PageResult { fromBytes: number[]; fromUrl: number[]; refusal: string }

const cnn = torchCnn({ seed: 27 });
const spec = importOnnx(cnn);
const size = spec.input.reduce((a, b) => a * b, 1);
const random = new Random(28);
const points = Array.from({ length: 4 }, () => Array.from(random.normals(size), Math.fround));
const directions = [Array.from(random.unitVector(size))];

let server: Served | null = null;
let chromium: Chromium | null = null;
let result: PageResult | null = null;

beforeAll(async () => {
  buildBundles();
  const dir = mkdtempSync(join(tmpdir(), 'jetcurve-onnx-browser-'));
  copyFileSync(join(ROOT, 'dist', 'browser', 'jetcurve.js'), join(dir, 'jetcurve.js'));
  writeFileSync(join(dir, 'cnn.onnx'), cnn);
  const g = new GraphBuilder({ name: 'x', dims: ['batch', 4] });
  g.linear(g.node('Erf', [g.linear('x', 4, 8)], {}, 1, '/act/Erf'), 8, 2);
  writeFileSync(join(dir, 'bad.onnx'), g.bytes('y', ['batch', 2]));
  writeFileSync(join(dir, 'inputs.json'), JSON.stringify({ points, directions }));
  server = await serve(PAGE, dir);
  chromium = await launchChromium();
  const page = await chromium.browser.newPage();
  forwardPageErrors(page);
  await page.goto(server.url, { waitUntil: 'load' });
  result = await page.evaluate(() => (globalThis as { onnxCheck?: Promise<PageResult> }).onnxCheck ?? null);
  if (result === null) throw new Error('the page did not set window.onnxCheck: the bundle failed to load (see the page errors above)');
}, 600_000);

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

it('Model.fromOnnx(bytes) and Model.fromFile(url) in Chromium give ONNX Runtime\'s outputs', async () => {
  const runtime = await runtimeOutputs(cnn, points.flat(), spec.input);
  const got = result!.fromBytes;
  const g = expectWithinRounding(got, runtime, spec);
  console.log(`Chromium GPU vs ONNX Runtime: ${gapText(g)} (bound ${roundingBound(spec)})`);
  expect(result!.fromUrl).toEqual(got);
});

it('an unsupported operator is the same one-line JetcurveError in the browser', () => {
  expect(result!.refusal).toMatch(/^JetcurveError: bad\.onnx: node "\/act\/Erf" \(Erf\): operator Erf is not supported; supported: Gemm, /);
});
