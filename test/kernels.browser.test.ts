// Every kernel case against the float64 reference, in headless Chromium on navigator.gpu.
// vitest collects tests synchronously, so the case names come from the same table the page
// runs (test/cases/index.ts); the page runs all of them once, in beforeAll, and each test
// reads its own outcome.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserOutcome } from './browser/entry.js';
import { buildBundles, forwardPageErrors, launchChromium, ROOT, serve, type Chromium, type Served } from './browser/serve.js';
import { kernelCaseList } from './cases/index.js';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<link rel="icon" href="data:,">
<title>jetcurve kernel tests</title>
<script type="module" src="/tests.js"></script>
`;

const key = (op: string, name: string): string => `${op}\u0000${name}`;

let server: Served | null = null;
let chromium: Chromium | null = null;
const outcomes = new Map<string, BrowserOutcome>();

beforeAll(async () => {
  buildBundles();
  server = await serve(PAGE, join(ROOT, 'dist', 'browser'));
  chromium = await launchChromium();
  const page = await chromium.browser.newPage();
  forwardPageErrors(page);
  await page.goto(server.url, { waitUntil: 'load' });
  const results = await page.evaluate(() => (globalThis as { jetcurveTests?: Promise<BrowserOutcome[]> }).jetcurveTests ?? null);
  if (results === null) throw new Error('the page did not set window.jetcurveTests: dist/browser/tests.js failed to load (see the page errors above)');
  for (const r of results) outcomes.set(key(r.op, r.name), r);
}, 900_000);

afterAll(async () => {
  await chromium?.close();
  await server?.close();
});

for (const [op, cases] of kernelCaseList()) {
  describe(`${op} (chromium)`, () => {
    for (const c of cases) {
      it(c.name, () => {
        const result = outcomes.get(key(op, c.name));
        if (!result) throw new Error(`the page reported no outcome for ${op} / ${c.name}`);
        expect(result.ok, result.detail).toBe(true);
      });
    }
  });
}
