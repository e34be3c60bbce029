// `jetcurve playground` as a user runs it (the built CLI, a child process): it serves the page and
// its assets from 127.0.0.1 on a free port and prints the address, refuses a bad or busy --port
// with a message (exit code 2, no stack trace), and stops cleanly on SIGTERM. No browser here:
// test/playground.browser.test.ts drives the page itself.
import { spawn } from 'node:child_process';
import { get as httpGet } from 'node:http';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { buildCli, cliIn, type Run } from './cli-run.js';

const root = new URL('..', import.meta.url).pathname;
const cli = cliIn(root, 60_000);

beforeAll(buildCli, 300_000);

const userError = (r: Run, pattern: RegExp): void => {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
};

it('serves index.html and its assets on the printed address, and stops cleanly on SIGTERM', async () => {
  const child = spawn(process.execPath, [join(root, 'dist/cli.js'), 'playground', '--port', '0'], { cwd: root });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        const m = /jetcurve playground: (http:\/\/127\.0\.0\.1:(\d+)\/)/.exec(stdout);
        if (m) resolve(m[1]!);
      });
      void exited.then((code) => reject(new Error(`playground exited (${code}) before printing its address:\n${stdout}${stderr}`)));
    });
    expect(Number(/:(\d+)\/$/.exec(url)![1])).toBeGreaterThan(0);
    const get = async (path: string) => {
      const r = await fetch(new URL(path, url));
      return { status: r.status, type: r.headers.get('content-type'), body: await r.text() };
    };
    const index = await get('/');
    expect(index.status).toBe(200);
    expect(index.type).toMatch(/^text\/html/);
    expect(index.body).toContain('<title>jetcurve playground');
    // Every asset the page names is there, with a content type a browser runs or applies.
    expect(index.body).toContain('src="playground.js"');
    expect(index.body).toContain('href="playground.css"');
    const js = await get('/playground.js');
    expect([js.status, js.type]).toEqual([200, 'text/javascript']);
    expect(js.body.length).toBeGreaterThan(10_000);
    const css = await get('/playground.css');
    expect([css.status, css.type]).toEqual([200, 'text/css']);
    expect((await get('/index.html')).body).toBe(index.body);
    expect((await get('/nothing-here.js')).status).toBe(404);
    // Nothing outside dist/playground/: a path climbing out (sent raw, as fetch would normalize it) is not served.
    expect(await rawStatus(url, '/..%2f..%2fpackage.json')).toBe(404);
  } finally {
    child.kill('SIGTERM');
  }
  expect(await exited).toBe(0);
  expect(stdout).toMatch(/jetcurve playground: stopped/);
  expect(stderr).not.toMatch(/\n\s+at /);
}, 120_000);

it('refuses a --port that is not a port, with what to give instead', async () => {
  for (const port of ['abc', '70000']) {
    userError(await cli('playground', '--port', port), new RegExp(`port '${port}' is not a whole number in 0\\.\\.65535[^]*--port 8080`));
  }
}, 120_000);

it('says so when the port is taken', async () => {
  const taken: Server = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  const { port } = taken.address() as { port: number };
  try {
    userError(await cli('playground', '--port', String(port)), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is in use[^]*another --port`));
  } finally {
    await new Promise<void>((resolve) => taken.close(() => resolve()));
  }
}, 60_000);

/** The status of GET `path` exactly as written (no URL normalization on the way). */
function rawStatus(base: string, path: string): Promise<number | undefined> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    httpGet({ hostname, port, path }, (res) => { res.resume(); resolve(res.statusCode); }).on('error', reject);
  });
}

it('rebuilds the page when it is missing or older than its sources, and not otherwise', async () => {
  const { mkdtempSync, mkdirSync, writeFileSync, utimesSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { playgroundFolder } = await import('../src/playground/server.js');
  // A stand-in package: its build.mjs writes the two files the server looks for.
  const fake = mkdtempSync(join(tmpdir(), 'jetcurve-playground-root-'));
  writeFileSync(join(fake, 'package.json'), '{}');
  writeFileSync(join(fake, 'build.mjs'), "import { mkdirSync, writeFileSync } from 'node:fs';\nmkdirSync('dist/playground', { recursive: true });\nfor (const f of ['index.html', 'playground.js']) writeFileSync('dist/playground/' + f, '');\n");
  mkdirSync(join(fake, 'src'));
  writeFileSync(join(fake, 'src', 'page.ts'), '');
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(fake, 'src', 'page.ts'), past, past);
  const builds = (): number => {
    const lines: string[] = [];
    playgroundFolder(fake, (l) => lines.push(l));
    return lines.filter((l) => l.startsWith('building the playground')).length;
  };
  expect(builds()).toBe(1);
  expect(builds()).toBe(0);
  const future = new Date(Date.now() + 60_000);
  utimesSync(join(fake, 'src', 'page.ts'), future, future);
  expect(builds()).toBe(1);
});
