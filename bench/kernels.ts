// Item 3: GFLOP/s of the dense and conv2d jet kernels and their reverse passes at K = 0, 4, 60,
// each measured in the same interleaved run as the plain matrix products of matmul.wgsl at the
// dense layer's shape, so "fraction of our best matmul" compares like with like.
import { conv2d, conv2dVjp, windowCount, type Conv2dWeights } from '../kernels/conv2d.js';
import { dense, denseVjp, type DenseWeights } from '../kernels/dense.js';
import { tanh } from '../kernels/tanh.js';
import type { Engine } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { Random } from '../src/util/random.js';
import { matmulBench, matmulFigures, type MatmulFigure } from './matmul.js';
import { gflops, interleaved } from './timing.js';

export interface KernelFigure {
  readonly kernel: string;
  readonly order: number;
  readonly shape: string;
  readonly medianMs: number;
  readonly gflops: number;
  /** This kernel's GFLOP/s over the best matmul variant's at the dense shape of the same order (dense: same run). */
  readonly ofBestMatmul?: number;
}

export interface KernelReport {
  readonly figures: KernelFigure[];
  /** Every matmul variant at every dense shape. */
  readonly matmul: MatmulFigure[];
}

function randomWeights(engine: Engine, random: Random, inputs: number, outputs: number): DenseWeights {
  const w = Float32Array.from(random.normals(inputs * outputs, 1 / Math.sqrt(inputs)));
  const b = Float32Array.from(random.normals(outputs, 0.1));
  return { weight: engine.upload(w), bias: engine.upload(b), inputs, outputs, order: 0 };
}

function randomJet(engine: Engine, random: Random, rows: number, order: number, shape: readonly number[]): Jet {
  const n = rows * (order + 1) * shape.reduce((a, b) => a * b, 1);
  return Jet.fromArray(engine, Float32Array.from(random.normals(n, 0.5)), rows, order, shape);
}

/**
 * Flops of the textbook tanh recurrence per (row, feature): Σ_k (k terms of j·x_j·z_{k−j}) +
 * (k+1 terms of y_j·y_{k−j}), 2 flops each. The kernel does ~25% fewer (it halves the symmetric
 * sum), so its GFLOP/s are "textbook-equivalent" and comparable across kernel versions.
 */
export function tanhFlops(order: number): number {
  let f = 0;
  for (let k = 1; k <= order; k++) f += 2 * k + 2 * (k + 1);
  return f;
}

const ORDERS = [0, 4, 60] as const;

/** Dense 1024 rows × 64→64 (the MLP's hidden layer), its x̄ and W̄+b̄ passes, tanh, and every matmul variant at M = 1024·(K+1), K = N = 64. */
async function denseFigures(engine: Engine, random: Random, runs: number, report: KernelReport, best: Map<number, number>): Promise<void> {
  const rows = 1024;
  const width = 64;
  const p = randomWeights(engine, random, width, width);
  const grads = { weight: engine.zeros(width * width * 4), bias: engine.zeros(width * 4) };
  for (const order of ORDERS) {
    const m = rows * (order + 1);
    const x = randomJet(engine, random, rows, order, [width]);
    const ybar = randomJet(engine, random, rows, order, [width]);
    const mm = await matmulBench(engine, m, width, width);
    const t = await interleaved(engine, {
      dense: () => dense(x, p).release(),
      denseInput: () => denseVjp(x, ybar, p, null)!.release(),
      denseWeight: () => { denseVjp(x, ybar, p, grads, false); },
      tanh: () => tanh(x).release(),
      ...mm.variants,
    }, order === 60 ? Math.min(runs, 3) : runs);
    const figures = matmulFigures(mm, t);
    report.matmul.push(...figures);
    best.set(order, Math.max(...figures.map((f) => f.gflops)));
    const shape = `${rows} rows × ${width}→${width}`;
    const flops = 2 * m * width * width;
    for (const [kernel, name] of [['dense', 'dense'], ['dense x̄', 'denseInput'], ['dense W̄+b̄', 'denseWeight']] as const) {
      const g = gflops(flops, t[name]!);
      report.figures.push({ kernel, order, shape, medianMs: t[name]!.medianMs, gflops: g, ofBestMatmul: g / best.get(order)! });
    }
    report.figures.push({ kernel: 'tanh', order, shape: `${rows} rows × ${width}`, medianMs: t.tanh!.medianMs, gflops: gflops(rows * width * tanhFlops(order), t.tanh!) });
    mm.release();
    x.release();
    ybar.release();
  }
  for (const b of [p.weight, p.bias, grads.weight, grads.bias]) engine.pool.release(b);
}

/**
 * The bench CNN's second convolution (8→16, 3×3, 13×13 → 11×11) on 32 rows, with its x̄ and
 * W̄+b̄ passes. flops = 2·images·Cout·Ho·Wo·Cin·kh·kw for each; images = rows·(K+1).
 */
async function convFigures(engine: Engine, random: Random, runs: number, report: KernelReport, best: Map<number, number>): Promise<void> {
  const rows = 32;
  const [cin, cout, hw] = [8, 16, 13];
  const taps = cin * 9;
  const p: Conv2dWeights = {
    weight: engine.upload(Float32Array.from(random.normals(cout * taps, 1 / Math.sqrt(taps)))),
    bias: engine.upload(Float32Array.from(random.normals(cout, 0.1))),
    inChannels: cin, outChannels: cout, kernelH: 3, kernelW: 3, stride: 1, padding: 0,
  };
  const out = windowCount(hw, 3, 1);
  const grads = { weight: engine.zeros(cout * taps * 4), bias: engine.zeros(cout * 4) };
  for (const order of ORDERS) {
    const x = randomJet(engine, random, rows, order, [cin, hw, hw]);
    const ybar = randomJet(engine, random, rows, order, [cout, out, out]);
    const t = await interleaved(engine, {
      forward: () => conv2d(x, p).release(),
      input: () => conv2dVjp(x, ybar, p, null)!.release(),
      weight: () => { conv2dVjp(x, ybar, p, grads, false); },
    }, order === 60 ? Math.min(runs, 3) : runs);
    const flops = 2 * rows * (order + 1) * cout * out * out * taps;
    const shape = `${rows} rows, ${cin}→${cout} 3×3, ${hw}×${hw}`;
    for (const [kernel, name] of [['conv2d', 'forward'], ['conv2d x̄', 'input'], ['conv2d W̄+b̄', 'weight']] as const) {
      const g = gflops(flops, t[name]!);
      report.figures.push({ kernel, order, shape, medianMs: t[name]!.medianMs, gflops: g, ofBestMatmul: g / best.get(order)! });
    }
    x.release();
    ybar.release();
  }
  for (const b of [p.weight, p.bias, grads.weight, grads.bias]) engine.pool.release(b);
}

export async function kernelEfficiency(engine: Engine, runs = 5): Promise<KernelReport> {
  const random = new Random(1);
  const report: KernelReport = { figures: [], matmul: [] };
  const best = new Map<number, number>();
  await denseFigures(engine, random, runs, report, best);
  await convFigures(engine, random, runs, report, best);
  return report;
}
