// Every MNIST experiment end to end at the smoke scale (one seed, one epoch on 256 images): each
// trains, measures, and writes a complete report with its comparison table, its figures and the
// paragraph that says how this scale's training departs from the paper's.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExperimentName } from '../src/reproduce/paper.js';
import { EXPERIMENTS } from '../src/reproduce/registry.js';
import { runExperiment } from '../src/reproduce/runner.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const out = mkdtempSync(join(tmpdir(), 'jetcurve-reproduce-mnist-'));

describe.each<ExperimentName>(['mnist-noise', 'mnist-crr', 'mnist-ablation', 'mnist-sam'])('%s (smoke scale)', (name) => {
  it('runs every unit and writes an honest, complete report', async () => {
    const experiment = EXPERIMENTS.get(name)!;
    const r = await runExperiment(engine(), experiment, { out, scale: 'smoke', resume: false, log: () => {} });
    expect(r.finished).toBe(r.total);
    const dir = join(out, name);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('**Status:** complete');
    expect(md).toContain('| quantity | paper | ours');
    expect(md).toContain('At this scale the small CNN trains 1 epoch on the first 256 training images with Adam at 0.003 decaying to 0 along a cosine');
    expect(md).toContain('~97.4% in the same time');
    expect(md).not.toMatch(/NaN|undefined/);
    expect(readdirSync(join(dir, 'figures')).length).toBeGreaterThan(0);
  }, 300_000);
});
