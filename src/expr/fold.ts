// Constant subtrees evaluated once in f64 (their jets would only carry c_0 anyway).
import type { Expr, FunctionName } from './ast.js';

const scalar: Record<FunctionName, (x: number) => number> = {
  exp: Math.exp, log: Math.log, sin: Math.sin, cos: Math.cos, tanh: Math.tanh, sqrt: Math.sqrt,
  relu: (x) => Math.max(0, x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
};

/** The value of a constant subtree, or null if it depends on a variable. */
export function constantValue(e: Expr): number | null {
  switch (e.kind) {
    case 'number': return e.value;
    case 'variable': return null;
    case 'negate': { const a = constantValue(e.arg); return a === null ? null : -a; }
    case 'call': { const a = constantValue(e.arg); return a === null ? null : scalar[e.fn](a); }
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
