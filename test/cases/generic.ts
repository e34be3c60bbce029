// Cases derived from the op registry (kernels/index.ts), so that an elementwise op is tested
// without a line here: for each unary op, random jets around its test domain at every
// TEST_ORDER against its float64 rule (series64), and its VJP at the VJP orders through
// vjp-harness.ts (float64 gradient and GPU gradient check), and the closed forms the op
// states. Tolerances are the op's own,
// written and justified beside its definition in units of U32. Ops keep their hand-written
// cases (closed forms, edge cases) in test/cases/<op>.ts besides these.
import { ELEMENTWISE_OPS, type ElementwiseOp, type UnaryOp } from '../../kernels/index.js';
import type { Engine } from '../../src/gpu/engine.js';
import { Jet } from '../../src/jet/jet.js';
import { jet64, mapSeries, type Jet64 } from '../../src/reference/jet64.js';
import { Random } from '../../src/util/random.js';
import { outcome, randomF32, runOp, TEST_ORDERS, U32, type KernelCase } from './harness.js';
import { vjpCase, type VjpProblem } from './vjp-harness.js';

const VJP_ORDERS = [0, 1, 2, 4, 8, 60] as const;

/** rows × features series with c_0 from the op's domain and c_k (k ≥ 1) of size 2^-k (|c_0|·2^-k `around` 0-singular ops). */
function domainJet(op: UnaryOp, random: Random, rows: number, K: number, features: number, center = op.test.center): Jet64 {
  const j = jet64(rows, K, [features]);
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) {
      const c0 = Math.fround(center(random));
      const size = op.test.around ? Math.abs(c0) : 1;
      for (let k = 0; k <= K; k++) j.data[(r * (K + 1) + k) * features + f] = k === 0 ? c0 : Math.fround(size * 2 ** -k * random.normal());
    }
  }
  return j;
}

const params = (op: UnaryOp): number[] => op.test.params ?? [];
const forward = (op: UnaryOp) => (x: Jet): Jet => op.forward(x, ...params(op));
const reference = (op: UnaryOp) => (x: Jet64): Jet64 => mapSeries(x, (c) => op.series64(c, ...params(op)));

/** A stable seed per op name, so that adding an op changes no other op's inputs. */
function seedOf(name: string): number {
  let h = 7;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 100_000;
  return 10_000 + h;
}

function forwardCases(op: UnaryOp): KernelCase[] {
  return TEST_ORDERS.map((K): KernelCase => ({
    name: `${op.name} registry random K=${K}`,
    async run(engine: Engine) {
      const x = domainJet(op, new Random(seedOf(op.name) + K), 7, K, 5);
      const got = await runOp(engine, [x], forward(op));
      return outcome(this.name, got, reference(op)(x), (k) => U32 * op.test.tolerance(k));
    },
  }));
}

async function readAndRelease(jet: Jet): Promise<Float32Array> {
  const data = await jet.read();
  jet.release();
  return data;
}

// 2 rows × 3 features, as test/cases/vjp-elementwise.ts; the VJP must release what it made.
function vjpProblem(op: UnaryOp, K: number, seed: number): VjpProblem {
  const random = new Random(seed);
  const x = domainJet(op, random, 2, K, 3, op.test.vjpCenter).data;
  const upload = (engine: Engine, v: Float64Array) => Jet.fromArray(engine, Float32Array.from(v), 2, K, [3]);
  return {
    inputs: [x],
    differentiable: [true],
    ybar: randomF32(random, x.length),
    forward64: ([v]) => reference(op)(jet64(2, K, [3], v!)).data,
    async forwardGpu(engine, [v]) {
      const xj = upload(engine, v!);
      const out = await readAndRelease(forward(op)(xj));
      xj.release();
      return out;
    },
    async vjpGpu(engine, [v], yb) {
      const live = engine.pool.stats().liveBytes;
      const xj = upload(engine, v!);
      const ybj = upload(engine, yb);
      const got = await readAndRelease(op.vjp(xj, ybj, ...params(op)));
      xj.release();
      ybj.release();
      const leaked = engine.pool.stats().liveBytes - live;
      if (leaked !== 0) throw new Error(`the VJP left ${leaked} bytes of intermediates unreleased`);
      return [got];
    },
  };
}

function vjpCases(op: UnaryOp): KernelCase[] {
  return VJP_ORDERS.map((K) => vjpCase(`${op.name} registry vjp K=${K}`, () => vjpProblem(op, K, seedOf(op.name) + 500 + K),
    { reference: U32 * op.test.vjpTolerance(K), gradientCheck: 2e-3 }));
}

function closedFormCases(op: UnaryOp): KernelCase[] {
  return (op.test.closedForms ?? []).map((c): KernelCase => ({
    name: `${op.name} registry closed form ${c.name} K=${c.order}`,
    async run(engine: Engine) {
      const x = jet64(1, c.order, [1], Float64Array.from({ length: c.order + 1 }, (_, k) => c.input[k] ?? 0));
      const want = jet64(1, c.order, [1], Float64Array.from({ length: c.order + 1 }, (_, k) => c.want(k)));
      const got = await runOp(engine, [x], forward(op));
      return outcome(this.name, got, want, (k) => U32 * op.test.tolerance(k));
    },
  }));
}

/** [group, cases] for every elementwise op of the registry. */
export function registryCases(): [string, readonly KernelCase[]][] {
  return ELEMENTWISE_OPS.flatMap((op: ElementwiseOp): [string, readonly KernelCase[]][] =>
    [[`${op.name} (registry)`, [...forwardCases(op), ...closedFormCases(op)]], [`${op.name} vjp (registry)`, vjpCases(op)]]);
}
