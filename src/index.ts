// The library's public surface, shared by the Node and browser builds.
export { Engine, type AdapterDescription } from './gpu/engine.js';
export { Jet } from './jet/jet.js';
export { MAX_ORDER, type JetShape } from './jet/layout.js';
export { evaluateJets, type JetProgram, type JetRequest, type JetResult } from './jet/evaluate.js';
export type { Rows } from './jet/rows.js';
export { JetcurveError } from './errors.js';
export { Model, type ModelJetRequest } from './model/model.js';
export { parseModel, serializeModel, stringifyModel, type WriteOptions } from './model/io.js';
export { loadModel } from './model/source.js';
export { inferShapes } from './model/shapes.js';
export { forward64, referenceJets } from './model/reference.js';
export { MODEL_FORMAT, type Layer, type ModelSpec } from './model/spec.js';
export { tensor, type Tensor } from './model/tensor.js';
export { compileExpression, type Expression, type ExpressionJetRequest, type ExpressionOptions } from './expr/expression.js';
export { evaluateExpression64 } from './expr/series64.js';
export * from './lambda/index.js';
export { DATA_FORMAT, loadDataSet, parseDataSet, stringifyDataSet, type DataSet } from './data/file.js';
