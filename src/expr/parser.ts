// Recursive descent over the tokens. Precedence, loosest first:
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/') unary)*
//   unary   := ('-' | '+') unary | power          so -x^2 is -(x^2)
//   power   := primary ('^' integer)?            integer: 3, -2, (-2); x^2^3 is refused
//   primary := number | pi | e | x | x<i> | function '(' sum (',' constant)* ')' | '(' sum ')'
//   (a function takes as many constant parameters after its argument as its op has: pow(x, 2.5))
// Errors name the column and the token, and what was expected instead.
import { JetcurveError } from '../errors.js';
import { functionOp } from '../../kernels/index.js';
import { FUNCTIONS, type Expr, type FunctionName } from './ast.js';
import { constantValue } from './fold.js';
import { tokenize, type Token } from './lexer.js';

const CONSTANTS: Readonly<Record<string, number>> = { pi: Math.PI, e: Math.E };
const SYNTAX = 'expressions use numbers, x or x1..xd, + - * / ^ (integer powers; pow(x, a) for a real a), parentheses and the functions ' + FUNCTIONS.join(', ');

export function parseExpression(source: string): Expr {
  const tokens = tokenize(source);
  let at = 0;
  const peek = (): Token => tokens[at]!;
  const next = (): Token => tokens[at++]!;
  const tokenText = (t: Token): string => (t.kind === 'end' ? 'end of expression' : `'${t.text}' at column ${t.column}`);
  const fail = (message: string, hint = SYNTAX): never => {
    throw new JetcurveError(message, hint);
  };
  const isOp = (t: Token, ...ops: string[]): boolean => t.kind === 'op' && ops.includes(t.text);

  const sum = (): Expr => {
    let left = product();
    while (isOp(peek(), '+', '-')) {
      const op = next().text as '+' | '-';
      left = { kind: 'binary', op, left, right: product() };
    }
    return left;
  };

  const product = (): Expr => {
    let left = unary();
    while (isOp(peek(), '*', '/')) {
      const op = next().text as '*' | '/';
      left = { kind: 'binary', op, left, right: unary() };
    }
    return left;
  };

  const unary = (): Expr => {
    if (isOp(peek(), '-')) {
      next();
      return { kind: 'negate', arg: unary() };
    }
    if (isOp(peek(), '+')) {
      next();
      return unary();
    }
    return power();
  };

  const power = (): Expr => {
    const base = primary();
    if (!isOp(peek(), '^')) return base;
    const caret = next();
    const exponent = integerExponent(caret);
    if (isOp(peek(), '^')) fail(`chained power at column ${peek().column}`, 'add parentheses: (x^2)^3');
    return { kind: 'power', base, exponent };
  };

  const integerExponent = (caret: Token): number => {
    const parenthesized = isOp(peek(), '(');
    if (parenthesized) next();
    let sign = 1;
    if (isOp(peek(), '-', '+')) sign = next().text === '-' ? -1 : 1;
    const t = next();
    if (t.kind !== 'number') {
      return fail(`the exponent after '^' at column ${caret.column} must be an integer, found ${tokenText(t)}`,
        '^ takes integer exponents only; write pow(x, 2.5) for a constant real power, exp(y*log(x)) for a variable one');
    }
    if (!Number.isInteger(t.value)) {
      return fail(`non-integer exponent '${t.text}' at column ${t.column}; only integer exponents are supported`,
        `write pow(x, ${t.text}) for x^${t.text} (sqrt(x) for x^0.5)`);
    }
    if (Math.abs(t.value) > 1024) fail(`exponent ${t.text} at column ${t.column} is too large`, 'use exponents between -1024 and 1024');
    if (parenthesized) {
      const close = next();
      if (!isOp(close, ')')) fail(`expected ')' to close the exponent, found ${tokenText(close)}`);
    }
    return sign * t.value;
  };

  const primary = (): Expr => {
    const t = next();
    if (t.kind === 'number') return { kind: 'number', value: t.value };
    if (isOp(t, '(')) {
      const inner = sum();
      const close = next();
      if (!isOp(close, ')')) fail(`expected ')' to close the '(' at column ${t.column}, found ${tokenText(close)}`);
      return inner;
    }
    if (t.kind === 'name') {
      const called = isOp(peek(), '(');
      if (called) {
        if (!(FUNCTIONS as readonly string[]).includes(t.text)) {
          fail(`unknown function '${t.text}' at column ${t.column}; known: ${FUNCTIONS.join(', ')}`);
        }
        const open = next();
        if (isOp(peek(), ')')) fail(`function '${t.text}' at column ${t.column} needs an argument`);
        const fn = t.text as FunctionName;
        const arg = sum();
        const names = functionOp(fn).params ?? [];
        const params = names.map((name) => {
          const comma = next();
          if (!isOp(comma, ',')) fail(`${fn}(x, ${names.join(', ')}) at column ${t.column} needs its ${name}, found ${tokenText(comma)}`, `write e.g. ${fn}(x, 2.5)`);
          const value = constantValue(sum());
          if (value === null) fail(`the ${name} of ${fn}( at column ${t.column} must be a constant`, `write e.g. ${fn}(x, 2.5); the ${name} may not depend on x`);
          return value!;
        });
        const close = next();
        if (!isOp(close, ')')) fail(`expected ')' to close '${t.text}(' at column ${open.column}, found ${tokenText(close)}`);
        return params.length > 0 ? { kind: 'call', fn, arg, params } : { kind: 'call', fn, arg };
      }
      if ((FUNCTIONS as readonly string[]).includes(t.text)) fail(`function '${t.text}' at column ${t.column} needs its argument in parentheses`, `write ${t.text}(x)`);
      if (t.text === 'x') return { kind: 'variable', index: 1 };
      const variable = /^x([1-9]\d*)$/.exec(t.text);
      if (variable) return { kind: 'variable', index: Number(variable[1]) };
      const constant = CONSTANTS[t.text];
      if (constant !== undefined) return { kind: 'number', value: constant };
      return fail(`unknown name '${t.text}' at column ${t.column}; variables are x or x1..xd, constants pi and e`);
    }
    return fail(`expected a number, a variable, a function or '(' but found ${tokenText(t)}`);
  };

  const tree = sum();
  const rest = peek();
  if (rest.kind !== 'end') {
    fail(isOp(rest, ')') ? `unmatched ')' at column ${rest.column}` : `unexpected ${tokenText(rest)}; expected an operator or the end`,
      rest.kind === 'op' ? SYNTAX : "write products with '*', e.g. 2*x");
  }
  return tree;
}
