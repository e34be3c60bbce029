// Every kernel's test cases, run in Node (test/kernels.node.test.ts) and in headless Chromium
// (test/browser/entry.ts). Adding an op adds its list here.
import type { OpName } from '../../src/jet/ops.js';
import type { KernelCase } from './harness.js';
import { denseCases } from './dense.js';
import { tanhCases } from './tanh.js';

// Partial until every op of OP_NAMES has landed; then this becomes Record<OpName, …>.
export const kernelCases: Readonly<Partial<Record<OpName, readonly KernelCase[]>>> = {
  dense: denseCases,
  tanh: tanhCases,
};

/** The table as [op, cases] pairs, for the runners. */
export function kernelCaseList(): [string, readonly KernelCase[]][] {
  return Object.entries(kernelCases).filter((e): e is [string, readonly KernelCase[]] => e[1] !== undefined);
}
