// The straight-line bodies of shaders/tanh-unrolled.wgsl for one order K: the loops of
// tanh.wgsl written out, each coefficient a named vec4 value (x3, y3, z3, x̄ as xb3, …). The sums
// run in the loops' order, so the results are those of the looped kernels up to contraction.
import mathWgsl from '../shaders/math.wgsl';
import loopedWgsl from '../shaders/tanh.wgsl';
import unrolledWgsl from '../shaders/tanh-unrolled.wgsl';
import type { KernelSource } from '../src/gpu/engine.js';

/** Orders up to this one run unrolled (the code grows as K²); above, the looped kernels. */
export const UNROLLED_MAX_ORDER = 8;

const f = (k: number) => `${k}.0`;

/** jx_k = k·x_k, then y_k = (Σ_j jx_j·z_{k−j})/k and z_k = −Σ_m y_m·y_{k−m} (half the sum, doubled). */
function recurrence(K: number, out: string[]): void {
  out.push('let start = tanh_start(x0);', 'let y0 = start[0];', 'let z0 = start[1];');
  for (let k = 1; k <= K; k++) out.push(k === 1 ? 'let jx1 = x1;' : `let jx${k} = ${f(k)} * x${k};`);
  for (let k = 1; k <= K; k++) {
    const s = Array.from({ length: k }, (_, i) => `jx${i + 1} * z${k - i - 1}`).join(' + ');
    out.push(k === 1 ? `let y1 = ${s};` : `let y${k} = (${s}) / ${f(k)};`);
    const half = Array.from({ length: Math.floor((k + 1) / 2) }, (_, j) => `y${j} * y${k - j}`).join(' + ');
    const middle = k % 2 === 0 ? ` + y${k / 2} * y${k / 2}` : '';
    out.push(`let z${k} = -(2.0 * (${half})${middle});`);
  }
}

const at = (K: number, k: number) => `(row * ${K + 1}u + ${k}u) * F`;

function forwardBody(K: number): string {
  const out: string[] = [];
  for (let k = 0; k <= K; k++) out.push(`let x${k} = load_x4(${at(K, k)}, fs);`);
  recurrence(K, out);
  for (let k = 0; k <= K; k++) out.push(`store_y4(${at(K, k)}, f0, F, y${k});`);
  return out.map((l) => `  ${l}`).join('\n');
}

/** tanh.wgsl's reverse walk: z̄_K is 0 (nothing feeds it), so its step is left out. */
function vjpBody(K: number): string {
  const out: string[] = [];
  for (let k = 0; k <= K; k++) out.push(`let x${k} = load_x4(${at(K, k)}, fs);`, `var yb${k} = load_ybar4(${at(K, k)}, fs);`);
  recurrence(K, out);
  for (let k = 0; k <= K; k++) out.push(`var xb${k} = vec4f(0.0);`);
  for (let k = 0; k < K; k++) out.push(`var zb${k} = vec4f(0.0);`);
  for (let k = K; k >= 1; k--) {
    if (k < K) {
      out.push(`let g${k} = -2.0 * zb${k};`);
      for (let m = 0; m <= k; m++) out.push(`yb${m} += g${k} * y${k - m};`);
    }
    out.push(`let h${k} = yb${k} / ${f(k)};`);
    for (let j = 1; j <= k; j++) out.push(`xb${j} += h${k} * z${k - j};`, `zb${k - j} += h${k} * jx${j};`);
  }
  if (K > 0) out.push('yb0 += -2.0 * y0 * zb0;');
  out.push('xb0 += yb0 * z0;');
  for (let k = 0; k <= K; k++) out.push(`store_xbar4(${at(K, k)}, f0, F, ${k === 0 ? 'xb0' : `xb${k} * ${f(k)}`});`);
  return out.map((l) => `  ${l}`).join('\n');
}

const sources = new Map<string, KernelSource>();

/** The unrolled forward or reverse kernel for order K ≤ UNROLLED_MAX_ORDER. */
export function unrolledTanh(entry: 'forward' | 'vjp', K: number): KernelSource {
  if (!Number.isInteger(K) || K < 0 || K > UNROLLED_MAX_ORDER) throw new Error(`no unrolled tanh kernel for order ${K}`);
  const key = `${entry}-${K}`;
  let source = sources.get(key);
  if (!source) {
    // The looped kernels' arrays are not used here: the smallest size keeps their module small.
    const body = unrolledWgsl.replace(entry === 'forward' ? '// UNROLLED FORWARD' : '// UNROLLED VJP', entry === 'forward' ? forwardBody(K) : vjpBody(K));
    source = { name: `tanh-k${K}`, wgsl: `${mathWgsl}\n${loopedWgsl.replaceAll('MAX_COEFFS', '1u')}\n${body}`, entryPoint: `tanh_${entry}_unrolled` };
    sources.set(key, source);
  }
  return source;
}
