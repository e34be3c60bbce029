// The names of every jet op the engine has. Tables keyed by OpName (the test-case table in
// test/cases/index.ts, and later the VJP table) are typed Record<OpName, …>, so the compiler
// rejects an op that lacks an entry.
export const OP_NAMES = [
  // layers
  'dense', 'conv2d', 'maxpool2d', 'relu', 'tanh', 'sigmoid',
  // batch normalization: eval mode (running statistics, jets of any order), train mode (batch statistics, order 0)
  'batchnorm', 'batchnormTrain',
  // elementwise arithmetic
  'add', 'sub', 'scale', 'mul', 'reciprocal', 'div', 'powi',
  // elementwise functions
  'exp', 'log', 'sin', 'cos', 'sqrt',
  // losses and reductions
  'logSoftmax', 'softmaxCrossEntropy', 'sumFeatures', 'meanFeatures', 'sumRows', 'meanRows',
] as const;

export type OpName = (typeof OP_NAMES)[number];
