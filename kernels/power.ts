// Integer powers of a jet, composed on the host from mul and reciprocal (no shader of its own):
// x^n by left-to-right binary exponentiation (≤ 2·log2(n) Cauchy products), x^-n = (1/x)^n.
// Products need no division, so x^n is fine at c_0 = 0 (x² at 0 is t²), unlike exp(n·log x).
// The reciprocal comes first: 1/(x^n) would put an n-fold pole in the division recurrence,
// whose coefficients react to the f32 rounding of x^n about k^n times more than (1/x)^n does.
import { Jet } from '../src/jet/jet.js';
import { JetcurveError } from '../src/errors.js';
import { scale } from './arith.js';
import { mul, mulVjpFactor } from './mul.js';
import { reciprocal } from './reciprocal.js';
import type { Recorder } from '../src/autodiff/recorder.js';
import { defineOp, recordUnary } from './op.js';

/** x^n for an integer n (x^0 = 1, also at x = 0). The result is a new jet; x stays the caller's. */
export function powi(x: Jet, n: number): Jet {
  if (!Number.isSafeInteger(n)) {
    throw new JetcurveError(`powi: exponent ${n} is not an integer`, 'use an integer exponent (or exp/log for real powers)');
  }
  if (n === 0) return one(x);
  if (n < 0) {
    const r = reciprocal(x);
    const p = positivePower(r, -n);
    r.release();
    return p;
  }
  return positivePower(x, n);
}

function positivePower(x: Jet, n: number): Jet {
  // scale by 1 is an exact copy: the result must never alias x.
  if (n === 1) return scale(x, 1);
  let r: Jet = x;
  for (const bit of n.toString(2).slice(1)) {
    const square = mul(r, r);
    if (r !== x) r.release();
    r = square;
    if (bit === '1') {
      const next = mul(r, x);
      r.release();
      r = next;
    }
  }
  return r;
}

/** The constant jet 1 (c_0 = 1, higher orders 0) of x's shape. */
function one(x: Jet): Jet {
  const data = new Float32Array(x.length);
  for (let row = 0; row < x.rows; row++) {
    const start = row * (x.order + 1) * x.features;
    data.fill(1, start, start + x.features);
  }
  return Jet.fromArray(x.engine, data, x.rows, x.order, x.shape);
}

/**
 * Reverse mode of powi(x, n) for the output cotangent ȳ: x̄, a new jet. Jets multiply
 * commutatively, so the product rule gives d(x^n) = n·x^(n-1)·dx for jets as for numbers (n < 0
 * too): x̄ is the VJP of "multiply by the fixed jet n·x^(n-1)", one correlation (mulVjpFactor)
 * after one powi: fewer dispatches than recomputing the chain of products and walking back
 * through it (two correlations per product), and nothing of the chain to keep. Intermediates
 * are released here.
 */
export function powiVjp(x: Jet, ybar: Jet, n: number): Jet {
  if (!Number.isSafeInteger(n)) {
    throw new JetcurveError(`powi: exponent ${n} is not an integer`, 'use an integer exponent (or exp/log for real powers)');
  }
  if (n === 0) {
    const zero = Jet.empty(x.engine, x.rows, x.order, x.shape);
    x.engine.clear(zero.buffer);
    return zero;
  }
  const power = powi(x, n - 1);
  const derivative = scale(power, n);
  power.release();
  const xbar = mulVjpFactor(derivative, ybar);
  derivative.release();
  return xbar;
}

export const powiOp = defineOp({
  name: 'powi',
  arity: 1,
  /** n an integer. The rule recomputes x^(n-1) in the backward pass rather than keeping it. */
  record(tape: Recorder, x: Jet, n: number): Jet {
    return recordUnary(tape, x, powi(x, n), (ybar) => powiVjp(x, ybar, n));
  },
});
