// A compute kernel: one WGSL entry point, its pipeline, and the bind-group layout and uniform
// layout reflected from the WGSL with wgsl_reflect, so that no binding is ever written twice.
import { WgslReflect, ResourceType } from 'wgsl_reflect/wgsl_reflect.module.js';
import commonWgsl from '../../shaders/common.wgsl';
import mathWgsl from '../../shaders/math.wgsl';

export interface UniformField {
  readonly offset: number;
  readonly type: 'u32' | 'i32' | 'f32';
}

export interface StorageBinding {
  readonly binding: number;
  readonly writable: boolean;
}

export interface KernelLayout {
  readonly workgroupSize: number;
  readonly uniformBinding: number | null;
  readonly uniformBytes: number;
  readonly uniforms: ReadonlyMap<string, UniformField>;
  readonly storage: ReadonlyMap<string, StorageBinding>;
}

export interface CompiledKernel {
  readonly name: string;
  readonly pipeline: GPUComputePipeline;
  readonly bindGroupLayout: GPUBindGroupLayout;
  readonly layout: KernelLayout;
}

/** Shared WGSL a kernel may declare that it uses (KernelSource.preludes). */
const PRELUDES = { math: mathWgsl } as const;
export type Prelude = keyof typeof PRELUDES;

/**
 * The text a kernel is compiled from: the shared constants and index helpers (common.wgsl)
 * always, then the preludes the kernel declares, then its own source.
 */
export function kernelText(source: string, preludes: readonly Prelude[] = []): string {
  return [commonWgsl, ...preludes.map((p) => PRELUDES[p]), source].join('\n');
}

export function reflectKernel(code: string, entryPoint: string): KernelLayout {
  const reflect = new WgslReflect(code);
  const entry = reflect.entry.compute.find((e) => e.name === entryPoint);
  if (!entry) throw new Error(`WGSL has no compute entry point '${entryPoint}'`);
  const workgroupSize = entry.workgroupSize ? entry.workgroupSize[0] * entry.workgroupSize[1] * entry.workgroupSize[2] : 1;

  // Only the resources this entry point reaches (through any helper it calls) enter its
  // layout: a shader file holds forward and VJP entry points side by side.
  const uniforms = new Map<string, UniformField>();
  const storage = new Map<string, StorageBinding>();
  let uniformBinding: number | null = null;
  let uniformBytes = 0;
  for (const r of entry.resources) {
    if (r.group !== 0) throw new Error(`binding ${r.name} is in group ${r.group}; kernels use group 0 only`);
    if (r.resourceType === ResourceType.Storage) {
      storage.set(r.name, { binding: r.binding, writable: r.access === 'read_write' });
    } else if (r.resourceType === ResourceType.Uniform) {
      if (uniformBinding !== null) throw new Error('a kernel takes at most one uniform struct');
      uniformBinding = r.binding;
      uniformBytes = Math.max(16, Math.ceil(r.size / 16) * 16);
      const members = (r.type as { members?: { name: string; offset: number; type: { name: string } }[] }).members ?? [];
      for (const m of members) {
        const t = m.type.name;
        if (t !== 'u32' && t !== 'i32' && t !== 'f32') {
          throw new Error(`uniform field ${m.name} has type ${t}; kernels take scalar uniforms only`);
        }
        uniforms.set(m.name, { offset: m.offset, type: t });
      }
    } else {
      throw new Error(`binding ${r.name}: kernels take uniform and storage buffers only`);
    }
  }
  return { workgroupSize, uniformBinding, uniformBytes, uniforms, storage };
}

/** Compiles one entry point of the complete WGSL text `code` (kernelText), into `module` if given. */
export function compileKernel(device: GPUDevice, name: string, code: string, entryPoint: string, module?: GPUShaderModule): CompiledKernel {
  const layout = reflectKernel(code, entryPoint);
  const entries: GPUBindGroupLayoutEntry[] = [];
  if (layout.uniformBinding !== null) {
    entries.push({ binding: layout.uniformBinding, visibility: GPUShaderStage.COMPUTE, buffer: { type: 'uniform' } });
  }
  for (const s of layout.storage.values()) {
    entries.push({ binding: s.binding, visibility: GPUShaderStage.COMPUTE, buffer: { type: s.writable ? 'storage' : 'read-only-storage' } });
  }
  const bindGroupLayout = device.createBindGroupLayout({ label: name, entries });
  const pipeline = device.createComputePipeline({
    label: name,
    layout: device.createPipelineLayout({ bindGroupLayouts: [bindGroupLayout] }),
    compute: { module: module ?? device.createShaderModule({ label: name, code }), entryPoint },
  });
  return { name, pipeline, bindGroupLayout, layout };
}

export function packUniforms(kernel: CompiledKernel, values: Readonly<Record<string, number>>): ArrayBuffer {
  const data = new ArrayBuffer(kernel.layout.uniformBytes);
  const view = new DataView(data);
  for (const [name, field] of kernel.layout.uniforms) {
    const value = values[name];
    if (value === undefined) throw new Error(`kernel ${kernel.name}: uniform '${name}' was not given`);
    if (field.type === 'f32') view.setFloat32(field.offset, value, true);
    else if (field.type === 'i32') view.setInt32(field.offset, value, true);
    else view.setUint32(field.offset, value, true);
  }
  for (const name of Object.keys(values)) {
    if (!kernel.layout.uniforms.has(name)) throw new Error(`kernel ${kernel.name}: no uniform named '${name}'`);
  }
  return data;
}
