// The playground's static server (`jetcurve playground`, and the playground's browser test):
// the files of dist/playground/ from 127.0.0.1, which is a secure context, as WebGPU needs.
// Node only; the page itself needs no server beyond static files.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JetcurveError } from '../errors.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.json': 'application/json', '.png': 'image/png',
};

/** The package's root: the first folder above this module (src/playground/ or the bundle's dist/) holding build.mjs. */
export function packageRoot(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'build.mjs')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new JetcurveError(`cannot find jetcurve's folder (with build.mjs) above ${from}`, 'run jetcurve playground from an installed or checked-out jetcurve');
  }
}

/** The newest modification time (ms) of a file under `dir`, 0 when it does not exist. */
function newestUnder(dir: string): number {
  if (!existsSync(dir)) return 0;
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }, 0);
}

/**
 * dist/playground/, built by build.mjs when its page is missing or older than the sources it is
 * built from (a checkout edited since the last build would otherwise serve a stale page).
 */
export function playgroundFolder(root = packageRoot(), log: (line: string) => void = () => {}): string {
  const dir = join(root, 'dist', 'playground');
  const page = join(dir, 'playground.js');
  const missing = !existsSync(join(dir, 'index.html')) || !existsSync(page);
  const stale = !missing && ['src', 'shaders', 'kernels'].some((d) => newestUnder(join(root, d)) > statSync(page).mtimeMs);
  if (missing || stale) {
    log(`building the playground (node build.mjs${stale ? ': its sources changed since the last build' : ''})…`);
    try {
      execFileSync(process.execPath, ['build.mjs'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] });
    } catch {
      throw new JetcurveError('building the playground failed (see the output above)', `run \`node build.mjs\` in ${root} and fix what it reports`);
    }
  }
  return dir;
}

export interface Served {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** A port as typed (--port) or given: a whole number in 0..65535 (0: any free port), else a JetcurveError naming it. */
export function checkPort(port: number | string): number {
  const n = typeof port === 'number' ? port : port.trim() === '' ? NaN : Number(port);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new JetcurveError(`port '${port}' is not a whole number in 0..65535`, 'give e.g. --port 8080, or --port 0 for any free port');
  return n;
}

/** Serves `dir` on 127.0.0.1:port (0: a free port). Only files inside `dir`; no listing. */
export async function servePlayground(dir: string, port = 0): Promise<Served> {
  checkPort(port);
  const root = normalize(dir + sep);
  const server = createServer((req, res) => {
    let name = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (name.endsWith('/')) name += 'index.html';
    const path = normalize(join(root, name));
    if (path.startsWith(root) && existsSync(path)) {
      const type = TYPES[path.slice(path.lastIndexOf('.'))] ?? 'application/octet-stream';
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' }).end(readFileSync(path));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => reject(e.code === 'EADDRINUSE'
      ? new JetcurveError(`port ${port} on 127.0.0.1 is in use`, 'give another --port, or --port 0 for any free one') : e));
    server.listen(port, '127.0.0.1', resolve);
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}/`, port: actual,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
