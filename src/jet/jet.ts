// A jet tensor on the GPU (layout: ./layout.ts). It owns a pooled buffer until released.
import type { Engine } from '../gpu/engine.js';
import { jetLength, type JetShape } from './layout.js';

export class Jet implements JetShape {
  private released = false;

  constructor(
    readonly engine: Engine,
    readonly buffer: GPUBuffer,
    readonly rows: number,
    readonly order: number,
    readonly shape: readonly number[],
  ) {}

  get length(): number {
    return jetLength(this);
  }

  get features(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /**
   * The same coefficients seen with another feature shape (flatten), without a copy. The buffer
   * moves to the new jet: this one must not be used or released afterwards.
   */
  reshape(shape: readonly number[]): Jet {
    if (this.released) throw new Error('reshape of a released jet');
    this.released = true;
    return new Jet(this.engine, this.buffer, this.rows, this.order, shape);
  }

  static empty(engine: Engine, rows: number, order: number, shape: readonly number[]): Jet {
    const j = { rows, order, shape };
    return new Jet(engine, engine.pool.acquire(jetLength(j) * 4), rows, order, shape);
  }

  static fromArray(engine: Engine, data: Float32Array, rows: number, order: number, shape: readonly number[]): Jet {
    const expected = jetLength({ rows, order, shape });
    if (data.length !== expected) throw new Error(`jet data has ${data.length} values, the shape needs ${expected}`);
    return new Jet(engine, engine.upload(data), rows, order, shape);
  }

  /** The coefficients as f32, in the jet layout. */
  async read(): Promise<Float32Array> {
    return this.engine.read(this.buffer, this.length * 4);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.engine.pool.release(this.buffer);
  }
}
