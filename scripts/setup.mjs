#!/usr/bin/env node
// Brings a fresh checkout to a runnable state, and does nothing that is already done:
//   1. npm packages (when node_modules is missing or older than package-lock.json),
//   2. Debian's chromium (SwiftShader's Vulkan driver, and the browser of the Chromium tests)
//      and libvulkan1 (the Vulkan loader Dawn opens),
//   3. the esbuild bundles (when a source file is newer than the bundle),
//   4. node_modules/.bin/jetcurve, so that `npx jetcurve …` works from the checkout.
// Only Node's own modules are used here: this runs before anything is installed.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, readdirSync, mkdirSync, symlinkSync, rmSync, chmodSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const quiet = process.argv.includes('--quiet');
const log = (msg) => { if (!quiet) console.error(`[setup] ${msg}`); };
const run = (cmd, env = {}) => execSync(cmd, { cwd: root, stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...env } });

function mtime(path) {
  return existsSync(path) ? statSync(path).mtimeMs : 0;
}

// A folder's own mtime counts too: deleting or renaming a file changes only the folder's.
function newestIn(dir) {
  if (!existsSync(dir)) return 0;
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestIn(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function installPackages() {
  const marker = join(root, 'node_modules', '.package-lock.json');
  if (existsSync(marker) && mtime(marker) >= mtime(join(root, 'package-lock.json'))) return;
  log('installing npm packages');
  // puppeteer-core never downloads a browser; the flag is for any puppeteer that sneaks in.
  // onnxruntime-node ships its CPU binaries in the package; its postinstall would fetch the CUDA
  // provider from outside the npm registry on linux/x64, which jetcurve (the tests' oracle) never uses.
  run('npm ci --no-audit --no-fund --loglevel=error', { PUPPETEER_SKIP_DOWNLOAD: '1', ONNXRUNTIME_NODE_INSTALL: 'skip' });
}

function hasVulkanLoader() {
  for (const dir of ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64', '/usr/lib']) {
    if (existsSync(join(dir, 'libvulkan.so.1'))) return true;
  }
  return false;
}

function installSystemPackages() {
  if (process.platform !== 'linux') return;
  const missing = [];
  if (!existsSync('/usr/bin/chromium')) missing.push('chromium');
  if (!hasVulkanLoader()) missing.push('libvulkan1');
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  let sudo = '';
  if (!isRoot) {
    try { execSync('command -v sudo', { stdio: 'ignore' }); sudo = 'sudo '; } catch {
      console.error(`[setup] jetcurve needs the Debian packages ${missing.join(', ')} (SwiftShader's WebGPU and the headless browser).\n` +
        `[setup] Install them as root: apt-get install -y ${missing.join(' ')}`);
      process.exit(1);
    }
  }
  log(`installing Debian packages: ${missing.join(', ')}`);
  run(`${sudo}apt-get update -qq`);
  run(`${sudo}apt-get install -y -qq --no-install-recommends ${missing.join(' ')}`, { DEBIAN_FRONTEND: 'noninteractive' });
}

// Every bundle build.mjs writes (its `outfile:` lines): the oldest one, 0 when one is missing,
// must be newer than every source.
function bundles() {
  return [...readFileSync(join(root, 'build.mjs'), 'utf8').matchAll(/outfile:\s*'([^']+)'/g)].map((m) => m[1]);
}

function buildBundles() {
  const outputs = bundles();
  const built = outputs.length === 0 ? 0 : Math.min(...outputs.map((path) => mtime(join(root, path))));
  const sources = Math.max(...['src', 'kernels', 'shaders', 'bench', 'test/cases', 'test/browser'].map((dir) => newestIn(join(root, dir))),
    mtime(join(root, 'build.mjs')), mtime(join(root, 'package-lock.json')));
  if (built >= sources) return;
  log('building bundles');
  run('node build.mjs');
}

function linkBin() {
  const bin = join(root, 'node_modules', '.bin');
  const link = join(bin, 'jetcurve');
  const target = join(root, 'dist', 'cli.js');
  mkdirSync(bin, { recursive: true });
  if (existsSync(link)) return;
  rmSync(link, { force: true });
  symlinkSync(relative(bin, target), link);
  chmodSync(target, 0o755);
}

installPackages();
installSystemPackages();
buildBundles();
linkBin();
