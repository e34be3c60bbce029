// The curvature papers' experiments through `jetcurve reproduce`: the analytic surface and the
// geometry checks run in full (they are cheap), the network ones at the smoke scale. Every
// expected value here is computed in the test from its own definition (central differences of
// f in float64, the known curvature of a sphere and a saddle), never read from the code.
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPERIMENTS } from '../src/reproduce/registry.js';
import { runExperiment } from '../src/reproduce/runner.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const out = mkdtempSync(join(tmpdir(), 'jetcurve-reproduce-curvature-'));
const options = { out, scale: 'smoke' as const, resume: false, log: () => undefined };
const stored = (name: string): Record<string, unknown>[] =>
  readFileSync(join(out, name, 'results.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { data: Record<string, unknown> }).data);

/** tr(H) and 2·(Gaussian curvature) of the graph of f at (u, v), by central differences in float64. */
function byDifferences(f: (u: number, v: number) => number, u: number, v: number, h = 1e-4): { trace: number; curvature: number } {
  const fu = (f(u + h, v) - f(u - h, v)) / (2 * h);
  const fv = (f(u, v + h) - f(u, v - h)) / (2 * h);
  const fuu = (f(u + h, v) - 2 * f(u, v) + f(u - h, v)) / h ** 2;
  const fvv = (f(u, v + h) - 2 * f(u, v) + f(u, v - h)) / h ** 2;
  const fuv = (f(u + h, v + h) - f(u + h, v - h) - f(u - h, v + h) + f(u - h, v - h)) / (4 * h ** 2);
  return { trace: fuu + fvv, curvature: 2 * (fuu * fvv - fuv ** 2) / (1 + fu ** 2 + fv ** 2) ** 2 };
}

describe('reproduce pouplin-analytic', () => {
  it('maps tr(H) and S of e^(−0.1u)·sin u·sin v to 1e-4 of central differences, and reports the printed formulas\' typos', async () => {
    const r = await runExperiment(engine(), EXPERIMENTS.get('pouplin-analytic')!, options);
    expect(r).toMatchObject({ finished: 1, total: 1 });
    const [data] = stored('pouplin-analytic') as { trace: number[]; curvature: number[] }[];
    const n = 21;
    expect(data!.trace).toHaveLength(n * n);
    const f = (u: number, v: number) => Math.exp(-0.1 * u) * Math.sin(u) * Math.sin(v);
    let [traceError, curvatureError] = [0, 0];
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        const want = byDifferences(f, 5 * Math.PI * i / (n - 1), 2 * Math.PI * j / (n - 1));
        traceError = Math.max(traceError, Math.abs(data!.trace[j * n + i]! - want.trace));
        curvatureError = Math.max(curvatureError, Math.abs(data!.curvature[j * n + i]! - want.curvature));
      }
    }
    expect(traceError).toBeLessThan(1e-4);
    expect(curvatureError).toBeLessThan(1e-4);
    const md = readFileSync(join(out, 'pouplin-analytic', 'report.md'), 'utf8');
    expect(md).toContain('**Status:** complete');
    expect(md).toMatch(/both within the 0\.0001 bar/);
    expect(md).toContain('the printed "−2u cos(u)" differs from the derivation\'s −2c·cos u');
    expect(md).toContain('with c in place of that u they agree');
    expect(md).toContain('the printed numerator is ours without the factor e^(2cu)');
    expect(md).toContain('with these four restored they agree');
    expect(readdirSync(join(out, 'pouplin-analytic', 'figures')).sort()).toEqual(['curvature.svg', 'error.svg', 'trace.svg']);
  });
});

describe('reproduce curvature-geometry', () => {
  it('gives n(n − 1)/r² on hemispheres and −8/(1 + 4x² + 4y²)² on the saddle', async () => {
    const r = await runExperiment(engine(), EXPERIMENTS.get('curvature-geometry')!, options);
    expect(r).toMatchObject({ finished: 7, total: 7 });
    const units = readFileSync(join(out, 'curvature-geometry', 'results.jsonl'), 'utf8').split('\n').filter(Boolean)
      .map((l) => JSON.parse(l) as { unit: string; data: { curvature: number[]; at: number[] } });
    const hemispheres: [string, number][] = [['hemisphere-n1-r1', 0], ['hemisphere-n2-r1', 2], ['hemisphere-n3-r1', 6], ['hemisphere-n5-r1', 20], ['hemisphere-n8-r1', 56], ['hemisphere-n3-r2', 1.5]];
    for (const [unit, k] of hemispheres) {
      const got = units.find((u) => u.unit === unit)!.data.curvature;
      expect(got).toHaveLength(7);
      for (const x of got) expect(Math.abs(x - k) / Math.max(1, k)).toBeLessThan(1e-4);
    }
    const saddle = units.find((u) => u.unit === 'saddle')!.data;
    saddle.curvature.forEach((k, p) => {
      const [x, y] = [saddle.at[2 * p]!, saddle.at[2 * p + 1]!];
      expect(Math.abs(k + 8 / (1 + 4 * x * x + 4 * y * y) ** 2)).toBeLessThan(1e-4);
    });
    expect(saddle.curvature[0]).toBeCloseTo(-8, 4);
    const md = readFileSync(join(out, 'curvature-geometry', 'report.md'), 'utf8');
    expect(md).toContain('**Status:** complete');
    expect(md).toMatch(/every surface within 0\.0001/);
    expect(md).toContain('5 of 5 hemispheres (n ≥ 2) positive at every point');
    expect(md).toContain('the saddle x² − y² is negative at every point');
    expect(md).toContain('its K is 0 at every point');
  });
});

describe('reproduce pouplin-perturbation (smoke)', () => {
  it('trains, perturbs and measures every model, and reports the correlations over them', async () => {
    const r = await runExperiment(engine(), EXPERIMENTS.get('pouplin-perturbation')!, options);
    expect(r).toMatchObject({ finished: 3, total: 3 });
    const rs = stored('pouplin-perturbation') as { loss: number; perturbed: number[]; spread: number; trace: number; curvature: number; curvatureStdErr: number }[];
    for (const x of rs) {
      expect(x.perturbed).toHaveLength(4);
      const mean = x.perturbed.reduce((a, b) => a + b, 0) / 4;
      expect(x.spread).toBeCloseTo(Math.sqrt(x.perturbed.reduce((a, b) => a + (b - mean) ** 2, 0) / 3), 12);
      expect(Number.isFinite(x.trace) && Number.isFinite(x.curvature) && x.curvatureStdErr >= 0).toBe(true);
    }
    const md = readFileSync(join(out, 'pouplin-perturbation', 'report.md'), 'utf8');
    expect(md).toContain('**Status:** complete');
    expect(md).toMatch(/Over 3 models, the spread of the perturbed loss correlates/);
    expect(readdirSync(join(out, 'pouplin-perturbation', 'figures')).sort()).toEqual(['spread-vs-curvature.svg', 'spread-vs-trace.svg']);
  });
});
