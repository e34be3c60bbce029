// What test/kernels.browser.test.ts needs around the page: fresh bundles, a server on
// 127.0.0.1 (WebGPU needs a secure context), and Debian's headless Chromium on SwiftShader.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const CHROMIUM = '/usr/bin/chromium';

// What WebGPU on SwiftShader needs in headless Chromium (ARCHITECTURE.md, "Where it runs").
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Runs build.mjs, so the page never runs a bundle older than the sources. */
export function buildBundles(): void {
  execFileSync(process.execPath, ['build.mjs'], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
}

export interface Served {
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `html` at / and the files of `dir` by name (no subfolders) on 127.0.0.1, on a free port. */
export async function serve(html: string, dir: string): Promise<Served> {
  const types: Record<string, string> = { '.js': 'text/javascript', '.map': 'application/json' };
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://127.0.0.1').pathname.slice(1);
    const path = join(dir, name);
    if (name === '') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
    } else if (/^[\w.-]+$/.test(name) && existsSync(path)) {
      const type = types[name.slice(name.lastIndexOf('.'))] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(readFileSync(path));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface Chromium {
  readonly browser: Browser;
  close(): Promise<void>;
}

/** Headless Chromium with WebGPU on SwiftShader, in a fresh profile. Throws (never skips) when it is missing. */
export async function launchChromium(): Promise<Chromium> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing, so the Chromium tests cannot run. ` +
      'Run `npm test` (its setup installs it), or install it as root: apt-get install -y chromium');
  }
  const profile = mkdtempSync(join(tmpdir(), 'jetcurve-chromium-'));
  try {
    const browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      userDataDir: profile,
      args: CHROMIUM_FLAGS,
      // One page.evaluate waits for every kernel case; SwiftShader is slow.
      protocolTimeout: 900_000,
    });
    return {
      browser,
      close: async () => {
        await browser.close();
        rmSync(profile, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(profile, { recursive: true, force: true });
    throw e;
  }
}

/** Prints the page's console errors and warnings and its uncaught errors to the test output. */
export function forwardPageErrors(page: Page): void {
  page.on('console', (msg) => {
    const type = msg.type();
    if (type === 'error' || type === 'warn') console.error(`[chromium console.${type}] ${msg.text()}`);
  });
  page.on('pageerror', (error) => console.error(`[chromium page error] ${error instanceof Error ? error.stack ?? error.message : String(error)}`));
  page.on('requestfailed', (req) => console.error(`[chromium request failed] ${req.url()}: ${req.failure()?.errorText ?? ''}`));
}
