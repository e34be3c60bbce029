// Dispatch of elementwise jet kernels: one thread per (row, feature), each walking the orders.
// Unary kernels bind x -> y; binary kernels bind a, b -> y. Uniforms: rows, order, features.
import type { KernelSource } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { describeShape, sameShape } from '../src/jet/layout.js';
import { JetcurveError } from '../src/errors.js';

/** `lanes`: features one thread handles (a kernel that runs 4 features in vec4 registers says 4). */
export function runUnary(source: KernelSource, x: Jet, extraUniforms: Readonly<Record<string, number>> = {}, lanes = 1): Jet {
  const y = Jet.empty(x.engine, x.rows, x.order, x.shape);
  x.engine.dispatch(source, { x: x.buffer, y: y.buffer },
    { rows: x.rows, order: x.order, features: x.features, ...extraUniforms }, x.rows * Math.ceil(x.features / lanes));
  return y;
}

export function checkSameJetShape(op: string, a: Jet, b: Jet): void {
  if (a.rows !== b.rows || a.order !== b.order || !sameShape(a.shape, b.shape)) {
    throw new JetcurveError(`${op}: operands have different shapes, ${describeShape(a)} and ${describeShape(b)}`,
      'give both operands the same rows, order and feature shape');
  }
}

export function runBinary(source: KernelSource, a: Jet, b: Jet, extraUniforms: Readonly<Record<string, number>> = {}): Jet {
  checkSameJetShape(source.name, a, b);
  const y = Jet.empty(a.engine, a.rows, a.order, a.shape);
  a.engine.dispatch(source, { a: a.buffer, b: b.buffer, y: y.buffer },
    { rows: a.rows, order: a.order, features: a.features, ...extraUniforms }, a.rows * a.features);
  return y;
}

/**
 * Reverse mode of a unary kernel: binds x, ȳ -> x̄ (the kernel recomputes what it needs of the
 * forward pass). `lanes` as in runUnary.
 */
export function runUnaryVjp(source: KernelSource, x: Jet, ybar: Jet, extraUniforms: Readonly<Record<string, number>> = {}, lanes = 1): Jet {
  checkSameJetShape(source.name, x, ybar);
  const xbar = Jet.empty(x.engine, x.rows, x.order, x.shape);
  x.engine.dispatch(source, { x: x.buffer, ybar: ybar.buffer, xbar: xbar.buffer },
    { rows: x.rows, order: x.order, features: x.features, ...extraUniforms }, x.rows * Math.ceil(x.features / lanes));
  return xbar;
}

/** Reverse mode of a binary kernel: binds a, b, ȳ -> ā, b̄ (both cotangents in one pass). */
export function runBinaryVjp(source: KernelSource, a: Jet, b: Jet, ybar: Jet): [Jet, Jet] {
  checkSameJetShape(source.name, a, b);
  checkSameJetShape(source.name, a, ybar);
  const abar = Jet.empty(a.engine, a.rows, a.order, a.shape);
  const bbar = Jet.empty(a.engine, a.rows, a.order, a.shape);
  a.engine.dispatch(source, { a: a.buffer, b: b.buffer, ybar: ybar.buffer, abar: abar.buffer, bbar: bbar.buffer },
    { rows: a.rows, order: a.order, features: a.features }, a.rows * a.features);
  return [abar, bbar];
}
