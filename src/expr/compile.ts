// An expression tree -> a JetProgram on inputs of shape [d], output shape [1]. Constants are
// jets with only c_0 set; constant subtrees are folded in f64 first; a product or quotient by
// a constant is one `scale`. Every intermediate jet is released as soon as its parent has it.
import { add, scale, sub } from '../../kernels/arith.js';
import { dense } from '../../kernels/dense.js';
import { mul } from '../../kernels/mul.js';
import { powi } from '../../kernels/power.js';
import { div, reciprocal } from '../../kernels/reciprocal.js';
import { functionOp } from '../../kernels/index.js';
import { JetcurveError } from '../errors.js';
import type { JetProgram } from '../jet/evaluate-jets.js';
import { Jet } from '../jet/jet.js';
import type { Expr } from './ast.js';
import { constantValue } from './fold.js';

/** Builds the per-call state (coordinate selectors) and evaluates the tree on the input jet. */
export function compileToProgram(tree: Expr, dimension: number): JetProgram {
  return (input: Jet): Jet => {
    if (input.features !== dimension) {
      throw new JetcurveError(`the expression takes ${dimension} coordinates, the input has ${input.features}`, `give points of ${dimension} numbers`);
    }
    const buffers: GPUBuffer[] = [];
    const upload = (data: Float32Array): GPUBuffer => {
      const b = input.engine.upload(data);
      buffers.push(b);
      return b;
    };
    const selectors = new Map<number, GPUBuffer>();
    let zero: GPUBuffer | null = null;
    // x_i as its own [1] jet: a dense layer with a one-hot weight is an exact copy of one coordinate.
    const coordinate = (index: number): Jet => {
      let weight = selectors.get(index);
      if (!weight) {
        const w = new Float32Array(dimension);
        w[index - 1] = 1;
        weight = upload(w);
        selectors.set(index, weight);
      }
      zero ??= upload(new Float32Array(1));
      return dense(input, { weight, bias: zero, inputs: dimension, outputs: 1, order: 0 });
    };
    const constant = (value: number): Jet => {
      if (!Number.isFinite(value)) {
        throw new JetcurveError(`a constant part of the expression evaluates to ${value}`, 'check divisions by zero and logarithms or square roots of negative constants');
      }
      const data = new Float32Array(input.rows * (input.order + 1));
      for (let row = 0; row < input.rows; row++) data[row * (input.order + 1)] = value;
      return Jet.fromArray(input.engine, data, input.rows, input.order, [1]);
    };

    // Each call returns a jet the caller owns; operands are released once used.
    const use = <T>(jets: Jet[], result: T): T => {
      for (const j of jets) j.release();
      return result;
    };
    const evaluate = (e: Expr): Jet => {
      const folded = constantValue(e);
      if (folded !== null) return constant(folded);
      switch (e.kind) {
        case 'number': return constant(e.value);
        case 'variable': return coordinate(e.index);
        case 'negate': { const a = evaluate(e.arg); return use([a], scale(a, -1)); }
        case 'call': { const a = evaluate(e.arg); return use([a], functionOp(e.fn).forward(a, ...(e.params ?? []))); }
        case 'power': return power(e.base, e.exponent);
        case 'binary': return binary(e.op, e.left, e.right);
      }
    };
    const power = (base: Expr, n: number): Jet => {
      if (n === 0) return constant(1);
      const a = evaluate(base);
      if (n === 1) return a;
      return use([a], n === -1 ? reciprocal(a) : powi(a, n));
    };
    const binary = (op: '+' | '-' | '*' | '/', left: Expr, right: Expr): Jet => {
      const l = constantValue(left);
      const r = constantValue(right);
      if (op === '*' && (l !== null || r !== null)) {
        const a = evaluate(l !== null ? right : left);
        return use([a], scale(a, (l ?? r)!));
      }
      if (op === '/' && r !== null) {
        if (r === 0) throw new JetcurveError('division by the constant 0', 'remove the division by zero from the expression');
        const a = evaluate(left);
        return use([a], scale(a, 1 / r));
      }
      if (op === '/' && l !== null) {
        const b = evaluate(right);
        const inv = use([b], reciprocal(b));
        return l === 1 ? inv : use([inv], scale(inv, l));
      }
      const a = evaluate(left);
      const b = evaluate(right);
      const f = op === '+' ? add : op === '-' ? sub : op === '*' ? mul : div;
      return use([a, b], f(a, b));
    };

    try {
      return evaluate(tree);
    } finally {
      // Pending dispatches still read these; the pool only hands them out to later work, which
      // the engine orders after the dispatches already recorded.
      for (const b of buffers) input.engine.pool.release(b);
    }
  };
}
