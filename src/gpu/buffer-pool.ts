// Storage buffers are reused by size class: jet passes allocate the same shapes over and over
// (one per layer, per step), and creating GPU buffers is slow on every backend.

const MIN_BYTES = 256;

/** Size classes are powers of two: at most 2x waste, and any freed buffer serves many shapes. */
export function sizeClass(bytes: number): number {
  return Math.max(MIN_BYTES, 2 ** Math.ceil(Math.log2(Math.max(1, bytes))));
}

export class BufferPool {
  private readonly free = new Map<number, GPUBuffer[]>();
  private liveBytes = 0;
  private peak = 0;

  constructor(private readonly device: GPUDevice) {}

  acquire(bytes: number): GPUBuffer {
    const size = sizeClass(bytes);
    const buffer = this.free.get(size)?.pop() ?? this.device.createBuffer({
      size,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
    });
    this.liveBytes += size;
    this.peak = Math.max(this.peak, this.liveBytes);
    return buffer;
  }

  release(buffer: GPUBuffer): void {
    this.liveBytes -= buffer.size;
    const list = this.free.get(buffer.size);
    if (list) list.push(buffer);
    else this.free.set(buffer.size, [buffer]);
  }

  /** Bytes held by live (acquired, not released) buffers, and the most held at once since the last reset. */
  stats(): { liveBytes: number; peakBytes: number } {
    return { liveBytes: this.liveBytes, peakBytes: this.peak };
  }

  resetPeak(): void {
    this.peak = this.liveBytes;
  }

  destroy(): void {
    for (const list of this.free.values()) for (const buffer of list) buffer.destroy();
    this.free.clear();
  }
}
