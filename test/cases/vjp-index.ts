// Every reverse-mode (vector-Jacobian) kernel's cases, run beside the forward ones in Node and
// Chromium. Typed by OpName (CaseTable): an op without VJP cases does not compile, unless the
// registry tests it generically (generic.ts).
import type { CaseTable } from './index.js';
import { vjpDenseTanhCases } from './vjp-dense-tanh.js';
import { elementwiseVjpCases } from './vjp-elementwise.js';
import { batchnormTrainVjpCases, batchnormVjpCases } from './batchnorm.js';
import {
  conv2dAlgebraCases, conv2dVjpCases, logSoftmaxVjpCases, maxpool2dVjpCases, meanFeaturesVjpCases, meanRowsVjpCases, softmaxCrossEntropyVjpCases,
  sumFeaturesVjpCases, sumRowsVjpCases,
} from './vjp-structured.js';

export const vjpCases: CaseTable = {
  dense: vjpDenseTanhCases.filter((c) => c.name.startsWith('dense')),
  tanh: vjpDenseTanhCases.filter((c) => c.name.startsWith('tanh')),
  conv2d: [...conv2dVjpCases, ...conv2dAlgebraCases],
  maxpool2d: maxpool2dVjpCases,
  batchnorm: batchnormVjpCases,
  batchnormTrain: batchnormTrainVjpCases,
  softmaxCrossEntropy: softmaxCrossEntropyVjpCases,
  logSoftmax: logSoftmaxVjpCases,
  sumFeatures: sumFeaturesVjpCases,
  meanFeatures: meanFeaturesVjpCases,
  sumRows: sumRowsVjpCases,
  meanRows: meanRowsVjpCases,
  ...elementwiseVjpCases,
};
