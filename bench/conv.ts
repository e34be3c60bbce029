// Throughput of conv2d and its three reverse-mode passes at the MNIST CNN's training shapes
// (K = 0): flops = 2·images·Cout·Ho·Wo·Cin·kh·kw for the forward, x̄ and W̄ alike; b̄ is folded
// into the W̄ figure (its pass is part of the same call).
import { conv2d, conv2dVjp, windowCount, type Conv2dWeights } from '../kernels/conv2d.js';
import type { Engine } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { Random } from '../src/util/random.js';
import { gflops, interleaved } from './timing.js';
import type { KernelFigure } from './kernels.js';

const SHAPES = [
  { images: 64, cin: 1, cout: 32, hw: 28 },
  { images: 32, cin: 32, cout: 64, hw: 26 },
] as const;

export async function convThroughput(engine: Engine, runs = 5): Promise<KernelFigure[]> {
  const random = new Random(3);
  const figures: KernelFigure[] = [];
  for (const { images, cin, cout, hw } of SHAPES) {
    const taps = cin * 9;
    const p: Conv2dWeights = {
      weight: engine.upload(Float32Array.from(random.normals(cout * taps, 1 / Math.sqrt(taps)))),
      bias: engine.upload(Float32Array.from(random.normals(cout, 0.1))),
      inChannels: cin, outChannels: cout, kernelH: 3, kernelW: 3, stride: 1, padding: 0,
    };
    const out = windowCount(hw, 3, 1);
    const x = Jet.fromArray(engine, Float32Array.from(random.normals(images * cin * hw * hw)), images, 0, [cin, hw, hw]);
    const ybar = Jet.fromArray(engine, Float32Array.from(random.normals(images * cout * out * out)), images, 0, [cout, out, out]);
    const grads = { weight: engine.zeros(cout * taps * 4), bias: engine.zeros(cout * 4) };
    const t = await interleaved(engine, {
      forward: () => conv2d(x, p).release(),
      input: () => conv2dVjp(x, ybar, p, null)!.release(),
      weight: () => { conv2dVjp(x, ybar, p, grads, false); },
    }, runs);
    const flops = 2 * images * cout * out * out * taps;
    const shape = `${images} images ${hw}×${hw}, ${cin}→${cout} 3×3`;
    for (const [kernel, name] of [['conv2d', 'forward'], ['conv2d x̄', 'input'], ['conv2d W̄+b̄', 'weight']] as const) {
      figures.push({ kernel, order: 0, shape, medianMs: t[name]!.medianMs, gflops: gflops(flops, t[name]!) });
    }
    for (const j of [x, ybar]) j.release();
    for (const b of [p.weight, p.bias, grads.weight, grads.bias]) engine.pool.release(b);
  }
  return figures;
}
