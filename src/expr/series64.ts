// The float64 evaluator of an expression tree on Taylor series, from the reference ops of
// src/reference and the registry's float64 rules: the oracle the expression tests compare the GPU against.
import { functionOp } from '../../kernels/index.js';
import { addSeries, divSeries, powiSeries, reciprocalSeries, subSeries } from '../reference/elementwise64.js';
import { mulSeries } from '../reference/jet64.js';
import type { Expr } from './ast.js';
import { parseExpression } from './parser.js';

/** Coefficients c_0..c_K of t -> f(point + t·direction), in f64 (inputs used as given, not rounded). */
export function evaluateExpression64(expression: string | Expr, point: ArrayLike<number>, direction: ArrayLike<number>, order: number): Float64Array {
  const tree = typeof expression === 'string' ? parseExpression(expression) : expression;
  const constant = (v: number): Float64Array => {
    const c = new Float64Array(order + 1);
    c[0] = v;
    return c;
  };
  const evaluate = (e: Expr): Float64Array => {
    switch (e.kind) {
      case 'number': return constant(e.value);
      case 'variable': {
        const c = constant(point[e.index - 1]!);
        if (order >= 1) c[1] = direction[e.index - 1]!;
        return c;
      }
      case 'negate': return evaluate(e.arg).map((v) => -v);
      case 'call': return functionOp(e.fn).series64(evaluate(e.arg), ...(e.params ?? []));
      case 'power': return e.exponent === -1 ? reciprocalSeries(evaluate(e.base)) : powiSeries(evaluate(e.base), e.exponent);
      case 'binary': {
        const a = evaluate(e.left);
        const b = evaluate(e.right);
        switch (e.op) {
          case '+': return addSeries(a, b);
          case '-': return subSeries(a, b);
          case '*': return mulSeries(a, b);
          case '/': return divSeries(a, b);
        }
      }
    }
  };
  return evaluate(tree);
}
