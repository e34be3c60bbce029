// The expression tree shared by the parser, the GPU compiler and the float64 evaluator.
// The functions are the registry's ops that have an expression name (kernels/index.ts).
export { FUNCTIONS, type FunctionName } from '../../kernels/index.js';
import type { FunctionName } from '../../kernels/index.js';

export type Expr =
  | { readonly kind: 'number'; readonly value: number }
  /** x is x1; `index` counts from 1. */
  | { readonly kind: 'variable'; readonly index: number }
  | { readonly kind: 'negate'; readonly arg: Expr }
  | { readonly kind: 'binary'; readonly op: '+' | '-' | '*' | '/'; readonly left: Expr; readonly right: Expr }
  /** Integer exponents only: a power series to a real power needs exp and log, and says so. */
  | { readonly kind: 'power'; readonly base: Expr; readonly exponent: number }
  /** `params`: the constant parameters after the argument (pow(x, a)), for functions that take them. */
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly arg: Expr; readonly params?: readonly number[] };

/** The largest variable index the expression uses (0 if it uses none). */
export function maxVariable(e: Expr): number {
  switch (e.kind) {
    case 'number': return 0;
    case 'variable': return e.index;
    case 'negate': case 'call': return maxVariable(e.arg);
    case 'power': return maxVariable(e.base);
    case 'binary': return Math.max(maxVariable(e.left), maxVariable(e.right));
  }
}

/** True when the expression uses no variable: its series is c_0 only. */
export const isConstant = (e: Expr): boolean => maxVariable(e) === 0;
