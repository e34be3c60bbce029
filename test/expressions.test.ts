// Expressions: parser errors (no GPU), then GPU jets against closed forms and against the
// float64 evaluator of the same tree.
import { describe, expect, it } from 'vitest';
import { JetcurveError, compileExpression, evaluateExpression64 } from '../src/node.js';
import { parseExpression } from '../src/expr/parser.js';
import { useEngine } from './gpu.js';

const engine = useEngine();

function factorial(n: number): number {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return f;
}

describe('parser', () => {
  it('builds the tree with the usual precedence', () => {
    expect(parseExpression('-x^2')).toEqual({ kind: 'negate', arg: { kind: 'power', base: { kind: 'variable', index: 1 }, exponent: 2 } });
    expect(parseExpression('1 - 2*x3 / 4e-1')).toEqual({
      kind: 'binary', op: '-', left: { kind: 'number', value: 1 },
      right: { kind: 'binary', op: '/', left: { kind: 'binary', op: '*', left: { kind: 'number', value: 2 }, right: { kind: 'variable', index: 3 } }, right: { kind: 'number', value: 0.4 } },
    });
    expect(parseExpression('x^(-2)')).toEqual(parseExpression('x^-2'));
    expect(parseExpression('.5e3')).toEqual({ kind: 'number', value: 500 });
  });

  const errors: [string, RegExp][] = [
    ['1 + foo(x)', /^unknown function 'foo' at column 5; known: exp, log, sin, cos, tanh, sqrt, relu, sigmoid/],
    ['x^2.5', /^non-integer exponent '2.5' at column 3; only integer exponents are supported/],
    ['x^y', /^the exponent after '\^' at column 2 must be an integer, found 'y' at column 3/],
    ['x^2^3', /^chained power at column 4/],
    ['(1 + x', /^expected '\)' to close the '\(' at column 1, found end of expression/],
    ['1 + x)', /^unmatched '\)' at column 6/],
    ['2x', /^unexpected 'x' at column 2; expected an operator or the end/],
    ['y + 1', /^unknown name 'y' at column 1; variables are x or x1..xd/],
    ['1 +', /^expected a number, a variable, a function or '\(' but found end of expression/],
    ['sin x', /^function 'sin' at column 1 needs its argument in parentheses/],
    ['exp()', /^function 'exp' at column 1 needs an argument/],
    ['x # 2', /^unexpected character '#' at column 3/],
    ['x0', /^unknown name 'x0' at column 1/],
  ];
  for (const [source, message] of errors) {
    it(`refuses ${source}`, () => {
      expect(() => parseExpression(source)).toThrow(JetcurveError);
      expect(() => parseExpression(source)).toThrow(message);
    });
  }

  it('checks the dimension against the variables used', () => {
    expect(compileExpression('x1 + x3').dimension).toBe(3);
    expect(compileExpression('x', { dimension: 2 }).dimension).toBe(2);
    expect(() => compileExpression('x1 * x3', { dimension: 2 })).toThrow(/uses x3 but the input has 2 coordinates/);
  });
});

/** max_n |c_n − want_n| / |want_n| over the nonzero want_n; zero ones must be tiny. */
function worst(got: ArrayLike<number>, want: (n: number) => number): number {
  let e = 0;
  for (let n = 0; n < got.length; n++) {
    const w = want(n);
    e = Math.max(e, w === 0 ? Math.abs(got[n]!) : Math.abs(got[n]! - w) / Math.abs(w));
  }
  return e;
}

async function jets(source: string, point: number[], direction: number[], order: number) {
  return engine().checked(() => compileExpression(source, { dimension: point.length }).jets(engine(), { points: point, directions: direction, order }));
}

describe('expressions on the GPU vs closed forms', () => {
  it('1/(1−2x) at 0: c_n = 2^n to order 60, exactly', async () => {
    const r = await jets('1/(1-2*x)', [0], [1], 60);
    expect(r.coefficients.length).toBe(61);
    // Every step of the recurrence is exact in f32 here (the scale s is a power of two).
    expect(worst(r.coefficients, (n) => 2 ** n)).toBeLessThanOrEqual(2 ** -22);
  });

  it('exp(x) at 0.3 along 2: c_n = e^0.3·2^n/n!', async () => {
    const r = await jets('exp(x)', [0.3], [2], 60);
    const e = worst(r.coefficients, (n) => Math.exp(Math.fround(0.3)) * 2 ** n / factorial(n));
    console.log(`exp: max relative error ${e.toExponential(2)}`);
    expect(e).toBeLessThanOrEqual(1e-5);
  });

  it('sin(x) at 0.7: c_n = sin(0.7 + nπ/2)/n!', async () => {
    const x0 = Math.fround(0.7);
    const r = await jets('sin(x)', [0.7], [1], 60);
    const e = worst(r.coefficients, (n) => Math.sin(x0 + n * Math.PI / 2) / factorial(n));
    console.log(`sin: max relative error ${e.toExponential(2)}`);
    expect(e).toBeLessThanOrEqual(1e-5);
  });

  it('a constant is a jet with c_0 only', async () => {
    const r = await jets('2^3 - exp(0)', [0.5], [1], 4);
    expect(Array.from(r.coefficients)).toEqual([7, 0, 0, 0, 0]);
  });
});

describe('expressions on the GPU vs the f64 evaluator', () => {
  const cases: [string, number[], number[]][] = [
    ['x1*x2/(1+x1^2) - exp(-x2)*sin(3*x1) + sqrt(2+x1)*log(3+x2)', [0.2, -0.4], [1, 0.5]],
    ['(x^3 - 2*x)/(x^2 + 1)^2 + x^-2', [0.8], [1]],
    ['tanh(2*x1 - x2) * sigmoid(x2) + cos(x1*x2) - relu(x1 - 0.1)', [0.3, 0.6], [0.6, -0.8]],
    ['-x/3 + 1/x', [1.5], [-1]],
  ];
  for (const [source, point, direction] of cases) {
    for (const order of [8, 60]) {
      it(`${source}, order ${order}`, async () => {
        const r = await jets(source, point, direction, order);
        const want = evaluateExpression64(source, point.map(Math.fround), direction.map(Math.fround), order);
        const errors = Array.from(want, (w, n) => (w === 0 ? Math.abs(r.coefficients[n]!) : Math.abs(r.coefficients[n]! - w) / Math.abs(w)));
        if (order === 60) console.log(`${source}: err_8 ${errors[8]!.toExponential(1)}, max to 60 ${Math.max(...errors).toExponential(1)}`);
        errors.forEach((e, n) => expect(e, `order ${n}`).toBeLessThanOrEqual(n <= 8 ? 1e-4 : 1e-2));
      });
    }
  }
});
