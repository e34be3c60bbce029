// Timing helpers for the benchmarks. The machine is shared and noisy, so every figure is a
// median over repetitions, and every comparison is between variants measured in the same run,
// interleaved so that a slow minute hurts both sides alike. Each round starts one variant later
// (A B C, B C A, C A B, …): a call pays for what the call before it left behind (caches it
// evicted, and garbage, which is also collected before every timed call), so no variant may
// always follow the same one.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Engine } from '../src/gpu/engine.js';

// V8's collector, without starting Node with --expose-gc: the flag set at run time exposes `gc`
// to contexts created afterwards. Each timed call starts from a collected heap, so no call pays
// for the garbage of the one before it: TF.js's CPU backend leaves hundreds of MB, whose
// collection landed inside whichever call came next, and a fixed pause hurts the faster method's
// ratio most (a 229 ms jet pass beside a 646 ms nested dual).
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;

/** A full collection, outside the timer; a no-op where the runtime offers none. */
export function collectGarbage(): void {
  gc?.();
}

export interface Timing {
  readonly medianMs: number;
  readonly minMs: number;
  readonly runs: number;
}

function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { medianMs: median, minMs: sorted[0]!, runs: sorted.length };
}

/**
 * Times each variant `runs` times, interleaved, after one warm-up call each (pipeline
 * compilation and buffer allocation are not part of the figure). Each call must submit its
 * work; the timer waits for the queue to drain.
 */
export async function interleaved(engine: Engine, variants: Record<string, () => void | Promise<void>>, runs: number): Promise<Record<string, Timing>> {
  const names = Object.keys(variants);
  for (const name of names) {
    await variants[name]!();
    await engine.finish();
  }
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let r = 0; r < runs; r++) {
    for (const name of rotate(names, r)) {
      collectGarbage();
      const t0 = performance.now();
      await variants[name]!();
      await engine.finish();
      samples[name]!.push(performance.now() - t0);
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n]!)]));
}

/** `names` starting at index r (mod its length): round r of an interleaved run. */
export function rotate<T>(names: readonly T[], r: number): T[] {
  const s = names.length ? r % names.length : 0;
  return [...names.slice(s), ...names.slice(0, s)];
}

export function gflops(flops: number, t: Timing): number {
  return flops / (t.medianMs * 1e-3) / 1e9;
}

export interface BudgetOptions {
  /** Time for the timed runs of all variants together, after the warm-up. */
  readonly budgetMs: number;
  readonly maxRuns: number;
  readonly minRuns?: number;
  /** Per-variant times of a warm-up the caller already ran; without it, one warm-up call each runs here. */
  readonly warmedUp?: Readonly<Record<string, number>>;
}

/**
 * Like interleaved(), for variants of very different cost: after one warm-up call each, rounds
 * of interleaved calls go on while the budget lasts; a variant stops repeating once another run
 * of it would overrun the budget (it keeps at least minRuns), so a slow baseline gets one or two
 * timed runs and a fast one gets maxRuns (the last rounds then interleave the fast ones only).
 * `finish` waits for a variant's work (GPU queues).
 */
export async function interleavedBudget(finish: () => Promise<void>, variants: Record<string, () => Promise<void>>,
  options: BudgetOptions): Promise<Record<string, Timing>> {
  const names = Object.keys(variants);
  const last: Record<string, number> = {};
  const run = async (name: string): Promise<number> => {
    collectGarbage();
    const t0 = performance.now();
    await variants[name]!();
    await finish();
    return (last[name] = performance.now() - t0);
  };
  if (options.warmedUp) Object.assign(last, options.warmedUp);
  else for (const name of names) await run(name);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const start = performance.now();
  const minRuns = options.minRuns ?? 1;
  // A variant whose own runs stay within a quarter of the budget always gets maxRuns: a slow
  // baseline that exhausts the budget must not leave the others with one sample (at K = 4 the
  // CNN's nested dual, ~1 s a call, had a single sample beside TF.js's 20 s calls, and a ratio
  // of two medians is only as steady as its noisier side).
  const own = (n: string) => samples[n]!.reduce((a, b) => a + b, 0);
  for (let r = 0; r < options.maxRuns; r++) {
    const spent = performance.now() - start;
    const due = names.filter((n) => samples[n]!.length < minRuns || spent + last[n]! <= options.budgetMs
      || own(n) + last[n]! <= options.budgetMs / 4);
    if (due.length === 0) break;
    for (const name of rotate(due, r)) samples[name]!.push(await run(name));
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n]!)]));
}
