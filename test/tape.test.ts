// The tape end to end: f = sin(x)·exp(y)/(1 + x·x) built from the differentiable ops, its input
// cotangents from tape.backward against the float64 gradient (Richardson differences of the
// same expression on the float64 reference) and a gradient check through the GPU forward pass,
// by vjpCase. x feeds three uses (sin and both factors of x·x), so its cotangent is the sum the
// tape accumulates; the constant 1 is an input nothing asks a cotangent of (its rule skips it).
import { expect, it } from 'vitest';
import { differentiable as d } from '../src/autodiff/ops.js';
import { Tape } from '../src/autodiff/tape.js';
import type { Engine } from '../src/gpu/engine.js';
import { Jet } from '../src/jet/jet.js';
import { add64, div64, exp64, mul64, sin64 } from '../src/reference/elementwise64.js';
import { jet64, type Jet64 } from '../src/reference/jet64.js';
import { Random } from '../src/util/random.js';
import { randomF32, randomJet64 } from './cases/harness.js';
import { U32, vjpCase, type VjpProblem } from './cases/vjp-harness.js';
import { useEngine } from './gpu.js';

const engine = useEngine();
const ROWS = 2;
const F = 3;

function expression(tape: Tape, x: Jet, y: Jet, one: Jet): Jet {
  const numerator = d.mul(tape, d.sin(tape, x), d.exp(tape, y));
  return d.div(tape, numerator, d.add(tape, one, d.mul(tape, x, x)));
}

function expression64(x: Jet64, y: Jet64, one: Jet64): Jet64 {
  return div64(mul64(sin64(x), exp64(y)), add64(one, mul64(x, x)));
}

function constantOne(K: number): Float64Array {
  const one = jet64(ROWS, K, [F]);
  for (let row = 0; row < ROWS; row++) one.data.fill(1, row * (K + 1) * F, row * (K + 1) * F + F);
  return one.data;
}

function problem(K: number, seed: number): VjpProblem {
  const random = new Random(seed);
  const x = randomJet64(random, ROWS, K, [F]).data;
  const y = randomJet64(random, ROWS, K, [F]).data;
  const ybar = randomF32(random, x.length);
  const one = constantOne(K);
  const upload = (e: Engine, v: Float64Array) => Jet.fromArray(e, Float32Array.from(v), ROWS, K, [F]);
  const as64 = (v: Float64Array) => jet64(ROWS, K, [F], v);
  return {
    inputs: [x, y],
    differentiable: [true, true],
    ybar,
    forward64: ([xv, yv]) => expression64(as64(xv!), as64(yv!), as64(one)).data,
    async forwardGpu(e, [xv, yv]) {
      const jets = [upload(e, xv!), upload(e, yv!), upload(e, one)] as const;
      const tape = new Tape();
      const out = await expression(tape, ...jets).read();
      tape.release();
      for (const j of jets) j.release();
      return out;
    },
    async vjpGpu(e, [xv, yv], yb) {
      const live = e.pool.stats().liveBytes;
      const jets = [upload(e, xv!), upload(e, yv!), upload(e, one)] as const;
      const seed = upload(e, yb);
      const tape = new Tape();
      const out = expression(tape, ...jets);
      const cotangents = tape.backward(out, seed, [jets[0], jets[1]]);
      const got: Float32Array[] = [];
      for (const c of cotangents) {
        if (!c) throw new Error('no cotangent came back for an input');
        got.push(await c.read());
        c.release();
      }
      tape.release();
      for (const j of [...jets, seed]) j.release();
      const leaked = e.pool.stats().liveBytes - live;
      if (leaked !== 0) throw new Error(`${leaked} bytes of intermediates or cotangents not released`);
      return got;
    },
  };
}

// Relative errors add along a chain in which no step cancels badly: the forward tolerances of
// the intermediates the rules read (sin 3 + 4K, exp 2 + 4K, the two products 8(K+1) each, 1 + x²
// one rounding, the quotient 2 + 4K; test/cases/<op>.ts) plus every rule's VJP tolerance
// (vjp-elementwise.ts: div 2(2 + 4K) + 8(K+1), two muls 8(K+1) each, sin 3 + 4K + 8(K+1),
// exp 2 + 4K + 8(K+1), add exact) plus the two accumulations into x̄ (u each).
const forwardTolerance = (K: number) => (3 + 4 * K) + (2 + 4 * K) + 16 * (K + 1) + 1 + (2 + 4 * K);
const reverseTolerance = (K: number) => 2 * (2 + 4 * K) + 8 * (K + 1) + 16 * (K + 1) + (3 + 4 * K) + (2 + 4 * K) + 16 * (K + 1) + 2;

for (const K of [0, 4, 60]) {
  it(`tape: sin(x)·exp(y)/(1 + x·x) K=${K}: cotangents of x (used three times) and y`, async () => {
    const c = vjpCase(`tape K=${K}`, () => problem(K, 4000 + K),
      { reference: U32 * (forwardTolerance(K) + reverseTolerance(K)), gradientCheck: 2e-3 });
    const result = await engine().checked(() => c.run(engine()));
    expect(result.ok, result.detail).toBe(true);
  });
}
