// The names of every jet op the engine has, from the op registry (kernels/index.ts). Tables
// keyed by OpName are typed Record<OpName, …>, so the compiler rejects an op that lacks an entry.
export { OP_NAMES, type OpName } from '../../kernels/index.js';
