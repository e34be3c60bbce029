// Every kernel's test cases, run in Node (test/kernels.node.test.ts) and in headless Chromium
// (test/browser/entry.ts). An elementwise op of the registry gets generic cases (generic.ts)
// without a line here; every other op adds its list here.
import type { ElementwiseOp } from '../../kernels/index.js';
import type { OpName } from '../../src/jet/ops.js';
import { registryCases } from './generic.js';
import type { KernelCase } from './harness.js';
import { vjpCases } from './vjp-index.js';
import { programCases } from './programs.js';
import { denseCases } from './dense.js';
import { tanhCases } from './tanh.js';
import { conv2dCases } from './conv2d.js';
import { maxpool2dCases } from './maxpool2d.js';
import { logSoftmaxCases, softmaxCrossEntropyCases } from './softmax-xent.js';
import { meanFeaturesCases, meanRowsCases, sumFeaturesCases, sumRowsCases } from './reduce.js';
import { addCases, scaleCases, subCases } from './arith.js';
import { mulCases } from './mul.js';
import { divCases, reciprocalCases } from './reciprocal.js';
import { expCases } from './exp.js';
import { logCases } from './log.js';
import { cosCases, sinCases } from './sincos.js';
import { sqrtCases } from './sqrt.js';
import { sigmoidCases } from './sigmoid.js';
import { reluCases } from './relu.js';
import { powiCases } from './power.js';
import { jetOrderCases } from './jet-order.js';
import { objectiveCases } from './objective.js';
import { batchnormCases, batchnormTrainCases } from './batchnorm.js';
import { hvpCases } from './hvp.js';

/** Hand-written cases: required for every op the registry cannot test generically, optional for the rest. */
export type CaseTable = Readonly<Record<Exclude<OpName, ElementwiseOp['name']>, readonly KernelCase[]> & Partial<Record<OpName, readonly KernelCase[]>>>;

// Typed by OpName: an op without test cases does not compile.
export const kernelCases: CaseTable = {
  dense: denseCases,
  tanh: tanhCases,
  conv2d: conv2dCases,
  maxpool2d: maxpool2dCases,
  batchnorm: batchnormCases,
  batchnormTrain: batchnormTrainCases,
  logSoftmax: logSoftmaxCases,
  softmaxCrossEntropy: softmaxCrossEntropyCases,
  sumFeatures: sumFeaturesCases,
  meanFeatures: meanFeaturesCases,
  sumRows: sumRowsCases,
  meanRows: meanRowsCases,
  relu: reluCases,
  sigmoid: sigmoidCases,
  add: addCases,
  sub: subCases,
  scale: scaleCases,
  mul: mulCases,
  reciprocal: reciprocalCases,
  div: divCases,
  powi: powiCases,
  exp: expCases,
  log: logCases,
  sin: sinCases,
  cos: cosCases,
  sqrt: sqrtCases,
};

/** Forward and reverse-mode tables as [group, cases] pairs, for the runners. */
export function kernelCaseList(): [string, readonly KernelCase[]][] {
  const present = (e: [string, readonly KernelCase[] | undefined]): e is [string, readonly KernelCase[]] => e[1] !== undefined;
  return [
    ...Object.entries(kernelCases).filter(present),
    ...Object.entries(vjpCases).filter(present).map(([op, cases]): [string, readonly KernelCase[]] => [`${op} vjp`, cases]),
    ...registryCases(),
    ['programs', programCases],
    // Not an op of expressions (no OpName): the order change Model.record inserts.
    ['raiseOrder/truncateOrder', jetOrderCases],
    // The training objective's seed and sums (kernels/objective.ts), not an op of the jet algebra.
    ['objective', objectiveCases],
    // Reverse mode through order-1 parameter jets, every layer: the curvature commands' product.
    ['hessian-vector product', hvpCases],
  ];
}
