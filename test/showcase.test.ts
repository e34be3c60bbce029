// `jetcurve showcase` (what npm start runs) end to end at 2 epochs: the analytic suite passes,
// three Two Moons runs train, and the HTML report is one self-contained page; a second call
// reuses the finished runs instead of training them again.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'jetcurve-showcase-'));

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'dist/cli.js'), 'showcase', ...args], { cwd: dir, timeout: 300_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['build.mjs'], { cwd: root }, (error, _out, stderr) => (error ? reject(new Error(stderr)) : resolve()));
  });
});

describe('jetcurve showcase', () => {
  it('writes a self-contained HTML report of the suite and the three runs, and reuses finished runs', async () => {
    const first = await cli('--epochs', '2', '--out', 'sc');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/report: .*sc\/report\.html/);
    expect(readdirSync(join(dir, 'sc', 'runs')).sort().map((k) => k.split('_')[2])).toEqual(['crr0.005-o2.3-d1', 'plain', 'sam0.01']);
    const html = readFileSync(join(dir, 'sc', 'report.html'), 'utf8');
    expect(html).not.toMatch(/<(script|link|img)\b|src="http/);
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(3);
    for (const name of ['plain', 'crr', 'sam']) expect(html).toMatch(new RegExp(`<td>${name}</td>`));
    expect(html).not.toMatch(/<td>NO<\/td>/);

    const second = await cli('--epochs', '2', '--out', 'sc');
    expect(second.code).toBe(0);
    expect(second.stdout.match(/resuming after epoch 2/g)).toHaveLength(3);
    expect(second.stdout).not.toMatch(/epoch 2: test error/);
  }, 600_000);

  it('rejects a bad epoch count with a message, no stack trace', async () => {
    const r = await cli('--epochs', '0', '--out', 'bad');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--epochs '0' is not a positive integer/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
