// The engine: one GPU device, its cached pipelines, its pooled buffers, and one pending command
// encoder into which dispatches are batched until something needs their results.
import { JetcurveError } from '../errors.js';
import { BufferPool } from './buffer-pool.js';
import { compileKernel, kernelText, packUniforms, type CompiledKernel, type Prelude } from './kernel.js';

export interface KernelSource {
  /** A name for labels, messages and JETCURVE_PRINT_WGSL, e.g. "tanh"; need not be unique. */
  readonly name: string;
  readonly wgsl: string;
  readonly entryPoint: string;
  /** Shared WGSL the kernel uses (e.g. 'math': math.wgsl), put in front of it after common.wgsl. */
  readonly preludes?: readonly Prelude[];
}

export interface AdapterDescription {
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** True for CPU implementations (SwiftShader, lavapipe): slow, but exact IEEE f32 all the same. */
  readonly isSoftware: boolean;
}

const MAX_WORKGROUPS_PER_DIM = 65535;

export function describeAdapter(adapter: GPUAdapter): AdapterDescription {
  const info = adapter.info ?? ({} as GPUAdapterInfo);
  const text = `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.device ?? ''} ${info.description ?? ''}`.toLowerCase();
  return {
    vendor: info.vendor ?? '',
    architecture: info.architecture ?? '',
    device: info.device ?? '',
    description: info.description ?? '',
    isSoftware: /swiftshader|llvmpipe|lavapipe|software|cpu/.test(text) || text.trim() === '',
  };
}

export class Engine {
  readonly pool: BufferPool;
  /** Pipelines by final WGSL text, then entry point: two sources that render the same text share them. */
  private readonly kernels = new Map<string, Map<string, CompiledKernel>>();
  private readonly modules = new Map<string, GPUShaderModule>();
  /** Each source's final text, built once: sources are mostly module constants. */
  private readonly texts = new WeakMap<KernelSource, string>();
  private encoder: GPUCommandEncoder | null = null;
  private pendingUniforms: GPUBuffer[] = [];
  private freeUniforms: GPUBuffer[] = [];
  private dispatchCount = 0;
  /** Set JETCURVE_PRINT_WGSL=name (or *) to print each matching kernel's WGSL when it is compiled. */
  printWgsl: string | null = null;
  /** Called after the device is destroyed (Node releases its Dawn instance there). */
  onDestroy: (() => void) | null = null;

  constructor(readonly device: GPUDevice, readonly adapter: AdapterDescription) {
    this.pool = new BufferPool(device);
  }

  static async fromAdapter(adapter: GPUAdapter): Promise<Engine> {
    const limits = adapter.limits;
    const device = await adapter.requestDevice({
      requiredLimits: {
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
      },
    });
    return new Engine(device, describeAdapter(adapter));
  }

  kernel(source: KernelSource): CompiledKernel {
    let code = this.texts.get(source);
    if (code === undefined) this.texts.set(source, (code = kernelText(source.wgsl, source.preludes)));
    let byEntry = this.kernels.get(code);
    if (!byEntry) this.kernels.set(code, (byEntry = new Map()));
    let kernel = byEntry.get(source.entryPoint);
    if (!kernel) {
      const label = `${source.name}:${source.entryPoint}`;
      if (this.printWgsl && (this.printWgsl === '*' || this.printWgsl === source.name)) {
        console.error(`// ---- WGSL of ${label} ----\n${code}`);
      }
      let module = this.modules.get(code);
      if (!module) this.modules.set(code, (module = this.device.createShaderModule({ label: source.name, code })));
      kernel = compileKernel(this.device, label, code, source.entryPoint, module);
      byEntry.set(source.entryPoint, kernel);
    }
    return kernel;
  }

  /** Workgroup counts for `threads` threads, spread over y past the per-dimension limit. */
  grid(threads: number, workgroupSize: number): [number, number, number] {
    const groups = Math.max(1, Math.ceil(threads / workgroupSize));
    if (groups <= MAX_WORKGROUPS_PER_DIM) return [groups, 1, 1];
    const y = Math.ceil(groups / MAX_WORKGROUPS_PER_DIM);
    return [MAX_WORKGROUPS_PER_DIM, y, 1];
  }

  /** Records one dispatch into the pending encoder; nothing runs until flush() or a read. */
  dispatch(
    source: KernelSource,
    buffers: Readonly<Record<string, GPUBuffer>>,
    uniforms: Readonly<Record<string, number>>,
    threads: number,
  ): void {
    const kernel = this.kernel(source);
    const entries: GPUBindGroupEntry[] = [];
    if (kernel.layout.uniformBinding !== null) {
      const uniform = this.uniformBuffer(kernel.layout.uniformBytes);
      this.device.queue.writeBuffer(uniform, 0, packUniforms(kernel, uniforms));
      entries.push({ binding: kernel.layout.uniformBinding, resource: { buffer: uniform } });
    }
    for (const [name, binding] of kernel.layout.storage) {
      const buffer = buffers[name];
      if (!buffer) throw new Error(`kernel ${kernel.name}: storage buffer '${name}' was not given`);
      entries.push({ binding: binding.binding, resource: { buffer } });
    }
    for (const name of Object.keys(buffers)) {
      if (!kernel.layout.storage.has(name)) throw new Error(`kernel ${kernel.name}: no storage binding named '${name}'`);
    }
    const bindGroup = this.device.createBindGroup({ layout: kernel.bindGroupLayout, entries });
    const encoder = (this.encoder ??= this.device.createCommandEncoder());
    const pass = encoder.beginComputePass();
    pass.setPipeline(kernel.pipeline);
    pass.setBindGroup(0, bindGroup);
    const [x, y, z] = this.grid(threads, kernel.layout.workgroupSize);
    pass.dispatchWorkgroups(x, y, z);
    pass.end();
    this.dispatchCount++;
  }

  /** Uniform buffers are written by the queue before the pending encoder runs, so each dispatch needs its own. */
  private uniformBuffer(bytes: number): GPUBuffer {
    const index = this.freeUniforms.findIndex((b) => b.size === bytes);
    const buffer = index >= 0
      ? this.freeUniforms.splice(index, 1)[0]!
      : this.device.createBuffer({ size: bytes, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
    this.pendingUniforms.push(buffer);
    return buffer;
  }

  flush(): void {
    if (this.encoder) {
      this.device.queue.submit([this.encoder.finish()]);
      this.encoder = null;
    }
    this.freeUniforms.push(...this.pendingUniforms);
    this.pendingUniforms = [];
  }

  /** A pooled storage buffer holding `data`. Pending work is submitted first, so the write cannot overtake it. */
  upload(data: Float32Array | Uint32Array | Int32Array): GPUBuffer {
    const buffer = this.pool.acquire(data.byteLength);
    this.flush();
    this.device.queue.writeBuffer(buffer, 0, data.buffer, data.byteOffset, data.byteLength);
    return buffer;
  }

  /** A pooled storage buffer of `bytes` bytes, all zero. */
  zeros(bytes: number): GPUBuffer {
    const buffer = this.pool.acquire(bytes);
    this.clear(buffer);
    return buffer;
  }

  /** Zeroes a buffer, in order with the pending dispatches. */
  clear(buffer: GPUBuffer): void {
    const encoder = (this.encoder ??= this.device.createCommandEncoder());
    encoder.clearBuffer(buffer, 0, buffer.size);
  }

  async read(buffer: GPUBuffer, bytes: number): Promise<Float32Array> {
    const staging = this.device.createBuffer({ size: Math.ceil(bytes / 4) * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const encoder = (this.encoder ??= this.device.createCommandEncoder());
    encoder.copyBufferToBuffer(buffer, 0, staging, 0, staging.size);
    this.flush();
    await staging.mapAsync(GPUMapMode.READ);
    const result = new Float32Array(staging.getMappedRange().slice(0));
    staging.unmap();
    staging.destroy();
    return result.subarray(0, bytes / 4);
  }

  /** Waits for all submitted work: what a timing must do before it reads the clock. */
  async finish(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
  }

  get dispatches(): number {
    return this.dispatchCount;
  }

  /** Runs `body` inside validation and out-of-memory error scopes and throws what they caught. */
  async checked<T>(body: () => Promise<T>): Promise<T> {
    this.device.pushErrorScope('validation');
    this.device.pushErrorScope('out-of-memory');
    let result: T;
    try {
      result = await body();
    } finally {
      this.flush();
      const oom = await this.device.popErrorScope();
      const validation = await this.device.popErrorScope();
      if (oom) throw new JetcurveError(`GPU out of memory: ${oom.message}`, 'use a smaller batch or a lower order');
      if (validation) throw new Error(`WebGPU validation error: ${validation.message}`);
    }
    return result;
  }

  /**
   * Waits for the queue to drain, then destroys the device. Destroying a Dawn device with work
   * (even device creation's own) still in flight crashed the process at exit about one time in
   * three on SwiftShader; after onSubmittedWorkDone it never did in our trials.
   */
  async destroy(): Promise<void> {
    this.flush();
    await this.device.queue.onSubmittedWorkDone();
    this.pool.destroy();
    for (const b of this.freeUniforms) b.destroy();
    this.freeUniforms = [];
    this.device.destroy();
    this.onDestroy?.();
  }
}
