// Reverse mode of the image ops, the losses and the reductions, checked by vjp-harness.ts.
import { conv2d, conv2dVjp, weightSplits } from '../../kernels/conv2d.js';
import type { Engine } from '../../src/gpu/engine.js';
import { Jet } from '../../src/jet/jet.js';
import { maxpool2d, maxpool2dVjp } from '../../kernels/maxpool2d.js';
import {
  meanFeatures, meanFeaturesVjp, meanRows, meanRowsVjp, sumFeatures, sumFeaturesVjp, sumRows, sumRowsVjp,
} from '../../kernels/reduce.js';
import { logSoftmax, logSoftmaxVjp, softmaxCrossEntropy, softmaxCrossEntropyVjp, uploadLabels } from '../../kernels/softmax-xent.js';
import { conv2d64, maxpool2d64, type Conv2dGeometry } from '../../src/reference/conv64.js';
import { jet64, type Jet64 } from '../../src/reference/jet64.js';
import { logSoftmax64, softmaxCrossEntropy64 } from '../../src/reference/loss64.js';
import { sumFeatures64, sumRows64 } from '../../src/reference/reduce64.js';
import { Random } from '../../src/util/random.js';
import { outcome, randomF32, randomJet64, toGpu, type KernelCase } from './harness.js';
import { U32, vjpCase, type VjpProblem } from './vjp-harness.js';

async function readAndRelease(jet: Jet): Promise<Float32Array> {
  const data = await jet.read();
  jet.release();
  return data;
}

const windows = (n: number, size: number, stride: number, padding: number) => Math.floor((n + 2 * padding - size) / stride) + 1;

function convProblem(rows: number, K: number, [H, W]: [number, number], g: Conv2dGeometry, seed: number): VjpProblem {
  const random = new Random(seed);
  const shape = [g.inChannels, H, W];
  const outShape = [g.outChannels, windows(H, g.kernelH, g.stride, g.padding), windows(W, g.kernelW, g.stride, g.padding)];
  const taps = g.inChannels * g.kernelH * g.kernelW;
  const x = randomJet64(random, rows, K, shape);
  const w = randomF32(random, g.outChannels * taps, 1 / Math.sqrt(taps));
  const b = randomF32(random, g.outChannels);
  const ybar = randomF32(random, rows * (K + 1) * outShape.reduce((a, c) => a * c, 1));
  const upload = (engine: Engine, wv: Float64Array, bv: Float64Array) =>
    ({ weight: engine.upload(Float32Array.from(wv)), bias: engine.upload(Float32Array.from(bv)), ...g });
  return {
    inputs: [x.data, w, b],
    differentiable: [true, true, true],
    ybar,
    forward64: ([xv, wv, bv]) => conv2d64(jet64(rows, K, shape, xv!), wv!, bv!, g).data,
    async forwardGpu(engine, [xv, wv, bv]) {
      const xj = Jet.fromArray(engine, Float32Array.from(xv!), rows, K, shape);
      const p = upload(engine, wv!, bv!);
      const out = await readAndRelease(conv2d(xj, p));
      for (const buffer of [p.weight, p.bias]) engine.pool.release(buffer);
      xj.release();
      return out;
    },
    async vjpGpu(engine, [xv, wv, bv], yb) {
      const xj = Jet.fromArray(engine, Float32Array.from(xv!), rows, K, shape);
      const ybj = Jet.fromArray(engine, Float32Array.from(yb), rows, K, outShape);
      const p = upload(engine, wv!, bv!);
      // Start the gradients at 1 and subtract it: checks that they are added, not stored.
      const wbar = engine.upload(new Float32Array(wv!.length).fill(1));
      const bbar = engine.upload(new Float32Array(bv!.length).fill(1));
      const gx = await readAndRelease(conv2dVjp(xj, ybj, p, { weight: wbar, bias: bbar })!);
      const gw = (await engine.read(wbar, wv!.length * 4)).map((v) => v - 1);
      const gb = (await engine.read(bbar, bv!.length * 4)).map((v) => v - 1);
      for (const buffer of [p.weight, p.bias, wbar, bbar]) engine.pool.release(buffer);
      xj.release();
      ybj.release();
      return [gx, gw, gb];
    },
  };
}

const geometry = (inChannels: number, outChannels: number, kernelH: number, kernelW: number, stride: number, padding: number): Conv2dGeometry =>
  ({ inChannels, outChannels, kernelH, kernelW, stride, padding });

/**
 * Each conv2d gradient element is a sum of products in f32: x̄ of ≤ Cout·⌈kh/s⌉·⌈kw/s⌉ taps, W̄
 * of chunk·Wo products per split and then `splits` partials (kernels/conv2d.ts), b̄ likewise. As
 * for the forward (test/cases/conv2d.ts), 8·u per term of the longest such chain covers
 * random-sign sums with margin. The float64 reference (Richardson, ~1e-10) adds nothing visible.
 */
function convTolerance(rows: number, K: number, [H, W]: [number, number], g: Conv2dGeometry) {
  const { splits, chunk } = weightSplits(rows * (K + 1), H, g);
  const depth = Math.max(g.outChannels * Math.ceil(g.kernelH / g.stride) * Math.ceil(g.kernelW / g.stride),
    chunk * windows(W, g.kernelW, g.stride, g.padding) + splits);
  return { reference: 8 * U32 * depth, gradientCheck: 2e-3 };
}

function convCase(name: string, rows: number, K: number, hw: [number, number], g: Conv2dGeometry, seed: number): KernelCase {
  return vjpCase(`conv2d vjp ${name} K=${K}`, () => convProblem(rows, K, hw, g, seed), convTolerance(rows, K, hw, g));
}

// Images wide enough that x̄ blocks lie both in the interior and on every border (the gather
// reads a zero-bordered copy of ȳ), channel counts around the block sizes (8 channels, 4 taps),
// stride 2 and 3 (x̄'s pixels grouped by residue mod s), padding 0 (W̄'s unchecked path) and 1.
export const conv2dVjpCases: KernelCase[] = [
  ...[0, 1].map((K) => convCase('3→5 3×3 s1 p1 on 9×12', 1, K, [9, 12], geometry(3, 5, 3, 3, 1, 1), 1100 + K)),
  ...[2, 4, 8].map((K) => convCase('2→3 3×3 s1 p1 on 5×6', 1, K, [5, 6], geometry(2, 3, 3, 3, 1, 1), 1100 + K)),
  convCase('2→9 2×3 s2 p0 on 11×16', 1, 2, [11, 16], geometry(2, 9, 2, 3, 2, 0), 1110),
  convCase('5→3 3×1 s2 p1 on 9×6', 2, 1, [9, 6], geometry(5, 3, 3, 1, 2, 1), 1111),
  convCase('9→2 2×2 s3 p1 on 8×8', 3, 0, [8, 8], geometry(9, 2, 2, 2, 3, 1), 1112),
  convCase('10→17 1×2 s1 p0 on 3×9', 2, 0, [3, 9], geometry(10, 17, 1, 2, 1, 0), 1114),
  convCase('1→2 2×2 s1 p0 on 4×4', 1, 60, [4, 4], geometry(1, 2, 2, 2, 1, 0), 1113),
];

/**
 * conv2d's reverse mode written out in float64 — x̄ = Wᵀ applied to ȳ's windows, W̄ = Σ ȳ ⊗ x
 * windows, b̄ = Σ ȳ at order 0 — for shapes too large for difference quotients (the MNIST
 * CNN's), where W̄'s sums are split into many chunks. The cases above tie these kernels to the
 * finite-difference gradient; this one to the same algebra at full size.
 */
function convVjp64(x: Jet64, ybar: Jet64, w: Float64Array, g: Conv2dGeometry): [Float64Array, Float64Array, Float64Array] {
  const [C, H, W] = x.shape as [number, number, number];
  const [O, Ho, Wo] = ybar.shape as [number, number, number];
  const xbar = new Float64Array(x.data.length);
  const wbar = new Float64Array(w.length);
  const bbar = new Float64Array(O);
  for (let n = 0; n < x.rows * (x.order + 1); n++) {
    for (let o = 0; o < O; o++) {
      for (let oy = 0; oy < Ho; oy++) {
        for (let ox = 0; ox < Wo; ox++) {
          const gy = ybar.data[((n * O + o) * Ho + oy) * Wo + ox]!;
          if (n % (x.order + 1) === 0) bbar[o]! += gy;
          for (let c = 0; c < C; c++) {
            for (let ky = 0; ky < g.kernelH; ky++) {
              const iy = oy * g.stride + ky - g.padding;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < g.kernelW; kx++) {
                const ix = ox * g.stride + kx - g.padding;
                if (ix < 0 || ix >= W) continue;
                const wi = ((o * C + c) * g.kernelH + ky) * g.kernelW + kx;
                const xi = ((n * C + c) * H + iy) * W + ix;
                xbar[xi]! += w[wi]! * gy;
                wbar[wi]! += x.data[xi]! * gy;
              }
            }
          }
        }
      }
    }
  }
  return [xbar, wbar, bbar];
}

function convAlgebraCase(name: string, rows: number, K: number, [H, W]: [number, number], g: Conv2dGeometry, seed: number): KernelCase {
  return {
    name: `conv2d vjp ${name} K=${K} (float64 algebra)`,
    async run(engine) {
      const p = convProblem(rows, K, [H, W], g, seed);
      const [x, w] = p.inputs as [Float64Array, Float64Array];
      const outShape = [g.outChannels, windows(H, g.kernelH, g.stride, g.padding), windows(W, g.kernelW, g.stride, g.padding)];
      const want = convVjp64(jet64(rows, K, [g.inChannels, H, W], x), jet64(rows, K, outShape, p.ybar), w, g);
      const got = await p.vjpGpu(engine, p.inputs, p.ybar);
      const errors = want.map((v, i) => Math.hypot(...v.map((e, j) => got[i]![j]! - e)) / Math.hypot(...v));
      const tolerance = convTolerance(rows, K, [H, W], g).reference;
      const ok = errors.every((e) => e <= tolerance);
      return { name: this.name, errors, tolerances: errors.map(() => tolerance), ok, detail: `x̄, W̄, b̄: ${errors.map((e) => e.toExponential(2)).join(', ')}` };
    },
  };
}

// The MNIST CNN's two convolutions: W̄ sums of 4·26 lines in 52 splits of 2 (1→32), and two
// splits of 24 (32→64) with 8-channel, 4-tap blocks all full; 28- and 26-pixel rows.
export const conv2dAlgebraCases: KernelCase[] = [
  convAlgebraCase('MNIST 1→32 3×3 on 28×28', 4, 0, [28, 28], geometry(1, 32, 3, 3, 1, 0), 1120),
  convAlgebraCase('MNIST 32→64 3×3 on 26×26', 2, 0, [26, 26], geometry(32, 64, 3, 3, 1, 0), 1121),
  convAlgebraCase('MNIST 32→64 3×3 on 26×26', 1, 2, [26, 26], geometry(32, 64, 3, 3, 1, 0), 1122),
  // The small CNN's layers (first stride 2, then 13×13 maps: x̄'s stride-1 blocks span rows).
  convAlgebraCase('MNIST small 1→8 3×3 s2 on 28×28', 3, 0, [28, 28], geometry(1, 8, 3, 3, 2, 0), 1123),
  convAlgebraCase('MNIST small 8→16 3×3 on 13×13', 5, 0, [13, 13], geometry(8, 16, 3, 3, 1, 0), 1124),
  convAlgebraCase('MNIST small 8→16 3×3 on 13×13', 2, 3, [13, 13], geometry(8, 16, 3, 3, 1, 0), 1125),
];

/**
 * A max pool's value is not differentiable where a window ties, and central differences see a
 * tie flip: these inputs keep every window's c_0 values at least 0.1 apart (a shuffled grid
 * 0.1·i per channel image), beyond the harness's steps (≤ 1e-3·|x| per coefficient, 1e-2·|d| in
 * the gradient check), so the winner never changes and x̄ = ȳ at the winner is the exact gradient.
 */
function poolProblem(rows: number, K: number, shape: [number, number, number], size: number, stride: number, seed: number): VjpProblem {
  const random = new Random(seed);
  const [C, H, W] = shape;
  const x = randomJet64(random, rows, K, shape);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < C; c++) {
      const grid = random.permutation(H * W);
      grid.forEach((v, i) => { x.data[r * (K + 1) * C * H * W + c * H * W + i] = Math.fround(0.1 * v - 0.05 * H * W); });
    }
  }
  const outShape = [C, windows(H, size, stride, 0), windows(W, size, stride, 0)];
  const ybar = randomF32(random, rows * (K + 1) * outShape.reduce((a, c) => a * c, 1));
  const asJet = (engine: Engine, v: Float64Array, s: readonly number[]) => Jet.fromArray(engine, Float32Array.from(v), rows, K, s);
  return {
    inputs: [x.data],
    differentiable: [true],
    ybar,
    forward64: ([v]) => maxpool2d64(jet64(rows, K, shape, v!), size, stride).data,
    async forwardGpu(engine, [v]) {
      const xj = asJet(engine, v!, shape);
      const out = await readAndRelease(maxpool2d(xj, { size, stride }));
      xj.release();
      return out;
    },
    async vjpGpu(engine, [v], yb) {
      const xj = asJet(engine, v!, shape);
      const ybj = asJet(engine, yb, outShape);
      const out = await readAndRelease(maxpool2dVjp(xj, ybj, { size, stride }));
      xj.release();
      ybj.release();
      return [out];
    },
  };
}

/**
 * Ties, where finite differences do not apply: x̄ must be ȳ routed to the winner the float64
 * reference picks (first in window order on a full tie, later orders deciding partial ones),
 * summed over overlapping windows. Coefficients from {−1, 0, 1} make many windows tie at c_0
 * and c_1. Tolerance as poolTolerance below.
 */
function poolTieCase(name: string, x: Jet64, size: number, stride: number, seed: number): KernelCase {
  return {
    name: `maxpool2d vjp ${name}`,
    async run(engine) {
      const [C, H, W] = x.shape as [number, number, number];
      const Ho = windows(H, size, stride, 0);
      const Wo = windows(W, size, stride, 0);
      const K = x.order;
      const ybar = jet64(x.rows, K, [C, Ho, Wo], randomF32(new Random(seed), x.rows * (K + 1) * C * Ho * Wo));
      const want = jet64(x.rows, K, x.shape);
      const at = (row: number, k: number, f: number, F: number) => (row * (K + 1) + k) * F + f;
      const greater = (row: number, a: number, b: number) => {
        for (let k = 0; k <= K; k++) {
          const u = x.data[at(row, k, a, C * H * W)]!;
          const v = x.data[at(row, k, b, C * H * W)]!;
          if (u !== v) return u > v;
        }
        return false;
      };
      for (let row = 0; row < x.rows; row++) {
        for (let c = 0; c < C; c++) {
          for (let oy = 0; oy < Ho; oy++) {
            for (let ox = 0; ox < Wo; ox++) {
              let best = -1;
              for (let dy = 0; dy < size; dy++) {
                for (let dx = 0; dx < size; dx++) {
                  const f = (c * H + oy * stride + dy) * W + ox * stride + dx;
                  if (best < 0 || greater(row, f, best)) best = f;
                }
              }
              const fo = (c * Ho + oy) * Wo + ox;
              for (let k = 0; k <= K; k++) want.data[at(row, k, best, C * H * W)]! += ybar.data[at(row, k, fo, C * Ho * Wo)]!;
            }
          }
        }
      }
      const xj = toGpu(engine, x);
      const ybj = toGpu(engine, ybar);
      const got = await readAndRelease(maxpool2dVjp(xj, ybj, { size, stride }));
      xj.release();
      ybj.release();
      return outcome(this.name, got, want, () => poolTolerance(size, stride).reference);
    },
  };
}

/** Coefficients from {−1, 0, 1}: many windows tie at c_0, some at c_1 as well, so later orders decide. */
function tiedJet(random: Random, rows: number, K: number, shape: number[]): Jet64 {
  const x = jet64(rows, K, shape);
  for (let i = 0; i < x.data.length; i++) x.data[i] = random.int(3) - 1;
  return x;
}

// x̄ = ȳ routed: each element a sum of at most m = ⌈size/stride⌉² values of ȳ (one without
// overlap, exact), so (m − 1)·u relative to Σ|ȳ|; m·u leaves room for the reference's ~1e-12.
const poolTolerance = (size: number, stride: number) => ({ reference: Math.ceil(size / stride) ** 2 * U32, gradientCheck: 2e-3 });

export const maxpool2dVjpCases: KernelCase[] = [
  ...[0, 1, 2, 4, 8].map((K) => vjpCase(`maxpool2d vjp 2×2 s2 on 2×5×7 K=${K}`,
    () => poolProblem(2, K, [2, 5, 7], 2, 2, 1200 + K), poolTolerance(2, 2))),
  vjpCase('maxpool2d vjp 2×2 s2 on 1×4×5 K=60', () => poolProblem(1, 60, [1, 4, 5], 2, 2, 1260), poolTolerance(2, 2)),
  vjpCase('maxpool2d vjp 3×3 s2 overlapping on 2×7×8 K=2', () => poolProblem(2, 2, [2, 7, 8], 3, 2, 1210), poolTolerance(3, 2)),
  vjpCase('maxpool2d vjp 3×3 s1 overlapping on 1×6×6 K=1', () => poolProblem(1, 1, [1, 6, 6], 3, 1, 1211), poolTolerance(3, 1)),
  poolTieCase('ties from {−1,0,1}, 2×2 s2 K=8', tiedJet(new Random(1212), 3, 8, [2, 8, 8]), 2, 2, 1213),
  poolTieCase('ties from {−1,0,1}, 3×3 s1 overlapping K=4', tiedJet(new Random(1214), 2, 4, [2, 7, 6]), 3, 1, 1215),
  poolTieCase('all equal (first element wins every window), 3×3 s2 K=2', jet64(2, 2, [1, 7, 7]), 3, 2, 1216),
  // Non-overlapping windows (stride ≥ size) take the per-window kernel: windows that tile the
  // image exactly, and gaps between windows that must come back 0.
  vjpCase('maxpool2d vjp 2×2 s2 tiling 2×6×8 K=0', () => poolProblem(3, 0, [2, 6, 8], 2, 2, 1217), poolTolerance(2, 2)),
  vjpCase('maxpool2d vjp 2×2 s3 with gaps on 2×8×7 K=2', () => poolProblem(2, 2, [2, 8, 7], 2, 3, 1218), poolTolerance(2, 3)),
  poolTieCase('ties from {−1,0,1}, 3×3 s3 K=60', tiedJet(new Random(1219), 1, 60, [1, 7, 9]), 3, 3, 1220),
];

/** A one-input op given as GPU forward and VJP plus its float64 reference. */
function unaryProblem(x: Jet64, outShape: readonly number[], outRows: number, random: Random,
  ref: (x: Jet64) => Jet64, fwd: (x: Jet) => Jet, vjp: (x: Jet, ybar: Jet) => Jet): VjpProblem {
  const ybar = randomF32(random, outRows * (x.order + 1) * outShape.reduce((a, c) => a * c, 1));
  const asJet = (engine: Engine, v: Float64Array, rows: number, shape: readonly number[]) => Jet.fromArray(engine, Float32Array.from(v), rows, x.order, shape);
  return {
    inputs: [x.data],
    differentiable: [true],
    ybar,
    forward64: ([v]) => ref(jet64(x.rows, x.order, x.shape, v!)).data,
    async forwardGpu(engine, [v]) {
      const xj = asJet(engine, v!, x.rows, x.shape);
      const out = await readAndRelease(fwd(xj));
      xj.release();
      return out;
    },
    async vjpGpu(engine, [v], yb) {
      const xj = asJet(engine, v!, x.rows, x.shape);
      const ybj = asJet(engine, yb, outRows, outShape);
      const out = await readAndRelease(vjp(xj, ybj));
      xj.release();
      ybj.release();
      return [out];
    },
  };
}

/** Logits with labels; `large`: c_0 = ±(80..100), where exp of a raw logit overflows f32. Even rows take the top class as label. */
function xentProblem(rows: number, K: number, classes: number, seed: number, large: boolean): VjpProblem {
  const random = new Random(seed);
  const x = randomJet64(random, rows, K, [classes], 0.5, 2);
  const labels = Uint32Array.from({ length: rows }, () => random.int(classes));
  for (let r = 0; r < rows; r++) {
    const at = (i: number) => r * (K + 1) * classes + i;
    if (large) for (let i = 0; i < classes; i++) x.data[at(i)] = Math.fround((random.uniform() < 0.5 ? -1 : 1) * random.between(80, 100));
    if (r % 2 === 0) labels[r] = Array.from({ length: classes }, (_, i) => i).reduce((t, i) => (x.data[at(i)]! > x.data[at(t)]! ? i : t), 0);
  }
  let buffer: GPUBuffer | null = null;
  const withLabels = <T>(engine: Engine, f: (b: GPUBuffer) => T): T => f(buffer ??= uploadLabels(engine, labels, classes));
  return unaryProblem(x, [1], rows, random, (v) => softmaxCrossEntropy64(v, labels),
    (xj) => withLabels(xj.engine, (b) => softmaxCrossEntropy(xj, b)),
    (xj, ybj) => withLabels(xj.engine, (b) => softmaxCrossEntropyVjp(xj, b, ybj)));
}

function logSoftmaxProblem(rows: number, K: number, classes: number, seed: number): VjpProblem {
  const random = new Random(seed);
  return unaryProblem(randomJet64(random, rows, K, [classes], 0.5, 2), [classes], rows, random, logSoftmax64, logSoftmax, logSoftmaxVjp);
}

/**
 * Reference: every x̄ coefficient comes out of the recomputed forward (exp and log recurrences,
 * depth K + 1) and their reverse walks (depth K + 1 again), each level a sum whose terms carry a
 * few u; these inputs are well conditioned (random, c_k ~ 2^-k, like tanh's), so 8·u per level,
 * 8·u·(2K + 2), as tanh states 64·u·(2K + 2) for its deeper reverse recurrence.
 * Gradient check: 2e-3 as for dense/tanh, except at K = 0, where each row's gradient sums to
 * zero over the classes: ⟨x̄, d⟩ is then ~300× smaller than |s| = |Σ ȳ·loss| (0.032 vs ~10 for
 * the first case). The quotient's roundoff is 3·δ/h with δ ≈ 3·u·|s| (the forward's error,
 * measured ≤ 3·u per loss), h = 1e-2: up to 1.7e-2 of ⟨x̄, d⟩, so K = 0 takes 2e-2.
 */
const softmaxTolerance = (K: number) => ({ reference: 8 * U32 * (2 * K + 2), gradientCheck: K === 0 ? 2e-2 : 2e-3 });

export const softmaxCrossEntropyVjpCases: KernelCase[] = [
  ...[0, 1, 2, 4, 8].map((K) => vjpCase(`softmaxCrossEntropy vjp random K=${K}`, () => xentProblem(6, K, 10, 1300 + K, false), softmaxTolerance(K))),
  vjpCase('softmaxCrossEntropy vjp random K=60', () => xentProblem(2, 60, 5, 1360, false), softmaxTolerance(60)),
  vjpCase('softmaxCrossEntropy vjp large logits ±80..100 K=0', () => xentProblem(6, 0, 10, 1370, true), softmaxTolerance(0)),
  vjpCase('softmaxCrossEntropy vjp large logits ±80..100 K=8', () => xentProblem(4, 8, 10, 1378, true), softmaxTolerance(8)),
];

export const logSoftmaxVjpCases: KernelCase[] = [
  ...[0, 1, 2, 4, 8].map((K) => vjpCase(`logSoftmax vjp random K=${K}`, () => logSoftmaxProblem(4, K, 7, 1400 + K), softmaxTolerance(K))),
  vjpCase('logSoftmax vjp random K=60', () => logSoftmaxProblem(2, 60, 4, 1460), softmaxTolerance(60)),
];

// x̄ = ȳ (sums: exact) or ȳ·fl(1/n) (means: two roundings, 2·u). The float64 reference of a
// linear map is exact up to the difference quotient's own rounding, ~1e-12.
function reduceCases(op: string, rows: number, shape: number[], seed: number, f: (x: Jet) => Jet, vjp: (x: Jet, ybar: Jet) => Jet,
  ref: (x: Jet64) => Jet64, overRows: boolean, mean: boolean): KernelCase[] {
  return [0, 1, 2, 4, 8, 60].map((K) => vjpCase(`${op} vjp ${rows} rows of ${shape.join('×')} K=${K}`, () => {
    const random = new Random(seed + K);
    return unaryProblem(randomJet64(random, rows, K, shape), overRows ? shape : [1], overRows ? 1 : rows, random, ref, f, vjp);
  }, { reference: (mean ? 2 : 1) * U32, gradientCheck: 2e-3 }));
}

export const sumFeaturesVjpCases = reduceCases('sumFeatures', 3, [7], 1500, sumFeatures, sumFeaturesVjp, (x) => sumFeatures64(x), false, false);
export const meanFeaturesVjpCases = reduceCases('meanFeatures', 2, [2, 3], 1520, meanFeatures, meanFeaturesVjp, (x) => sumFeatures64(x, true), false, true);
export const sumRowsVjpCases = reduceCases('sumRows', 5, [3], 1540, sumRows, sumRowsVjp, (x) => sumRows64(x), true, false);
export const meanRowsVjpCases = reduceCases('meanRows', 7, [2], 1560, meanRows, meanRowsVjp, (x) => sumRows64(x, true), true, true);
