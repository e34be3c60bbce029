// The library's public surface, shared by the Node and browser builds.
export { Engine, type AdapterDescription } from './gpu/engine.js';
export { Jet } from './jet/jet.js';
export { MAX_ORDER, type JetShape } from './jet/layout.js';
export { JetcurveError } from './errors.js';
