// Item 4: peak pooled GPU bytes of one K = 60 jet pass (engine.pool.stats()), against the model
// and the batch size. The pass runs at a fixed scale: memory does not depend on the values.
import type { Engine } from '../src/gpu/engine.js';
import { featureCount } from '../src/jet/layout.js';
import { Model } from '../src/model/model.js';
import { inferShapes } from '../src/model/shapes.js';
import type { BenchModel } from './models.js';
import { benchInputs } from './models.js';

export interface MemoryFigure {
  readonly model: string;
  readonly order: number;
  readonly batch: number;
  /** Most pooled bytes held at once during the pass, weights included. */
  readonly peakBytes: number;
  /** Pooled bytes held before the pass: the model's weights. */
  readonly weightBytes: number;
  /** The input jet and the two largest consecutive activations, f32, unrounded: what any layer-by-layer pass must hold. */
  readonly floorBytes: number;
  readonly medianMs?: number;
}

export async function jetPassMemory(engine: Engine, bench: BenchModel, batches: readonly number[], order = 60): Promise<MemoryFigure[]> {
  const model = new Model(engine, bench.spec);
  const sizes = inferShapes(bench.spec).map(featureCount);
  const figures: MemoryFigure[] = [];
  try {
    for (const batch of batches) {
      const inputs = benchInputs(bench.spec, featureCount(model.outputShape), batch);
      await engine.finish();
      const weightBytes = engine.pool.stats().liveBytes;
      engine.pool.resetPeak();
      const t0 = performance.now();
      await model.jets({ points: inputs.points, directions: inputs.directions, order, scale: 1 });
      const ms = performance.now() - t0;
      const pairs = sizes.slice(1).map((s, i) => s + sizes[i]!);
      const floorBytes = batch * (order + 1) * 4 * (sizes[0]! + Math.max(...pairs));
      figures.push({ model: bench.name, order, batch, peakBytes: engine.pool.stats().peakBytes, weightBytes, floorBytes, medianMs: ms });
    }
  } finally {
    model.destroy();
  }
  return figures;
}
