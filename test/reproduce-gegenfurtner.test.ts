// gegenfurtner-theorem at the smoke scale: one ReLU net trained to interpolation, every
// inequality of Theorem 4.1 checked under both loss conventions; the report's counts come from
// the stored checks, and the conventions relate as scaling says they must.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../src/reproduce/registry.js';
import { runExperiment } from '../src/reproduce/runner.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

interface Check { id: string; holds: boolean; lhs: number; rhs: number }
interface Stage { stage: string; convention: string; loss: number; check: { curvature: number; trace: number; traceOfSquare: number; rank: number; checks: Check[] } }

describe('gegenfurtner-theorem (smoke scale)', () => {
  it('checks the printed and the proved inequalities at and near interpolation, and reports what it stored', async () => {
    const out = mkdtempSync(join(tmpdir(), 'jetcurve-theorem-'));
    const r = await runExperiment(engine(), EXPERIMENTS.get('gegenfurtner-theorem')!, { out, scale: 'smoke', resume: false, log: () => {} });
    expect(r).toMatchObject({ finished: 1, total: 1 });
    const line = JSON.parse(readFileSync(join(out, 'gegenfurtner-theorem', 'results.jsonl'), 'utf8').trim()) as { data: { points: number; rank: number; stages: Stage[] } };
    const { points, rank, stages } = line.data;
    const at = (stage: string, convention: string) => stages.find((s) => s.stage === stage && s.convention === convention)!;
    const sum = at('interpolation', 'sum');
    const mean = at('interpolation', 'mean');
    expect(sum.loss).toBeLessThan(1e-24);
    expect(rank).toBe(points);
    // At interpolation (∇L = 0) the mean loss is the sum over N: tr(H) scales by 1/N, K by 1/N².
    expect(mean.check.trace * points).toBeCloseTo(sum.check.trace, 8);
    expect((mean.check.curvature * points ** 2) / sum.check.curvature).toBeCloseTo(1, 10);
    // K = tr(H)² − tr(H²) there, and what the proof establishes holds.
    expect(sum.check.curvature / (sum.check.trace ** 2 - sum.check.traceOfSquare)).toBeCloseTo(1, 8);
    for (const id of ['Q1', 'Q2', 'C1', 'C2', 'P1']) expect(sum.check.checks.find((c) => c.id === id)!.holds).toBe(true);
    const md = readFileSync(join(out, 'gegenfurtner-theorem', 'report.md'), 'utf8');
    expect(md).toContain('**Status:** complete');
    for (const c of sum.check.checks) {
      expect(md).toContain(`| ${c.id} | ${c.id.startsWith('P') ? 'printed' : c.id.startsWith('Q') ? 'proof' : 'completion'} |`);
      expect(md).toMatch(new RegExp(`\\| ${c.id} \\| [a-z]+ \\| [^|]+ \\| interpolation \\| sum \\| ${c.holds ? 1 : 0} of 1 \\|`));
    }
    const p2 = sum.check.checks.find((c) => c.id === 'P2')!.holds;
    expect(md).toContain(p2 ? 'P2 holds on all 1' : 'P2 holds on 0 of 1 (sum)');
  });
});
