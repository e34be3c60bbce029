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
