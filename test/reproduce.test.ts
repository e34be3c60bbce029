// `jetcurve reproduce` end to end at the smoke scale (a few seconds): an experiment writes one
// result line per unit and a report; an interrupted one (results cut back) gives a partial
// report that names what is missing, refuses to start over without --resume, and with it redoes
// only the missing unit (its training run is read back, not retrained).
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JetcurveError } from '../src/errors.js';
import { EXPERIMENTS } from '../src/reproduce/registry.js';
import { mergeShards, parseShard, runExperiment } from '../src/reproduce/runner.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const out = mkdtempSync(join(tmpdir(), 'jetcurve-reproduce-'));
const experiment = EXPERIMENTS.get('moons-clean')!;
const logs: string[] = [];
const options = { out, scale: 'smoke' as const, resume: false, log: (m: string) => logs.push(m) };
const dir = join(out, 'moons-clean');
const lines = () => readFileSync(join(dir, 'results.jsonl'), 'utf8').split('\n').filter(Boolean);

describe('jetcurve reproduce (smoke scale)', () => {
  it('runs every unit, stores one line each, and writes a complete report', async () => {
    const r = await runExperiment(engine(), experiment, options);
    expect(r).toMatchObject({ finished: 3, total: 3 });
    expect(lines()).toHaveLength(3);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('**Status:** complete');
    expect(md).toContain('| mean test error (%) | 3.42 (95% CI 2.44 to 4.56) |');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('<svg');
    expect(readdirSync(join(dir, 'figures'))).toContain('clean.svg');
    expect(readdirSync(join(out, 'runs'))).toHaveLength(3);
    // The index over the folder's experiments: the six comparison rows of moons-clean, counted.
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as { complete: boolean; agrees: number; differs: number; other: number };
    expect(summary).toMatchObject({ complete: true, other: 0 });
    expect(summary.agrees + summary.differs).toBe(6);
    const index = readFileSync(join(out, 'index.md'), 'utf8');
    expect(index).toContain('**Status:** 1 of 14 experiments complete; no results yet in this folder: moons-protocol');
    expect(index).toContain(`| complete | ${summary.agrees} | ${summary.differs} | 0 | [moons-clean/report.html](moons-clean/report.html) |`);
    expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('<a href="moons-clean/report.html">moons-clean/report.html</a>');
  });

  it('after an interruption: a partial report, no silent restart, and --resume redoes only what is missing', async () => {
    writeFileSync(join(dir, 'results.jsonl'), `${lines().slice(0, 2).join('\n')}\n`);
    await runExperiment(null, experiment, options);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('PARTIAL: 2 of 3 units');
    expect(md).toMatch(/## Missing units\n\n- seed44/);
    expect(readFileSync(join(out, 'index.md'), 'utf8')).toContain('| PARTIAL: 2 of 3 units finished (scale smoke); the numbers below use only the finished ones. |');
    await expect(runExperiment(engine(), experiment, options)).rejects.toThrow(JetcurveError);
    logs.length = 0;
    const r = await runExperiment(engine(), experiment, { ...options, resume: true });
    expect(r.finished).toBe(3);
    expect(logs.join('\n')).toContain('2 of 3 units done, 1 to go');
    // The run of seed 44 was finished: read back, not trained again.
    expect(logs.join('\n')).not.toContain('training');
    expect(lines()).toHaveLength(3);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(true);
    // Resuming at another scale would mix settings: refused before anything runs.
    await expect(runExperiment(engine(), experiment, { ...options, scale: 'quick', resume: true })).rejects.toThrow(/run at scale smoke, not quick/);
  });

  it('refuses to resume results another version\'s settings produced, and its rewritten report shows those settings', async () => {
    const path = join(dir, 'manifest.json');
    const original = readFileSync(path, 'utf8');
    const older = JSON.parse(original) as { settings: Record<string, unknown> };
    older.settings['epochs'] = 999;
    writeFileSync(path, JSON.stringify(older));
    await expect(runExperiment(engine(), experiment, { ...options, resume: true })).rejects.toThrow(/other settings than this version of jetcurve uses \(epochs\)/);
    expect(lines()).toHaveLength(3);
    await runExperiment(null, experiment, options);
    const md = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(md).toContain('| epochs | 999 |');
    expect(md).toContain('**Settings changed:**');
    writeFileSync(path, original);
    await runExperiment(null, experiment, options);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).not.toContain('Settings changed');
  });
});

describe('jetcurve reproduce in shards', () => {
  it('runs each shard\'s share of the units, and --report-only --merge gathers them into one complete report', async () => {
    const shardOut = (i: number) => join(out, `shard-${i}`);
    const done = (i: number) => readFileSync(join(shardOut(i), 'moons-clean', 'results.jsonl'), 'utf8').split('\n').filter(Boolean)
      .map((l) => (JSON.parse(l) as { unit: string }).unit);
    for (const index of [1, 2]) await runExperiment(engine(), experiment, { ...options, out: shardOut(index), shard: { index, count: 2 } });
    // Units 0 and 2 of the plan in shard 1, unit 1 in shard 2.
    expect(done(1)).toEqual(['seed42', 'seed44']);
    expect(done(2)).toEqual(['seed43']);
    expect(readFileSync(join(shardOut(2), 'moons-clean', 'report.md'), 'utf8')).toContain('PARTIAL: 1 of 3 units');
    const merged = join(out, 'merged');
    expect(await mergeShards(merged, experiment, [shardOut(1), shardOut(2)])).toBe(3);
    await runExperiment(null, experiment, { ...options, out: merged });
    expect(readFileSync(join(merged, 'moons-clean', 'report.md'), 'utf8')).toContain('**Status:** complete');
    // The same units give the same numbers as the run in one piece (training is deterministic; its seconds are not).
    const measured = (l: string) => { const r = JSON.parse(l) as { unit: string; data: { trainSeconds?: number } }; const { trainSeconds: _s, ...rest } = r.data; return [r.unit, rest] as const; };
    const whole = new Map(lines().map(measured));
    for (const l of readFileSync(join(merged, 'moons-clean', 'results.jsonl'), 'utf8').split('\n').filter(Boolean)) {
      const [unit, data] = measured(l);
      expect(data).toEqual(whole.get(unit));
    }
    // A shard run with other settings is refused, not mixed in.
    const manifest = join(shardOut(2), 'moons-clean', 'manifest.json');
    const other = JSON.parse(readFileSync(manifest, 'utf8')) as { settings: Record<string, unknown> };
    other.settings['epochs'] = 999;
    writeFileSync(manifest, JSON.stringify(other));
    await expect(mergeShards(join(out, 'merged-bad'), experiment, [shardOut(1), shardOut(2)])).rejects.toThrow(/other settings .*epochs/);
  });

  it('reads --shard as i/n', () => {
    expect(parseShard('3/8')).toEqual({ index: 3, count: 8 });
    for (const bad of ['0/2', '3/2', '1', 'a/b']) expect(() => parseShard(bad)).toThrow(/not i\/n/);
  });
});
