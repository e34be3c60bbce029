// One side of the playground: a TrainingSession (the same epochs as `jetcurve train`) and, after
// each epoch, the λ map of its network over the plane the data lives in.
import type { Engine } from '../gpu/engine.js';
import { lambdaMap, type LambdaMap, type LambdaMapGrid } from '../lambda/lambda-map.js';
import type { ModelSpec } from '../model/spec.js';
import type { TrainingData } from '../train/data-split.js';
import type { EpochRecord } from '../train/run-folder.js';
import { TrainingSession } from '../train/session.js';
import { trainConfig, type RunRegularizer, type Settings } from './settings.js';

/** Grid points per side of the λ map: fine enough to see the boundary, one quick jet evaluation. */
export const MAP_SIDE = 28;

/** The plane the pictures show: the test points' bounding box, padded by a tenth of its larger side. */
export function mapGrid(data: TrainingData): LambdaMapGrid {
  const t = data.test;
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < t.n; i++) {
    x0 = Math.min(x0, t.inputs[2 * i]!); x1 = Math.max(x1, t.inputs[2 * i]!);
    y0 = Math.min(y0, t.inputs[2 * i + 1]!); y1 = Math.max(y1, t.inputs[2 * i + 1]!);
  }
  const pad = 0.1 * Math.max(x1 - x0, y1 - y0);
  return { xRange: [x0 - pad, x1 + pad], yRange: [y0 - pad, y1 + pad], nx: MAP_SIDE, ny: MAP_SIDE };
}

export class PlaygroundRun {
  readonly session: TrainingSession;
  readonly records: EpochRecord[] = [];
  map: LambdaMap | null = null;

  constructor(readonly engine: Engine, settings: Settings, readonly reg: RunRegularizer, readonly data: TrainingData, readonly grid: LambdaMapGrid) {
    this.session = new TrainingSession(engine, trainConfig(settings, reg), data);
  }

  get done(): boolean {
    return this.session.done;
  }

  /** The map of the freshly initialised network, before any epoch. */
  async start(): Promise<void> {
    this.map = await lambdaMap(this.engine, this.session.network, this.grid);
  }

  /** One epoch (every step awaits the GPU, so the page stays responsive), then the λ map. */
  async epoch(): Promise<EpochRecord> {
    const record = await this.session.next();
    this.records.push(record);
    this.map = await lambdaMap(this.engine, this.session.network, this.grid);
    return record;
  }

  /** The trained network as a model file's spec, with how it was made in its meta. */
  spec(): Promise<ModelSpec> {
    const last = this.records[this.records.length - 1];
    return this.session.network.toSpec({
      trainedBy: 'jetcurve playground', architecture: this.session.architecture.description, data: this.data.note, epochs: this.records.length,
      ...(last ? { testError: last.testError, lambda: last.lambda?.value ?? null } : {}),
    });
  }

  release(): void {
    this.session.release();
  }
}
