// curvature-dynamics at the smoke scale: plain, SAM and CRR runs of one seed, measured at
// initialization and after each epoch with the code of train --curvature-every, and a report whose
// answers about the functional rank are sentences computed from the numbers.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../src/reproduce/registry.js';
import { runExperiment } from '../src/reproduce/runner.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

interface Point { epoch: number; inputLambda: number | null; curvature: { points: number; parameters: number; functionalRank: number | null; jacobianLogCondition: number | null; trace: number } }

describe('curvature-dynamics (smoke scale)', () => {
  it('measures every epoch of plain, SAM and CRR runs and answers the rank question from the numbers', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jetcurve-curvature-dynamics-'));
    const r = await runExperiment(engine(), EXPERIMENTS.get('curvature-dynamics')!, { out, scale: 'smoke', resume: false, log: () => {} });
    expect(r).toMatchObject({ finished: 3, total: 3 });
    expect(readdirSync(join(out, 'runs')).sort()).toEqual([
      'moons_mlp_crr0.003-o2.3-d1-m64-mean-fresh_noise0.3_e2_b128_lr0.01_n256_paperdata_seed200',
      'moons_mlp_plain_noise0.3_e2_b128_lr0.01_n256_paperdata_seed200',
      'moons_mlp_sam0.05_noise0.3_e2_b128_lr0.01_n256_paperdata_seed200',
    ]);
    const results = readFileSync(join(out, 'curvature-dynamics', 'results.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { data: { epochs: Point[] } });
    for (const line of results) {
      const epochs = line.data.epochs;
      expect(epochs.map((p) => p.epoch)).toEqual([0, 1, 2]);
      for (const p of epochs) {
        expect(p.curvature.points).toBe(16);
        expect(p.curvature.parameters).toBe(4482);
        // 16 points × 2 logits: J_Z has 32 rows.
        expect(p.curvature.functionalRank).toBeGreaterThan(0);
        expect(p.curvature.functionalRank).toBeLessThanOrEqual(32);
        expect(Number.isFinite(p.curvature.trace)).toBe(true);
        expect(p.curvature.jacobianLogCondition).toBeGreaterThan(0);
      }
    }
    const md = readFileSync(join(out, 'curvature-dynamics', 'report.md'), 'utf8');
    expect(md).toContain('**Status:** complete');
    expect(md).toMatch(/\*\*Functional rank\*\* \(rank of J_Z at 16 training points; at most 32\): plain Adam: \d+\.\d at initialization, \d+\.\d after epoch 2/);
    expect(md).toMatch(/At epoch 2, plain Adam and SAM \(ρ = 0\.05\) (differ|overlap)/);
    expect(md).toContain('With 1 seed(s) per method this is a first look, not a test.');
    expect(md).toContain('We ask if SGD (or other training methods) also control functional dimension');
    expect(md).toMatch(/\*\*Input-space λ beside the parameter space\.\*\* Pearson correlation of the input-space λ with, over all 6 \(run, trained epoch\) measurements/);
    expect(md).not.toMatch(/NaN|undefined/);
    const figures = readdirSync(join(out, 'curvature-dynamics', 'figures'));
    for (const f of ['dynamics-rank.svg', 'dynamics-input-lambda.svg', 'dynamics-param-lambda-raw.svg', 'dynamics-trace.svg', 'dynamics-lambda-max.svg', 'dynamics-scalar-curvature.svg']) expect(figures).toContain(f);
  }, 900_000);
});
