// `npm run bench -- --only elementwise`: each unary elementwise op's forward and reverse kernel
// at K = 4, 8 and 60 on 256 rows × 64 features (the MLP's hidden layer), rendered from the
// template (kernels/unary.ts) against the kernels of the revision before it, read from git
// (`--before REV`, default the parent of the commit that added the template; `--ops sin,cos`
// times only those) and dispatched as they were: one feature
// per thread, private arrays of 61 coefficients (tanh: four features per thread, looped; its
// unrolled K ≤ 8 kernels were a TS generator and are not rebuilt here, so tanh's K ≤ 8 rows
// compare with its looped kernel). Both variants of a cell are timed interleaved in one run.
import { execFileSync } from 'node:child_process';
import { ELEMENTWISE_OPS, type UnaryOp } from '../kernels/index.js';
import { runUnary, runUnaryVjp } from '../kernels/elementwise.js';
import type { Engine, KernelSource } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { Random } from '../src/util/random.js';
import { interleaved } from './timing.js';

/** The old shader of each op, the entry points and how many features a thread took. */
const BEFORE: Readonly<Record<string, { file: string; math: boolean; lanes: number }>> = {
  exp: { file: 'exp', math: true, lanes: 1 },
  log: { file: 'log', math: true, lanes: 1 },
  sin: { file: 'sincos', math: true, lanes: 1 },
  cos: { file: 'sincos', math: true, lanes: 1 },
  sqrt: { file: 'sqrt', math: false, lanes: 1 },
  sigmoid: { file: 'sigmoid', math: true, lanes: 1 },
  reciprocal: { file: 'reciprocal', math: false, lanes: 1 },
  tanh: { file: 'tanh', math: true, lanes: 4 },
};

export interface ElementwiseFigure {
  readonly op: string;
  readonly pass: 'forward' | 'vjp';
  readonly order: number;
  readonly beforeMs: number | null;
  readonly afterMs: number;
}

const ORDERS = [4, 8, 60] as const;
const ROWS = 256;
const FEATURES = 64;
/** Dispatches per timed call, so that a call is well above the timer's noise. */
const REPEAT = 2;

/** `--before REV`, else the parent of the commit that added the template. */
function baseRevision(): string {
  const i = process.argv.indexOf('--before');
  if (i >= 0) return process.argv[i + 1]!;
  const added = execFileSync('git', ['log', '--diff-filter=A', '--format=%H', '--', 'shaders/elementwise.wgsl'], { encoding: 'utf8' }).trim().split('\n').at(-1)!;
  return execFileSync('git', ['rev-parse', `${added}^`], { encoding: 'utf8' }).trim();
}

function oldSource(rev: string, op: string, entry: 'forward' | 'vjp'): KernelSource | null {
  const old = BEFORE[op];
  if (!old) return null;
  const wgsl = execFileSync('git', ['show', `${rev}:shaders/${old.file}.wgsl`], { encoding: 'utf8' });
  return { name: `${op}-before`, wgsl, entryPoint: `${op}_${entry}`, ...(old.math ? { preludes: ['math'] as const } : {}) };
}

/** An input in the op's test domain (c_0), higher orders of size 2^-k. */
function input(engine: Engine, center: (r: Random) => number, order: number, random: Random): Jet {
  const data = new Float32Array(ROWS * (order + 1) * FEATURES);
  for (let i = 0; i < data.length; i++) {
    const k = Math.floor(i / FEATURES) % (order + 1);
    data[i] = k === 0 ? center(random) : 2 ** -k * random.normal();
  }
  return Jet.fromArray(engine, data, ROWS, order, [FEATURES]);
}

export async function elementwiseFigures(engine: Engine, runs: number, log: (line: string) => void): Promise<ElementwiseFigure[]> {
  const rev = baseRevision();
  const i = process.argv.indexOf('--ops');
  const only = i >= 0 ? process.argv[i + 1]!.split(',') : null;
  log(`elementwise kernels: before = ${rev.slice(0, 10)}`);
  const random = new Random(11);
  const figures: ElementwiseFigure[] = [];
  for (const op of ELEMENTWISE_OPS as readonly UnaryOp[]) {
    if (op.name === 'relu') continue; // not a recurrence: its kernels are not the template's
    if (only && !only.includes(op.name)) continue;
    for (const order of ORDERS) {
      const x = input(engine, op.test.vjpCenter ?? op.test.center, order, random);
      const ybar = input(engine, (r) => r.normal(), order, random);
      const params = op.test.params ?? [];
      for (const pass of ['forward', 'vjp'] as const) {
        const after = pass === 'forward' ? () => op.forward(x, ...params) : () => op.vjp(x, ybar, ...params);
        const old = oldSource(rev, op.name, pass);
        const lanes = BEFORE[op.name]?.lanes ?? 1;
        const before = old && (pass === 'forward' ? () => runUnary(old, x, {}, lanes) : () => runUnaryVjp(old, x, ybar, {}, lanes));
        const repeated = (f: () => Jet) => () => { for (let i = 0; i < REPEAT; i++) f().release(); };
        const variants: Record<string, () => void> = { after: repeated(after) };
        if (before) variants.before = repeated(before);
        const t = await interleaved(engine, variants, runs);
        figures.push({ op: op.name, pass, order, beforeMs: t.before ? t.before.medianMs / REPEAT : null, afterMs: t.after!.medianMs / REPEAT });
        log(`${op.name} ${pass} K=${order}: ${t.before ? `${(t.before.medianMs / REPEAT).toFixed(2)} ms before, ` : ''}${(t.after!.medianMs / REPEAT).toFixed(2)} ms after`);
      }
      x.release();
      ybar.release();
    }
  }
  return figures;
}

/** The Markdown table: per op and pass, before/after ms and the speed-up at each order. */
export function elementwiseTable(figures: readonly ElementwiseFigure[]): string {
  const head = `| op | pass | ${ORDERS.map((K) => `K = ${K} before → after (speed-up)`).join(' | ')} |`;
  const rule = `|---|---|${ORDERS.map(() => '---').join('|')}|`;
  const keys = [...new Set(figures.map((f) => `${f.op} ${f.pass}`))];
  const rows = keys.map((key) => {
    const cells = ORDERS.map((K) => {
      const f = figures.find((g) => `${g.op} ${g.pass}` === key && g.order === K);
      if (!f) return '';
      return f.beforeMs === null ? `new: ${f.afterMs.toFixed(2)} ms` : `${f.beforeMs.toFixed(2)} → ${f.afterMs.toFixed(2)} ms (${(f.beforeMs / f.afterMs).toFixed(1)}×)`;
    });
    return `| ${key.replace(' ', ' | ')} | ${cells.join(' | ')} |`;
  });
  return [head, rule, ...rows].join('\n');
}
