// lambdaMap in the browser bundle (dist/browser/jetcurve.js) in headless Chromium on SwiftShader:
// the same map as in Node (same model, grid, directions and seed), and the same JetcurveError for
// a model whose input is not 2-D.
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lambdaMap } from '../src/lambda/lambda-map.js';
import { stringifyModel } from '../src/model/io.js';
import { Model } from '../src/model/model.js';
import { randomMlp } from '../src/model/random-mlp.js';
import { buildBundles, forwardPageErrors, launchChromium, ROOT, serve, type Chromium, type Served } from './browser/serve.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

const PAGE = `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>jetcurve λ map in the browser</title>
<script type="module">
import { createEngine, Model, lambdaMap } from '/jetcurve.js';
globalThis.mapCheck = (async () => {
  const { grid, options } = await (await fetch('/inputs.json')).json();
  const engine = await createEngine();
  const model = Model.fromJson(engine, await (await fetch('/model.json')).text());
  const map = await lambdaMap(engine, model, grid, options);
  const flat = Model.fromJson(engine, await (await fetch('/model3.json')).text());
  let refusal = '';
  try { await lambdaMap(engine, flat, grid, options); } catch (e) { refusal = e.name + ': ' + e.message; }
  model.destroy();
  flat.destroy();
  await engine.destroy();
  return { lambda: Array.from(map.lambda), probability: Array.from(map.probability), directions: Array.from(map.directions), skipped: map.skipped, refusal };
})();
</script>
`;

interface PageResult { lambda: number[]; probability: number[]; directions: number[]; skipped: number; refusal: string }

const spec = randomMlp([2, 16, 16, 2], { seed: 5, gain: 2 });
const grid = { xRange: [-2, 2] as [number, number], yRange: [-1.5, 1.5] as [number, number], nx: 6, ny: 5 };
const options = { orders: { from: 1, to: 4 }, directions: 3, seed: 7 };

let server: Served | null = null;
let chromium: Chromium | null = null;
let result: PageResult | null = null;

beforeAll(async () => {
  buildBundles();
  const dir = mkdtempSync(join(tmpdir(), 'jetcurve-lmap-browser-'));
  copyFileSync(join(ROOT, 'dist', 'browser', 'jetcurve.js'), join(dir, 'jetcurve.js'));
  writeFileSync(join(dir, 'model.json'), stringifyModel(spec));
  writeFileSync(join(dir, 'model3.json'), stringifyModel(randomMlp([3, 4, 2], { seed: 1 })));
  writeFileSync(join(dir, 'inputs.json'), JSON.stringify({ grid, options }));
  server = await serve(PAGE, dir);
  chromium = await launchChromium();
  const page = await chromium.browser.newPage();
  forwardPageErrors(page);
  await page.goto(server.url, { waitUntil: 'load' });
  result = await page.evaluate(() => (globalThis as { mapCheck?: Promise<PageResult> }).mapCheck ?? null);
  if (result === null) throw new Error('the page did not set window.mapCheck: the bundle failed to load (see the page errors above)');
}, 600_000);

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

it('lambdaMap in Chromium gives the map Node gives (same directions, λ to 1e-4)', async () => {
  const model = new Model(engine(), spec);
  const node = await lambdaMap(engine(), model, grid, options);
  model.destroy();
  expect(result!.skipped).toBe(0);
  // The same seeded draws; Chromium's V8 may round Math.log/sin/cos a last ulp differently from Node's.
  expect(result!.directions).toHaveLength(node.directions.length);
  expect(Math.max(...result!.directions.map((v, i) => Math.abs(v - node.directions[i]!)))).toBeLessThan(1e-12);
  expect(result!.lambda).toHaveLength(30);
  const gap = Math.max(...result!.lambda.map((v, i) => Math.abs(v - node.lambda[i]!)));
  const pGap = Math.max(...result!.probability.map((v, i) => Math.abs(v - node.probability[i]!)));
  console.log(`Chromium vs Node: max |Δλ| ${gap.toExponential(2)}, max |Δpmax| ${pGap.toExponential(2)} over ${grid.nx}×${grid.ny} grid points`);
  // Both run the same WGSL in f32 on SwiftShader; 1e-4 is the map's own tolerance against single-point networkLambda.
  expect(gap).toBeLessThan(1e-4);
  expect(pGap).toBeLessThan(1e-6);
});

it('a model whose input is not 2-D is the same JetcurveError in the browser', () => {
  expect(result!.refusal).toMatch(/^JetcurveError: a λ map is drawn over a 2-D input plane; the model takes inputs of shape 3/);
});
