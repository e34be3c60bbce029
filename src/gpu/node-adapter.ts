// WebGPU in Node through Dawn (the `webgpu` package). A hardware adapter is used when the
// system's Vulkan/Metal/D3D drivers offer one; otherwise SwiftShader, the CPU Vulkan driver
// that Debian's chromium ships, is found without any setting by the user.
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create, globals } from 'webgpu';
import { JetcurveError } from '../errors.js';

const SWIFTSHADER_ICDS = [
  '/usr/lib/chromium/vk_swiftshader_icd.json',
  '/usr/lib/chromium-browser/vk_swiftshader_icd.json',
  '/usr/lib64/chromium-browser/vk_swiftshader_icd.json',
];

let installed = false;

function installGlobals(): void {
  if (installed) return;
  quietWaylandProbe();
  // GPUBufferUsage, GPUShaderStage and friends are globals in browsers; Dawn hands them over.
  Object.assign(globalThis, globals);
  installed = true;
}

// Dawn's instance lives as long as its GPU object is referenced: dropping it while a device is
// in use crashes the process, and holding it after the last device keeps Node from exiting.
// So every instance is held here until releaseNodeGpus() (called when an engine is destroyed).
const instances: GPU[] = [];

async function requestFrom(options: string[], powerPreference: GPUPowerPreference): Promise<GPUAdapter | null> {
  const gpu = create(options) as GPU;
  instances.push(gpu);
  return gpu.requestAdapter({ powerPreference });
}

export function releaseNodeGpus(): void {
  instances.length = 0;
}

// The Vulkan loader's Wayland probe complains on stderr when XDG_RUNTIME_DIR is unset or
// invalid (headless machines, CI); a private directory of our own keeps the output readable.
function quietWaylandProbe(): void {
  const dir = process.env.XDG_RUNTIME_DIR;
  if (dir && existsSync(dir)) return;
  const own = join(tmpdir(), `jetcurve-xdg-${process.getuid?.() ?? 'user'}`);
  mkdirSync(own, { recursive: true, mode: 0o700 });
  process.env.XDG_RUNTIME_DIR = own;
}

export type AdapterChoice = 'auto' | 'hardware' | 'swiftshader';

/**
 * `auto`: the system's adapter if it offers one, else SwiftShader. An explicit VK_ICD_FILENAMES
 * in the environment is respected as it is.
 */
export async function requestNodeAdapter(choice: AdapterChoice = 'auto'): Promise<GPUAdapter> {
  installGlobals();
  const userIcd = process.env.VK_ICD_FILENAMES;
  if (userIcd || choice === 'hardware' || (choice === 'auto' && mayHaveHardwareGpu())) {
    const adapter = await requestFrom([], 'high-performance');
    if (adapter && !(choice === 'auto' && isLavapipe(adapter))) return adapter;
    if (choice === 'hardware') {
      throw new JetcurveError('no hardware WebGPU adapter was found', 'install your GPU\'s Vulkan driver, or run with --adapter auto');
    }
  }
  const icd = SWIFTSHADER_ICDS.find((path) => existsSync(path));
  if (!icd) {
    throw new JetcurveError(
      'no WebGPU adapter: no GPU driver answered, and SwiftShader (the CPU fallback) is not installed',
      'install Debian\'s chromium and the Vulkan loader: apt-get install -y chromium libvulkan1 (npm start and npm test do this themselves)',
    );
  }
  // The Vulkan loader reads this when Dawn creates its next instance.
  process.env.VK_ICD_FILENAMES = icd;
  const adapter = await requestFrom([], 'high-performance');
  if (!adapter) {
    throw new JetcurveError(
      `no WebGPU adapter: SwiftShader's driver (${icd}) did not load`,
      'install the Vulkan loader: apt-get install -y libvulkan1',
    );
  }
  return adapter;
}

// On Linux a GPU shows up as a device node; without one, asking the system's Vulkan drivers
// only prints their complaints before SwiftShader is taken anyway.
function mayHaveHardwareGpu(): boolean {
  if (process.platform !== 'linux') return true;
  return ['/dev/dri', '/dev/nvidia0', '/dev/dxg'].some((path) => existsSync(path));
}

// Mesa's lavapipe on Debian 12 is too old for Dawn (it reports adapters that then fail);
// SwiftShader is preferred over it.
function isLavapipe(adapter: GPUAdapter): boolean {
  const info = adapter.info;
  return /llvmpipe|lavapipe/i.test(`${info?.device ?? ''} ${info?.description ?? ''}`);
}
