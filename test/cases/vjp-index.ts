// Every reverse-mode (vector-Jacobian) kernel's cases, run beside the forward ones in Node and
// Chromium. Partial until every op has its VJP; then Record<OpName, …>.
import type { OpName } from '../../src/jet/ops.js';
import type { KernelCase } from './harness.js';
import { vjpDenseTanhCases } from './vjp-dense-tanh.js';

export const vjpCases: Readonly<Partial<Record<OpName, readonly KernelCase[]>>> = {
  dense: vjpDenseTanhCases.filter((c) => c.name.startsWith('dense')),
  tanh: vjpDenseTanhCases.filter((c) => c.name.startsWith('tanh')),
};
