// moons-dynamics at the smoke scale: each run is measured epoch by epoch into its per-epoch file
// (one line per measured epoch), and a second pass reads those points back instead of measuring
// again: deleting one line makes exactly that epoch come back.
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../src/reproduce/registry.js';
import { runExperiment } from '../src/reproduce/runner.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

describe('moons-dynamics (smoke scale)', () => {
  it('measures every epoch of baseline and CRR once, and resumes at a missing epoch', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jetcurve-moons-dynamics-'));
    const experiment = EXPERIMENTS.get('moons-dynamics')!;
    const options = { out, scale: 'smoke' as const, resume: false, log: () => {} };
    expect(await runExperiment(engine(), experiment, options)).toMatchObject({ finished: 2, total: 2 });
    const runs = readdirSync(join(out, 'runs'));
    expect(runs).toHaveLength(2);
    const file = join(out, 'runs', runs[0]!, 'reproduce-dynamics.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { epoch: number }).epoch)).toEqual([1, 2]);
    // Drop the last epoch's point and the unit's result: --resume measures that epoch alone, the same again.
    writeFileSync(file, `${lines[0]}\n`);
    const results = join(out, 'moons-dynamics', 'results.jsonl');
    const condition = runs[0]!.includes('_crr') ? 'crr' : 'baseline';
    const kept = readFileSync(results, 'utf8').trim().split('\n').filter((l) => !l.startsWith(`{"unit":"${condition}_seed`));
    expect(kept).toHaveLength(1);
    writeFileSync(results, `${kept.join('\n')}\n`);
    expect(await runExperiment(engine(), experiment, { ...options, resume: true })).toMatchObject({ finished: 2, total: 2 });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toEqual(lines);
  });
});
