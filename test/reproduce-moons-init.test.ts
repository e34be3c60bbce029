// moons-init at the smoke scale: both initializations train in their own run folders (the
// default's under the key it always had), and the report compares each cell with the paper.
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../src/reproduce/registry.js';
import { runExperiment } from '../src/reproduce/runner.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

describe('moons-init (smoke scale)', () => {
  it('trains Xavier and PyTorch-init runs clean and noisy, and says which lands nearer the paper', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jetcurve-moons-init-'));
    const r = await runExperiment(engine(), EXPERIMENTS.get('moons-init')!, { out, scale: 'smoke', resume: false, log: () => {} });
    expect(r).toMatchObject({ finished: 4, total: 4 });
    const runs = readdirSync(join(out, 'runs')).sort();
    expect(runs).toEqual([
      'moons_mlp_plain_noise0.3_e1_b128_lr0.01_n256_paperdata_pytorchinit_seed42',
      'moons_mlp_plain_noise0.3_e1_b128_lr0.01_n256_paperdata_seed42',
      'moons_mlp_plain_noise0_e1_b128_lr0.01_n256_paperdata_pytorchinit_seed42',
      'moons_mlp_plain_noise0_e1_b128_lr0.01_n256_paperdata_seed42',
    ]);
    const md = readFileSync(join(out, 'moons-init', 'report.md'), 'utf8');
    expect(md).toContain('**Status:** complete');
    expect(md).toMatch(/\| none \| Xavier weights, zero biases \(the notebook's code\) \| -?\d\.\d{3} ± 0\.000 \(n = 1\) \| 1\.98 \|/);
    expect(md).toMatch(/\| 30% \| PyTorch default \(weights and biases U\(±1\/√fan_in\)\) \| -?\d\.\d{3} ± 0\.000 \(n = 1\) \| 1\.59 \|/);
    expect(md).toMatch(/Clean, (Xavier|PyTorch default)[^:]* lands nearer the paper's λ 1\.98/);
    expect(md).toMatch(/At 30% label noise, (Xavier|PyTorch default)[^:]* lands nearer the paper's λ 1\.59/);
    expect(md).toMatch(/the mean test error moves by -?\d+\.\d\d pp clean and -?\d+\.\d\d pp at 30% noise, and the mean λ by -?\d\.\d{3} clean/);
    expect(md).toContain('scripts/moons-crosscheck.py');
    expect(existsSync(join(out, 'moons-init', 'report.html'))).toBe(true);
  });
});
