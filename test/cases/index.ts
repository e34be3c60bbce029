// Every kernel's test cases, run in Node (test/kernels.node.test.ts) and in headless Chromium
// (test/browser/entry.ts). Adding an op adds its list here.
import type { KernelCase } from './harness.js';
import { denseCases } from './dense.js';
import { tanhCases } from './tanh.js';

export const kernelCases: Readonly<Record<string, readonly KernelCase[]>> = {
  dense: denseCases,
  tanh: tanhCases,
};
