// `jetcurve train` as a child process: a tiny run writes its files; bad input exits with code 2
// and a message (no stack trace); a diverging run stops with a clear message and keeps its files.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'jetcurve-train-cli-'));

interface Run { code: number; stdout: string; stderr: string }

function cli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(root, 'dist/cli.js'), 'train', ...args], { cwd: dir, timeout: 240_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  await new Promise<void>((resolve, reject) => {
    execFile(process.execPath, ['build.mjs'], { cwd: root }, (error, _out, stderr) => (error ? reject(new Error(stderr)) : resolve()));
  });
});

const userError = (r: Run, pattern: RegExp) => {
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
};

describe('jetcurve train', () => {
  it('a tiny Two Moons run writes metrics.jsonl, checkpoint.json, model.json and summary.json', async () => {
    const r = await cli('--dataset', 'moons', '--epochs', '2', '--train-size', '256', '--lambda-points', '16', '--out', 'tiny');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/2 epochs, test error/);
    const lines = readFileSync(join(dir, 'tiny', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.epoch)).toEqual([1, 2]);
    for (const key of ['trainLoss', 'testError', 'ece', 'hardest20Accuracy', 'lambda', 'seconds']) expect(lines[1]).toHaveProperty(key);
    expect(lines[1].lambda).toMatchObject({ convention: 'raw', orders: '1-4', quantity: 'loss', points: 16 });
    const model = JSON.parse(readFileSync(join(dir, 'tiny', 'model.json'), 'utf8'));
    expect(model.format).toBe('jetcurve-model/1');
    expect(model.layers.map((l: { type: string }) => l.type)).toEqual(['dense', 'tanh', 'dense', 'tanh', 'dense']);
    expect(model.meta.data.standardizer.mean).toHaveLength(2);
    const summary = JSON.parse(readFileSync(join(dir, 'tiny', 'summary.json'), 'utf8'));
    expect(summary).toMatchObject({ status: 'finished', epochs: 2, trainExamples: 256, testExamples: 900 });
    expect(existsSync(join(dir, 'tiny', 'checkpoint.json'))).toBe(true);
  });

  it('rejects an unknown dataset, model, regularizer or width', async () => {
    userError(await cli('--dataset', 'cifar', '--out', 'x'), /unknown dataset 'cifar'/);
    userError(await cli('--dataset', 'moons', '--model', 'resnet', '--out', 'x'), /unknown model 'resnet'/);
    userError(await cli('--dataset', 'moons', '--reg', 'mixup', '--out', 'x'), /unknown regularizer 'mixup'/);
    userError(await cli('--dataset', 'moons', '--reg', 'crr', '--crr-orders', '0-4', '--out', 'x'), /order/);
    userError(await cli('--dataset', 'moons', '--model', 'cnn', '--out', 'x'), /CNN takes images/);
  });

  it('rejects label noise outside [0, 1), bad numbers, missing MNIST files, and --resume without a run', async () => {
    userError(await cli('--dataset', 'moons', '--label-noise', '1', '--out', 'x'), /label-noise rate must lie in \[0, 1\), got 1/);
    userError(await cli('--dataset', 'moons', '--label-noise', '-0.1', '--out', 'x'), /label-noise rate/);
    userError(await cli('--dataset', 'moons', '--epochs', 'many', '--out', 'x'), /--epochs 'many' is not an integer/);
    userError(await cli('--dataset', 'mnist', '--mnist-dir', join(dir, 'nowhere'), '--out', 'x'), /MNIST file .* is missing/);
    userError(await cli('--dataset', 'moons', '--resume', '--out', 'empty'), /holds no checkpoint/);
  });

  it('stops at a non-finite loss with a clear message and keeps what was written', async () => {
    const r = await cli('--dataset', 'moons', '--lr', '1e38', '--lambda-points', '0', '--out', 'nan');
    userError(r, /training diverged at epoch 1, batch \d+ of \d+: the loss is NaN/);
    expect(JSON.parse(readFileSync(join(dir, 'nan', 'summary.json'), 'utf8'))).toMatchObject({ status: 'diverged', epoch: 1 });
  });
});
