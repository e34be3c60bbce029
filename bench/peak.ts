// The adapter's peak f32 rate, named with its source. A software adapter (SwiftShader) runs on
// the CPU, so its ceiling is derived from /proc/cpuinfo: cores × SIMD lanes × 2 (FMA) × 2 FMA
// pipes per core (an assumption: true of every x86 core since Haswell and Zen 1; cpuinfo does not
// say) × clock. SwiftShader itself packs 4 shader invocations per SIMD op (SIMD::Width = 4 in
// its src/Pipeline/ShaderCore.hpp), so at most 4 of the lanes are used: that lower ceiling is
// named too. A hardware adapter reports no FLOP rate through WebGPU: we say so.
import { existsSync, readFileSync } from 'node:fs';
import type { AdapterDescription } from '../src/gpu/engine.js';

export interface PeakFigure {
  readonly gflops: number | null;
  /** What SwiftShader's 4-wide code generation can reach on the same CPU. */
  readonly swiftshaderGflops: number | null;
  readonly source: string;
}

export function adapterPeak(adapter: AdapterDescription): PeakFigure {
  if (!adapter.isSoftware) return { gflops: null, swiftshaderGflops: null, source: `hardware adapter (${adapter.description || adapter.vendor}): WebGPU does not report its peak` };
  if (!existsSync('/proc/cpuinfo')) return { gflops: null, swiftshaderGflops: null, source: 'software adapter; no /proc/cpuinfo to derive the CPU peak from' };
  const info = readFileSync('/proc/cpuinfo', 'utf8');
  const cores = (info.match(/^processor\s*:/gm) ?? []).length;
  const mhz = [...info.matchAll(/^cpu MHz\s*:\s*([\d.]+)/gm)].map((m) => Number(m[1]));
  const ghz = mhz.length ? mhz.reduce((a, b) => a + b, 0) / mhz.length / 1000 : NaN;
  const flags = new Set((info.match(/^flags\s*:(.*)$/m)?.[1] ?? '').trim().split(/\s+/));
  const lanes = flags.has('avx512f') ? 16 : flags.has('avx') ? 8 : 4;
  const fma = flags.has('fma') ? 2 : 1;
  const pipes = 2;
  const name = info.match(/^model name\s*:\s*(.*)$/m)?.[1]?.trim() ?? 'CPU';
  const gflops = cores * lanes * fma * pipes * ghz;
  const swiftshaderGflops = cores * Math.min(lanes, 4) * fma * pipes * ghz;
  const simd = lanes === 16 ? 'AVX-512' : lanes === 8 ? 'AVX' : 'SSE';
  return {
    gflops, swiftshaderGflops,
    source: `/proc/cpuinfo: ${cores} × ${name} at ${ghz.toFixed(2)} GHz, ${simd} ${lanes} f32 lanes${fma === 2 ? ' with FMA (2 flops)' : ''}, ` +
      `2 FMA pipes per core (assumed) = ${gflops.toFixed(0)} GFLOP/s; SwiftShader issues 4-lane SIMD (SIMD::Width = 4), ` +
      `so ${swiftshaderGflops.toFixed(0)} GFLOP/s is its ceiling here`,
  };
}
