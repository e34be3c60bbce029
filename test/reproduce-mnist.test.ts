// Every MNIST experiment end to end at the smoke scale (one seed, one epoch on 256 random images):
// each trains, measures, and writes a complete report with its comparison table, its figures, the
// settings row that lists how this scale departs from the paper's code, and the sentence saying so.
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
    expect(md).toMatch(/departs from the paper's code \|[^\n]*1 epoch where the paper trains (10|15|30)/);
    expect(md).toContain('This run departs from the paper\'s code in: ');
    expect(md).toContain('256 training images where the paper has');
    expect(md).not.toContain('At quick scale');
    expect(md).not.toMatch(/NaN|undefined/);
    expect(readdirSync(join(dir, 'figures')).length).toBeGreaterThan(0);
  }, 900_000);
});
