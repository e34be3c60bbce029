// The built CLI (dist/cli.js) as a user runs it: a child process in a scratch folder, its exit
// code and output; and a fresh build before the first run.
import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface Run { code: number; stdout: string; stderr: string }

const root = new URL('..', import.meta.url).pathname;

/** A runner of `jetcurve <args>` with `dir` as the working folder. */
export function cliIn(dir: string, timeout = 200_000): (...args: string[]) => Promise<Run> {
  return (...args) => new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'dist/cli.js'), ...args], { cwd: dir, timeout }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Runs build.mjs, so the CLI under test is never older than the sources. */
export function buildCli(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['build.mjs'], { cwd: root }, (error, _out, stderr) => (error ? reject(new Error(stderr)) : resolve()));
  });
}
