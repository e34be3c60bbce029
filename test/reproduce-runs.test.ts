// Runs measured epoch by epoch (moons-dynamics, curvature-dynamics) take the model after exactly
// that epoch: a run folder trained further refuses, rather than give its final model silently.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JetcurveError } from '../src/errors.js';
import { moonsSpec } from '../src/reproduce/experiments/moons-common.js';
import { trainRun, trainRunTo } from '../src/reproduce/runs.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

describe('trainRunTo', () => {
  it('trains epoch by epoch, and refuses a folder trained past the epoch asked for', async () => {
    const ctx = { engine: engine(), runsDir: mkdtempSync(join(tmpdir(), 'jetcurve-runs-')), log: () => {} };
    const spec = moonsSpec({ seeds: 1, epochs: 3, trainSize: 128 }, 5, 0.3);
    expect((await trainRunTo(ctx, spec, 1, 'test')).summary.epochs).toBe(1);
    expect((await trainRunTo(ctx, spec, 2, 'test')).summary.epochs).toBe(2);
    await trainRun(ctx, spec);
    await expect(trainRunTo(ctx, spec, 2, 'moons-dynamics')).rejects.toThrow(JetcurveError);
    await expect(trainRunTo(ctx, spec, 2, 'moons-dynamics')).rejects.toThrow(/trained for 3 epochs, but moons-dynamics needs its model after epoch 2/);
  });
});
