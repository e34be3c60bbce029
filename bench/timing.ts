// Timing helpers for the benchmarks. The machine is shared and noisy, so every figure is a
// median over repetitions, and every comparison is between variants measured in the same run,
// interleaved (A B A B …) so that a slow minute hurts both sides alike.
import type { Engine } from '../src/gpu/engine.js';

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
    for (const name of names) {
      const t0 = performance.now();
      await variants[name]!();
      await engine.finish();
      samples[name]!.push(performance.now() - t0);
    }
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n]!)]));
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
  // A variant whose own runs stay within a tenth of the budget always gets maxRuns: a slow
  // baseline that exhausts the budget must not leave the fast ones with one sample.
  const own = (n: string) => samples[n]!.reduce((a, b) => a + b, 0);
  for (let r = 0; r < options.maxRuns; r++) {
    const spent = performance.now() - start;
    const due = names.filter((n) => samples[n]!.length < minRuns || spent + last[n]! <= options.budgetMs
      || own(n) + last[n]! <= options.budgetMs / 10);
    if (due.length === 0) break;
    for (const name of due) samples[name]!.push(await run(name));
  }
  return Object.fromEntries(names.map((n) => [n, summarize(samples[n]!)]));
}
