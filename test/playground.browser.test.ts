// The playground (dist/playground/, served as `jetcurve playground` serves it) in headless
// Chromium on SwiftShader, used as a person uses it: it loads, trains both runs 5 epochs and
// shows the numbers Node computes for the same seed and settings (test error, and λ near the
// boundary as `train` and the Two Moons reproductions measure it), keeps its controls in the URL,
// draws a λ map that single-point λ in Node confirms, turns a bad expression into a message,
// measures a model in the model panel, and says plainly when there is no WebGPU.
// Screenshots go to test-output/playground/.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'puppeteer-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DataSet } from '../src/data/file.js';
import { PAPER_BAND } from '../src/lambda/estimators.js';
import { networkLambda } from '../src/lambda/network.js';
import { measureLambda } from '../src/reproduce/measure.js';
import { PROTOCOL } from '../src/reproduce/experiments/moons-common.js';
import { parseModel } from '../src/model/io.js';
import { Model } from '../src/model/model.js';
import { fromQuery, trainConfig, type RunRegularizer } from '../src/playground/settings.js';
import { playgroundFolder, servePlayground, type Served } from '../src/playground/server.js';
import { loadMoonsData } from '../src/train/data-split.js';
import { TrainingSession } from '../src/train/session.js';
import { buildBundles, forwardPageErrors, launchChromium, ROOT, type Chromium } from './browser/serve.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const OUT = join(ROOT, 'test-output', 'playground');
/** Small on purpose: 200 training points, 4 steps an epoch, a narrow network. */
const QUERY = 'seed=3&trainSize=200&hidden=16&epochs=5&lambdaPoints=64&left=none&right=crr';

interface PageMap { nx: number; ny: number; xs: number[]; ys: number[]; lambda: number[]; directions: number[]; directionCount: number }
interface Shown { error: number; lambda: number; points: string }

let server: Served | null = null;
let chromium: Chromium | null = null;
let page: Page | null = null;
const pageErrors: string[] = [];

async function openPage(query: string): Promise<Page> {
  const p = await chromium!.browser.newPage();
  await p.setViewport({ width: 1280, height: 1100 });
  forwardPageErrors(p);
  p.on('pageerror', (e) => pageErrors.push(e instanceof Error ? e.message : String(e)));
  await p.goto(`${server!.url}?${query}`, { waitUntil: 'load' });
  return p;
}

async function whenReady(p: Page): Promise<void> {
  await p.waitForFunction(() => 'playground' in globalThis, { timeout: 120_000 });
  await p.evaluate(() => (globalThis as unknown as { playground: { ready: Promise<void> } }).playground.ready);
}

const shown = (p: Page, i: number): Promise<Shown> => p.evaluate((k) => ({
  error: Number(document.getElementById(`error-${k}`)!.dataset['value']),
  lambda: Number(document.getElementById(`lambda-${k}`)!.dataset['value']),
  points: document.getElementById(`lambda-points-${k}`)!.textContent!,
}), i);

beforeAll(async () => {
  buildBundles();
  mkdirSync(OUT, { recursive: true });
  server = await servePlayground(playgroundFolder());
  chromium = await launchChromium();
  page = await openPage(QUERY);
  await whenReady(page);
  await page.screenshot({ path: join(OUT, 'loaded.png') });
}, 600_000);

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

it('loads with the controls of the link, both runs at epoch 0, and no page error', async () => {
  const p = page!;
  expect(await p.$eval('#hidden', (e) => (e as HTMLInputElement).value)).toBe('16');
  expect(await p.$eval('#right', (e) => (e as HTMLSelectElement).value)).toBe('crr');
  expect(await p.$eval('#title-1', (e) => e.textContent)).toBe('right: CRR');
  expect(await p.$eval('#epoch-0', (e) => e.textContent)).toBe('0 of 5');
  expect(await p.$eval('#nogpu', (e) => (e as HTMLElement).hidden)).toBe(true);
  expect(pageErrors).toEqual([]);
});

it('plays 5 epochs of both runs; test error and λ are the numbers Node gets for the same seed and settings', async () => {
  const p = page!;
  await p.click('#play');
  await p.waitForFunction(() => document.getElementById('status')!.dataset['phase'] === 'done', { timeout: 600_000, polling: 500 });
  await p.screenshot({ path: join(OUT, 'trained.png'), fullPage: true });
  const settings = fromQuery(QUERY).settings;
  const data = loadMoonsData({ seed: settings.seed, labelNoise: settings.noise, trainSize: settings.trainSize });
  for (const [i, reg] of [[0, 'none'], [1, 'crr']] as [number, RunRegularizer][]) {
    const page = await shown(p, i);
    const session = new TrainingSession(engine(), trainConfig(settings, reg), data);
    let last = null;
    try {
      while (!session.done) last = await session.next();
    } finally {
      session.release();
    }
    console.log(`${reg}: page test error ${page.error}, λ ${page.lambda} (${page.points}); Node ${last!.testError}, λ ${last!.lambda!.value} (${last!.lambda!.selection}, ${last!.lambda!.measured} points)`);
    // The same code path (TrainingSession), the same WGSL, the same SwiftShader in both: the GPU
    // work is bit-identical here (measured: equal test error, λ equal to 4e-16). The test error
    // must be equal; λ may differ only by the host's f64 pooling, where Chromium's V8 may round
    // Math.log a last ulp differently from Node's (as test/lambda-map-browser.test.ts allows for).
    expect(page.error).toBe(last!.testError);
    expect(Math.abs(page.lambda - last!.lambda!.value!)).toBeLessThan(1e-9);
    // λ near the boundary: the band's points among the first λ points, as `train` reports them.
    expect(last!.lambda).toMatchObject({ estimator: 'paper', band: PAPER_BAND, points: settings.lambdaPoints });
    expect(page.points).toBe(`${last!.lambda!.measured} of ${settings.lambdaPoints} points in the band`);
    // …and the quantity the Two Moons reproductions measure (their PROTOCOL through measureLambda)
    // on the page's trained model, downloaded as a model file: the same points, directions, estimator.
    const json = await p.evaluate((k) => (globalThis as unknown as { playground: { modelJson(i: number): Promise<string> } }).playground.modelJson(k), i);
    const model = new Model(engine(), parseModel(json, 'page model'));
    try {
      const n = settings.lambdaPoints;
      const first: DataSet = { inputShape: [2], count: n, inputs: Float64Array.from(data.test.inputs.subarray(0, 2 * n)), labels: Uint32Array.from(data.test.labels.subarray(0, n)) };
      const reproduced = await measureLambda(engine(), model, first, PROTOCOL);
      console.log(`${reg}: the reproductions' protocol on the page's model: λ ${reproduced.pooled} (${reproduced.selection}, ${reproduced.inBand} in the band)`);
      expect(reproduced.selection).toBe('band');
      expect(reproduced.kept).toBe(last!.lambda!.measured);
      expect(Math.abs(page.lambda - reproduced.pooled!)).toBeLessThan(1e-9);
    } finally {
      model.destroy();
    }
  }
}, 900_000);

it('the λ map under the boundary matches single-point λ in Node at three grid points', async () => {
  const p = page!;
  const map = await p.evaluate(() => {
    const m = (globalThis as unknown as { playground: { map(i: number): { nx: number; ny: number; xs: Float64Array; ys: Float64Array; lambda: Float64Array; directions: Float64Array; directionCount: number } } }).playground.map(0);
    return { nx: m.nx, ny: m.ny, xs: Array.from(m.xs), ys: Array.from(m.ys), lambda: Array.from(m.lambda), directions: Array.from(m.directions), directionCount: m.directionCount };
  }) as PageMap;
  const json = await p.evaluate(() => (globalThis as unknown as { playground: { modelJson(i: number): Promise<string> } }).playground.modelJson(0));
  // The downloaded model is a model file the CLI reads (parseModel is what loadModel uses).
  const model = new Model(engine(), parseModel(json, 'page model'));
  const R = map.directionCount;
  try {
    for (const [i, j] of [[2, 3], [14, 14], [25, 20]] as const) {
      const k = j * map.nx + i;
      const r = await networkLambda(engine(), model, { inputShape: [2], inputs: Float64Array.of(map.xs[i]!, map.ys[j]!), count: 1, labels: null }, {
        estimator: 'paper', quantity: 'loss-pred', orders: { from: 1, to: 4 },
        directions: { kind: 'given', count: R, directions: Float64Array.from(map.directions.slice(2 * R * k, 2 * R * (k + 1))) },
      });
      console.log(`grid (${i}, ${j}) = (${map.xs[i]!.toFixed(3)}, ${map.ys[j]!.toFixed(3)}): page λ ${map.lambda[k]}, Node ${r.lambda}`);
      // lambdaMap's own tolerance against networkLambda (test/lambda-map.test.ts): f32 jets, the same directions.
      expect(Math.abs(map.lambda[k]! - r.lambda)).toBeLessThan(1e-4);
    }
  } finally {
    model.destroy();
  }
});

it('a control changed is in the URL, and a reload restores it', async () => {
  const p = page!;
  await p.$eval('#noise', (e) => {
    (e as HTMLInputElement).value = '0.1';
    e.dispatchEvent(new Event('change'));
  });
  await p.select('#left', 'sam');
  const url = new URL(p.url());
  expect(url.searchParams.get('noise')).toBe('0.1');
  expect(url.searchParams.get('left')).toBe('sam');
  expect(url.searchParams.get('hidden')).toBe('16');
  await p.reload({ waitUntil: 'load' });
  await whenReady(p);
  expect(await p.$eval('#noise', (e) => (e as HTMLInputElement).value)).toBe('0.1');
  expect(await p.$eval('#left', (e) => (e as HTMLSelectElement).value)).toBe('sam');
  expect(await p.$eval('#title-0', (e) => e.textContent)).toBe('left: SAM');
  const settings = await p.evaluate(() => (globalThis as unknown as { playground: { settings(): unknown } }).playground.settings());
  expect(settings).toEqual(fromQuery(url.search).settings);
});

it('the jet explorer gives R of 1/(1+x²) at 0.5, and a bad expression is a message, not an exception', async () => {
  const p = page!;
  const before = pageErrors.length;
  await p.click('#explore');
  await p.waitForFunction(() => /R = /.test(document.getElementById('explorer-summary')!.textContent ?? ''), { timeout: 120_000 });
  const summary = await p.$eval('#explorer-summary', (e) => e.textContent!);
  // Poles at ±i: R = |0.5 − i| = √1.25.
  expect(Number(/R = ([0-9.]+)/.exec(summary)![1])).toBeCloseTo(Math.sqrt(1.25), 3);
  await p.screenshot({ path: join(OUT, 'explorer.png'), fullPage: true });
  await p.$eval('#expr', (e) => { (e as HTMLInputElement).value = 'sin(x'; });
  await p.click('#explore');
  await p.waitForFunction(() => (document.getElementById('explorer-error')!.textContent ?? '') !== '', { timeout: 60_000 });
  const error = await p.$eval('#explorer-error', (e) => e.textContent!);
  console.log(`bad expression: ${error}`);
  expect(error).toMatch(/\)|parenthes/i);
  expect(await p.$eval('#explorer-summary', (e) => e.textContent)).toBe('');
  expect(pageErrors.length).toBe(before);
});

it('the model panel measures the left run\'s model on the test data: λ as Node has it, and the MLP\'s curvature', async () => {
  const p = page!;
  await p.click('#use-left');
  await p.waitForFunction(() => /left run/.test(document.getElementById('model-files')!.textContent ?? ''));
  await p.click('#measure');
  await p.waitForSelector('#model-scalar', { timeout: 300_000 });
  const lambda = await p.$eval('#model-lambda', (e) => Number((e as HTMLElement).dataset['value']));
  const eigen = await p.$eval('#model-eigen', (e) => e.textContent!.split(',').map(Number));
  await p.screenshot({ path: join(OUT, 'model-panel.png'), fullPage: true });
  const json = await p.evaluate(() => (globalThis as unknown as { playground: { modelJson(i: number): Promise<string> } }).playground.modelJson(0));
  const settings = await p.evaluate(() => (globalThis as unknown as { playground: { settings(): Parameters<typeof trainConfig>[0] } }).playground.settings());
  const test = loadMoonsData({ seed: settings.seed, labelNoise: settings.noise, trainSize: settings.trainSize }).test;
  const model = new Model(engine(), parseModel(json, 'page model'));
  try {
    const r = await networkLambda(engine(), model, { inputShape: [2], inputs: Float64Array.from(test.inputs), count: test.n, labels: Uint32Array.from(test.labels) },
      { estimator: 'paper', quantity: 'loss', orders: { from: 1, to: 4 } });
    expect(Math.abs(lambda - r.lambda)).toBeLessThan(1e-4);
  } finally {
    model.destroy();
  }
  expect(eigen).toHaveLength(3);
  expect(eigen.every(Number.isFinite)).toBe(true);
  expect(eigen[0]!).toBeGreaterThanOrEqual(eigen[1]!);
});

it('without navigator.gpu the page says so plainly and links to how to enable WebGPU', async () => {
  const p = await chromium!.browser.newPage();
  await p.evaluateOnNewDocument(() => {
    delete (Navigator.prototype as { gpu?: unknown }).gpu;
  });
  await p.goto(`${server!.url}?${QUERY}`, { waitUntil: 'load' });
  await p.waitForFunction(() => !(document.getElementById('nogpu') as HTMLElement).hidden, { timeout: 60_000 });
  await p.screenshot({ path: join(OUT, 'no-webgpu.png') });
  expect(await p.$eval('#nogpu h2', (e) => e.textContent)).toBe('This browser has no WebGPU');
  expect(await p.$eval('#nogpu-reason', (e) => e.textContent)).toMatch(/navigator\.gpu is missing/);
  expect(await p.$eval('#nogpu a', (e) => (e as HTMLAnchorElement).href)).toMatch(/^https:\/\//);
  expect(await p.$eval('#app', (e) => (e as HTMLElement).hidden)).toBe(true);
  await p.close();
});
