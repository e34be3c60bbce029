import mathWgsl from '../shaders/math.wgsl';
import opWgsl from '../shaders/tanh.wgsl';
import type { KernelSource } from '../src/gpu/engine.js';
import type { Jet } from '../src/jet/jet.js';
import { runUnary, runUnaryVjp } from './elementwise.js';

// The accurate elementary functions (math.wgsl) go in front of the kernel.
const wgsl = `${mathWgsl}\n${opWgsl}`;
export const tanhForward = { name: 'tanh', wgsl, entryPoint: 'tanh_forward' } as const;

// The forward kernel's private arrays hold MAX_COEFFS (61) vec4 each, and every call zeroes all
// three per thread: below K ≈ 16 that costs more than the recurrence (on SwiftShader the K = 4
// kernel ran 1.7–3× faster with arrays sized for K; bench/README.md, "Where the time goes"). So
// the pipeline is specialised by size class: the smallest of 4, 8, 16, 32 that holds K + 1
// coefficients, else the full 61. Every class is reached by the tests' orders (0..2, 4, 8, 16, 60).
const SIZE_CLASSES = [4, 8, 16, 32] as const;
const sized = new Map<number, KernelSource>();

export function tanhForwardFor(order: number): KernelSource {
  const size = SIZE_CLASSES.find((s) => order + 1 <= s);
  if (size === undefined) return tanhForward;
  let source = sized.get(size);
  if (!source) {
    source = { name: `tanh-${size}`, wgsl: wgsl.replaceAll('MAX_COEFFS', `${size}u`), entryPoint: 'tanh_forward' };
    sized.set(size, source);
  }
  return source;
}

export function tanh(x: Jet): Jet {
  return runUnary(tanhForwardFor(x.order), x, {}, 4);
}

export const tanhVjpSource = { name: 'tanh', wgsl, entryPoint: 'tanh_vjp' } as const;

/** Reverse mode of tanh(x) for the output cotangent ȳ: x̄, a new jet. */
export function tanhVjp(x: Jet, ybar: Jet): Jet {
  return runUnaryVjp(tanhVjpSource, x, ybar);
}
