// The browser bundle of the kernel cases (built by build.mjs into dist/browser/tests.js).
// test/kernels.browser.test.ts loads it in headless Chromium and reads window.jetcurveTests.
import { createEngine } from '../../src/browser.js';
import { kernelCaseList } from '../cases/index.js';
import type { CaseOutcome } from '../cases/harness.js';

export interface BrowserOutcome extends CaseOutcome { readonly op: string; readonly error?: string }

async function runAll(): Promise<BrowserOutcome[]> {
  const engine = await createEngine();
  const results: BrowserOutcome[] = [];
  for (const [op, cases] of kernelCaseList()) {
    for (const c of cases) {
      try {
        results.push({ op, ...(await engine.checked(() => c.run(engine))) });
      } catch (e) {
        results.push({ op, name: c.name, errors: [], tolerances: [], ok: false, detail: String(e), error: String(e) });
      }
    }
  }
  await engine.destroy();
  return results;
}

(globalThis as { jetcurveTests?: Promise<BrowserOutcome[]> }).jetcurveTests = runAll();
