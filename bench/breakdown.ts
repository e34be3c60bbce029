// Where a pass spends its time: each layer of a bench model timed on its own (its input made by
// the layers before it), for the jet pass and the nested-dual pass at the same order, all in one
// interleaved run. This names the kernel that limits the jets ÷ nested ratio.
import { tanh } from '../kernels/tanh.js';
import type { Engine } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { benchInputs, type BenchModel } from './models.js';
import { KernelNet, NestedDualNet, tanhHyperdual } from './nested-dual.js';
import { interleaved } from './timing.js';

export interface LayerFigure {
  readonly model: string;
  readonly order: number;
  /** "2 tanh": the layer's index in the spec and its type. */
  readonly layer: string;
  readonly jetsMs: number;
  readonly nestedDualMs: number;
}

/** Inputs of every layer of `net` for input x (each kept; the caller releases them). */
function layerInputs(net: KernelNet, x: Jet): Jet[] {
  const inputs = [x];
  for (let i = 0; i + 1 < net.steps.length; i++) {
    const h = net.steps[i]!(inputs[i]!);
    inputs.push(h);
  }
  return inputs;
}

export async function layerBreakdown(engine: Engine, bench: BenchModel, order: number, runs: number): Promise<LayerFigure[]> {
  const { spec, batch } = bench;
  const inputs = benchInputs(spec, 1, batch);
  const size = inputs.points.length / batch;
  const taylor = new Float32Array(batch * (order + 1) * size);
  for (let p = 0; p < batch; p++) {
    taylor.set(inputs.points.subarray(p * size, (p + 1) * size), p * (order + 1) * size);
    taylor.set(inputs.directions.subarray(p * size, (p + 1) * size), (p * (order + 1) + 1) * size);
  }
  const jets = new KernelNet(engine, spec, tanh);
  const dual = new KernelNet(engine, spec, tanhHyperdual);
  const hyper = new NestedDualNet(engine, spec);
  const jetIn = layerInputs(jets, Jet.fromArray(engine, taylor, batch, order, spec.input));
  const dualIn = layerInputs(dual, hyper.input(inputs.points, inputs.directions, batch, order));
  const variants: Record<string, () => void> = {};
  const timed = (net: KernelNet, ins: Jet[], i: number) => () => net.steps[i]!(ins[i]!).release();
  spec.layers.forEach((layer, i) => {
    if (layer.type === 'flatten') return;
    variants[`jets ${i}`] = timed(jets, jetIn, i);
    variants[`dual ${i}`] = timed(dual, dualIn, i);
  });
  const t = await interleaved(engine, variants, runs);
  // A flatten step's output is a view of its input: release each buffer once.
  for (const ins of [jetIn, dualIn]) for (const b of new Set(ins.map((j) => j.buffer))) engine.pool.release(b);
  for (const net of [jets, dual, hyper]) net.destroy();
  return spec.layers.flatMap((layer, i) => (layer.type === 'flatten' ? [] : [{
    model: bench.name, order, layer: `${i} ${layer.type}`, jetsMs: t[`jets ${i}`]!.medianMs, nestedDualMs: t[`dual ${i}`]!.medianMs,
  }]));
}
