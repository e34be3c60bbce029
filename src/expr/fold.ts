// Constant subtrees evaluated once in f64 (their jets would only carry c_0 anyway).
import { functionOp } from '../../kernels/index.js';
import type { Expr } from './ast.js';

/** The value of a constant subtree, or null if it depends on a variable. */
export function constantValue(e: Expr): number | null {
  switch (e.kind) {
    case 'number': return e.value;
    case 'variable': return null;
    case 'negate': { const a = constantValue(e.arg); return a === null ? null : -a; }
    case 'call': { const a = constantValue(e.arg); return a === null ? null : functionOp(e.fn).scalar(a, ...(e.params ?? [])); }
    case 'power': { const a = constantValue(e.base); return a === null ? null : a ** e.exponent; }
    case 'binary': {
      const a = constantValue(e.left);
      const b = constantValue(e.right);
      if (a === null || b === null) return null;
      switch (e.op) {
        case '+': return a + b;
        case '-': return a - b;
        case '*': return a * b;
        case '/': return a / b;
      }
    }
  }
}
