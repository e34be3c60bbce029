// Throughput of the dense and tanh jet kernels, and the price of all orders in one pass
// against one pass per order, on whatever adapter the engine found.
import { dense, type DenseWeights } from '../kernels/dense.js';
import { tanh } from '../kernels/tanh.js';
import type { Engine } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { Random } from '../src/util/random.js';
import { gflops, interleaved } from './timing.js';

export interface KernelFigure {
  readonly kernel: string;
  readonly order: number;
  readonly shape: string;
  readonly medianMs: number;
  readonly gflops: number;
}

function randomWeights(engine: Engine, random: Random, inputs: number, outputs: number): DenseWeights {
  const w = Float32Array.from(random.normals(inputs * outputs, 1 / Math.sqrt(inputs)));
  const b = Float32Array.from(random.normals(outputs, 0.1));
  return { weight: engine.upload(w), bias: engine.upload(b), inputs, outputs, order: 0 };
}

function randomJet(engine: Engine, random: Random, rows: number, order: number, features: number): Jet {
  const n = rows * (order + 1) * features;
  return Jet.fromArray(engine, Float32Array.from(random.normals(n, 0.5)), rows, order, [features]);
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

export async function kernelThroughput(engine: Engine, runs = 5): Promise<KernelFigure[]> {
  const random = new Random(1);
  const rows = 1024;
  const width = 64;
  const figures: KernelFigure[] = [];
  const w = randomWeights(engine, random, width, width);
  for (const order of [0, 4, 60]) {
    const x = randomJet(engine, random, rows, order, width);
    const t = await interleaved(engine, {
      dense: () => dense(x, w).release(),
      tanh: () => tanh(x).release(),
    }, runs);
    const m = rows * (order + 1);
    figures.push({ kernel: 'dense', order, shape: `${rows} rows × ${width}→${width}`, medianMs: t.dense!.medianMs, gflops: gflops(2 * m * width * width, t.dense!) });
    figures.push({ kernel: 'tanh', order, shape: `${rows} rows × ${width}`, medianMs: t.tanh!.medianMs, gflops: gflops(rows * width * tanhFlops(order), t.tanh!) });
    x.release();
  }
  engine.pool.release(w.weight);
  engine.pool.release(w.bias);
  return figures;
}

export interface OnePassFigure {
  readonly onePassMs: number;
  readonly separatePassesMs: number;
  readonly ratio: number;
  /** 60 first-order passes: the floor of any scheme that needs one pass per order (they give first derivatives only). */
  readonly sixtyFirstOrderMs: number;
}

/**
 * A 2-64-64-1 tanh network on `points` points: one jet pass of order 60 against 60 separate
 * passes, the n-th of which yields the n-th derivative (a jet pass of order n, n = 1..60: the
 * cheapest per-order scheme on the same kernels; nested first-order autodiff costs far more).
 */
export async function onePassVersusSixty(engine: Engine, points = 64, runs = 3): Promise<OnePassFigure> {
  const random = new Random(2);
  const layers = [randomWeights(engine, random, 2, 64), randomWeights(engine, random, 64, 64), randomWeights(engine, random, 64, 1)];
  const forward = (x: Jet) => {
    let h = x;
    layers.forEach((layer, i) => {
      const pre = dense(h, layer);
      if (h !== x) h.release();
      h = pre;
      if (i < layers.length - 1) {
        const act = tanh(h);
        h.release();
        h = act;
      }
    });
    return h;
  };
  const inputs = Array.from({ length: 61 }, (_, n) => randomJet(engine, random, points, n, 2));
  const t = await interleaved(engine, {
    one: () => forward(inputs[60]!).release(),
    sixty: () => {
      for (let n = 1; n <= 60; n++) forward(inputs[n]!).release();
    },
    firstOrder: () => {
      for (let n = 1; n <= 60; n++) forward(inputs[1]!).release();
    },
  }, runs);
  for (const x of inputs) x.release();
  for (const l of layers) {
    engine.pool.release(l.weight);
    engine.pool.release(l.bias);
  }
  return { onePassMs: t.one!.medianMs, separatePassesMs: t.sixty!.medianMs, ratio: t.sixty!.medianMs / t.one!.medianMs, sixtyFirstOrderMs: t.firstOrder!.medianMs };
}
