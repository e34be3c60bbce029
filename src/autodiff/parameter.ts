// A trainable tensor on the GPU: its values and the buffer its gradient accumulates into. The
// gradient buffer is made on first use, so a model that is only evaluated (jets, λ) holds its
// weights once.
import type { Engine } from '../gpu/engine.js';
import { assertFiniteArray } from '../errors.js';

export class Parameter {
  readonly value: GPUBuffer;
  readonly size: number;
  private gradBuffer: GPUBuffer | null = null;

  constructor(readonly engine: Engine, readonly name: string, readonly shape: readonly number[], values: Float32Array) {
    this.size = shape.reduce((a, b) => a * b, 1);
    if (values.length !== this.size) throw new Error(`parameter ${name}: ${values.length} values for shape ${shape.join('×')}`);
    assertFiniteArray(values, `parameter ${name}`);
    this.value = engine.upload(values);
  }

  /** The gradient buffer (zeros when first asked for). */
  get grad(): GPUBuffer {
    return (this.gradBuffer ??= this.engine.zeros(this.size * 4));
  }

  zeroGrad(): void {
    this.engine.clear(this.grad);
  }

  async read(): Promise<Float32Array> {
    return this.engine.read(this.value, this.size * 4);
  }

  async readGrad(): Promise<Float32Array> {
    return this.engine.read(this.grad, this.size * 4);
  }

  write(values: Float32Array): void {
    if (values.length !== this.size) throw new Error(`parameter ${this.name}: ${values.length} values for ${this.size}`);
    this.engine.flush();
    this.engine.device.queue.writeBuffer(this.value, 0, values.buffer, values.byteOffset, values.byteLength);
  }

  release(): void {
    this.engine.pool.release(this.value);
    if (this.gradBuffer) this.engine.pool.release(this.gradBuffer);
  }
}
