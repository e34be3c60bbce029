import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/tanh.wgsl';
import type { KernelSource } from '../src/gpu/engine.js';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';
import { UNROLLED_MAX_ORDER, unrolledTanh } from './tanh-unrolled.js';
import { tanhSeries } from '../src/reference/jet64.js';
import { unaryOp } from './op.js';

// The accurate elementary functions (math.wgsl) go in front of the kernel.
const wgsl = `${mathWgsl}\n${opWgsl}`;

// Above UNROLLED_MAX_ORDER the looped kernels run. Their private arrays hold MAX_COEFFS (61)
// vec4 each (three in the forward kernel, six in the reverse one), and every call zeroes them per
// thread: far below 61 that costs more than the recurrence (on SwiftShader the K = 4 forward
// kernel ran 1.7–3× faster with arrays sized for K; bench/README.md). So their pipelines are
// specialised by size class: the smallest of 16, 32 that holds K + 1 coefficients, else the full
// 61. Every class is reached by the tests' orders (12, 16, 60).
const SIZE_CLASSES = [16, 32] as const;
const sized = new Map<string, KernelSource>();

function sizedFor(entryPoint: 'tanh_forward' | 'tanh_vjp', order: number): KernelSource {
  const size = SIZE_CLASSES.find((s) => order + 1 <= s);
  if (size === undefined) return { name: 'tanh', wgsl, entryPoint };
  const key = `${entryPoint}-${size}`;
  let source = sized.get(key);
  if (!source) {
    source = { name: `tanh-${size}`, wgsl: wgsl.replaceAll('MAX_COEFFS', `${size}u`), entryPoint };
    sized.set(key, source);
  }
  return source;
}

/** Orders ≤ UNROLLED_MAX_ORDER (training's 0, CRR's 4) take the unrolled kernel (kernels/tanh-unrolled.ts). */
export function tanhForwardFor(order: number): KernelSource {
  return order <= UNROLLED_MAX_ORDER ? unrolledTanh('forward', order) : sizedFor('tanh_forward', order);
}

export function tanh(x: Jet): Jet {
  return runUnary(tanhForwardFor(x.order), x, {}, 4);
}

export function tanhVjpFor(order: number): KernelSource {
  return order <= UNROLLED_MAX_ORDER ? unrolledTanh('vjp', order) : sizedFor('tanh_vjp', order);
}

/** Reverse mode of tanh(x) for the output cotangent ȳ: x̄, a new jet. Four features per thread. */
export function tanhVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(tanhVjpFor(x.order), x, ybar, {}, 4);
}

export const tanhOp = unaryOp({
  name: 'tanh', forward: tanh, vjp: tanhVjp, series64: tanhSeries, scalar: Math.tanh, keepsOrder: false, expression: 'tanh', layer: true,
  test: {
    center: (r) => 1.5 * r.normal(),
    // Each order is a sum of k products through z = 1 − y²: linear growth, 64u·(k+1) (test/cases/tanh.ts).
    tolerance: (k) => 64 * (k + 1),
    // The reverse pass has depth ~2K, like the forward one.
    vjpTolerance: (K) => 64 * (2 * K + 2),
  },
});
