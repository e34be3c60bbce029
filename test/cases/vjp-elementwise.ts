// Reverse mode of the elementwise ops, checked by vjp-harness.ts on 2 rows × 3 features at the
// VJP orders; every case also checks that the VJP releases all its intermediates.
import { add, addVjp, scale, scaleVjp, sub, subVjp } from '../../kernels/arith.js';
import { exp, expVjp } from '../../kernels/exp.js';
import { log, logVjp } from '../../kernels/log.js';
import { mul, mulVjp } from '../../kernels/mul.js';
import { powi, powiVjp } from '../../kernels/power.js';
import { div, divVjp, reciprocal, reciprocalVjp } from '../../kernels/reciprocal.js';
import { relu, reluVjp } from '../../kernels/relu.js';
import { sigmoid, sigmoidVjp } from '../../kernels/sigmoid.js';
import { cos, cosVjp, sin, sinVjp } from '../../kernels/sincos.js';
import { sqrt, sqrtVjp } from '../../kernels/sqrt.js';
import type { Engine } from '../../src/gpu/engine.js';
import { Jet } from '../../src/jet/jet.js';
import {
  add64, cos64, div64, exp64, log64, mul64, powi64, reciprocal64, relu64, scale64, sigmoid64, sin64, sqrt64, sub64,
} from '../../src/reference/elementwise64.js';
import { jet64, type Jet64 } from '../../src/reference/jet64.js';
import type { OpName } from '../../src/jet/ops.js';
import { Random } from '../../src/util/random.js';
import { outcome, randomF32, randomJet64, type KernelCase } from './harness.js';
import { fourWideJet, reluTies4 } from './relu.js';
import { seriesJet } from './series-checks.js';
import { U32, vjpCase, type VjpProblem } from './vjp-harness.js';

const VJP_ORDERS = [0, 1, 2, 4, 8, 60] as const;
const ROWS = 2;
const F = 3;

interface ElementwiseOp {
  /** The operands' coefficients (ROWS × (K+1) × F each, f32 values). */
  inputs(random: Random, K: number): Float64Array[];
  reference(...x: Jet64[]): Jet64;
  forward(...x: Jet[]): Jet;
  vjp(x: Jet[], ybar: Jet): (Jet | null)[];
}

/** c_0 = center(random), c_k = |c_0|·2^-k·normal (k ≥ 1): the series' radius does not shrink with |c_0|. */
function around(random: Random, K: number, center: (r: Random) => number): Float64Array {
  const j = jet64(ROWS, K, [F]);
  for (let row = 0; row < ROWS; row++) {
    for (let f = 0; f < F; f++) {
      const c0 = Math.fround(center(random));
      for (let k = 0; k <= K; k++) {
        j.data[(row * (K + 1) + k) * F + f] = k === 0 ? c0 : Math.fround(Math.abs(c0) * 2 ** -k * random.normal());
      }
    }
  }
  return j.data;
}

const plain = (random: Random, K: number) => randomJet64(random, ROWS, K, [F]).data;
const signed = (r: Random) => (r.uniform() < 0.5 ? -1 : 1);
// Divisors (div, reciprocal, powi) and log/sqrt arguments: |c_0| = 2 + |N|. The gradient check
// moves EVERY coefficient by ~1e-2·N(0,1), far more than c_k ~ 2^-k at high orders; with |c_0|
// down to 0.4 its h = 1e-2 difference quotient at K = 60 leaves the linear regime (off by up to
// 3× the derivative, measured in float64 on div), with |c_0| ≥ 2 by below 2e-4.
const divisor = (random: Random, K: number) => around(random, K, (r) => signed(r) * (2 + Math.abs(r.normal())));
const positive = (random: Random, K: number) => around(random, K, (r) => 2 + Math.abs(r.normal()));
/** c_0 = s·(0.25 + |N|): the finite differences (steps ≤ 0.04 on c_0) never cross relu's kink. */
const offKink = (random: Random, K: number) => around(random, K, (r) => signed(r) * (0.25 + Math.abs(r.normal())));
/** Orders above 0 as randomJet64 (size 2^-k), c_0 = spread·N. */
const centered = (spread: number) => (random: Random, K: number) => {
  const v = plain(random, K);
  for (let row = 0; row < ROWS; row++) for (let f = 0; f < F; f++) v[row * (K + 1) * F + f] = Math.fround(spread * random.normal());
  return v;
};

async function readAndRelease(jet: Jet | null): Promise<Float32Array> {
  if (!jet) throw new Error('the VJP returned no cotangent');
  const data = await jet.read();
  jet.release();
  return data;
}

function problem(op: ElementwiseOp, K: number, seed: number): VjpProblem {
  const random = new Random(seed);
  const inputs = op.inputs(random, K);
  const ybar = randomF32(random, inputs[0]!.length);
  const upload = (engine: Engine, v: Float64Array) => Jet.fromArray(engine, Float32Array.from(v), ROWS, K, [F]);
  return {
    inputs,
    differentiable: inputs.map(() => true),
    ybar,
    forward64: (vs) => op.reference(...vs.map((v) => jet64(ROWS, K, [F], v))).data,
    async forwardGpu(engine, vs) {
      const jets = vs.map((v) => upload(engine, v));
      const out = await readAndRelease(op.forward(...jets));
      for (const j of jets) j.release();
      return out;
    },
    async vjpGpu(engine, vs, yb) {
      const live = engine.pool.stats().liveBytes;
      const jets = vs.map((v) => upload(engine, v));
      const ybj = upload(engine, yb);
      const outs = op.vjp(jets, ybj);
      const got: Float32Array[] = [];
      for (const xbar of outs) got.push(await readAndRelease(xbar));
      for (const j of [...jets, ybj]) j.release();
      const leaked = engine.pool.stats().liveBytes - live;
      if (leaked !== 0) throw new Error(`the VJP left ${leaked} bytes of intermediates unreleased`);
      return got;
    },
  };
}

// Tolerances, relative to ‖x̄‖ against the float64 gradient (itself exact to ~1e-10 ≈ 0.002u).
// - add, sub, relu: x̄ is ±ȳ or 0, exact; scale: one rounding of s·ȳ. U32 is the headroom.
// - Correlations x̄_j = Σ_{k≥j} ȳ_k·d_{k-j} (mul: d = b; exp: y; sin/cos: the other series;
//   sigmoid: z = y(1-y); powi: n·x^(n-1)): the K+1-term dot product as in the forward mul cases,
//   8u·(K+1), plus the error of the recomputed d, at most its forward tolerance at order K
//   (test/cases/<op>.ts; powi: its 4-op chain, plus u for ·n).
// - Back-substitutions x̄ = L_d⁻ᵀ·ȳ (log: d = x; sqrt: d = y, then ·½; div: ā with d = b): the
//   transposed division recurrence, same depth and operations as the forward one, (2 + 4K)u,
//   plus d's forward tolerance when d is recomputed (sqrt). reciprocal and div's b̄ then
//   correlate with z: + (2 + 4K)u for z and 8u·(K+1) for the sum.
// Gradient check: the f32 difference quotient with h = 1e-2 carries roundoff ~u·|s|/h ≈ 1e-5·|s|
// relative, and |s| can exceed |⟨x̄,d⟩| tenfold (as in vjp-dense-tanh.ts).
const correlation = (K: number) => 8 * (K + 1);
const division = (K: number) => 2 + 4 * K;
const exact = () => U32;

interface Spec {
  readonly op: ElementwiseOp;
  readonly seed: number;
  readonly tolerance: (K: number) => number;
}

const one = (f: (x: Jet) => Jet, v: (x: Jet, ybar: Jet) => Jet) => ({ forward: f, vjp: ([x]: Jet[], yb: Jet) => [v(x!, yb)] });
const two = (f: (a: Jet, b: Jet) => Jet, v: (a: Jet, b: Jet, ybar: Jet) => (Jet | null)[]) =>
  ({ forward: f, vjp: ([a, b]: Jet[], yb: Jet) => v(a!, b!, yb) });
const pair = (gen: (r: Random, K: number) => Float64Array) => (r: Random, K: number) => [gen(r, K), gen(r, K)];
const S = Math.fround(-0.7); // not a power of 2: s·ȳ rounds

const specs = {
  add: { op: { inputs: pair(plain), reference: add64, ...two(add, (_a, _b, yb) => addVjp(yb)) }, seed: 2000, tolerance: exact },
  sub: { op: { inputs: pair(plain), reference: sub64, ...two(sub, (_a, _b, yb) => subVjp(yb)) }, seed: 2100, tolerance: exact },
  scale: {
    op: { inputs: (r, K) => [plain(r, K)], reference: (x) => scale64(x, S), ...one((x) => scale(x, S), (_x, yb) => scaleVjp(yb, S)) },
    seed: 2200, tolerance: exact,
  },
  mul: { op: { inputs: pair(plain), reference: mul64, ...two(mul, mulVjp) }, seed: 2300, tolerance: (K) => U32 * correlation(K) },
  reciprocal: {
    op: { inputs: (r, K) => [divisor(r, K)], reference: reciprocal64, ...one(reciprocal, reciprocalVjp) },
    seed: 2400, tolerance: (K) => U32 * (2 * division(K) + correlation(K)),
  },
  div: {
    op: { inputs: (r, K) => [plain(r, K), divisor(r, K)], reference: div64, ...two(div, divVjp) },
    seed: 2500, tolerance: (K) => U32 * (2 * division(K) + correlation(K)),
  },
  exp: {
    op: { inputs: (r, K) => [centered(1.5)(r, K)], reference: exp64, ...one(exp, expVjp) },
    seed: 2600, tolerance: (K) => U32 * (2 + 4 * K + correlation(K)),
  },
  log: { op: { inputs: (r, K) => [positive(r, K)], reference: log64, ...one(log, logVjp) }, seed: 2700, tolerance: (K) => U32 * division(K) },
  sin: {
    op: { inputs: (r, K) => [centered(2)(r, K)], reference: sin64, ...one(sin, sinVjp) },
    seed: 2800, tolerance: (K) => U32 * (3 + 4 * K + correlation(K)),
  },
  cos: {
    op: { inputs: (r, K) => [centered(2)(r, K)], reference: cos64, ...one(cos, cosVjp) },
    seed: 2900, tolerance: (K) => U32 * (3 + 4 * K + correlation(K)),
  },
  sqrt: {
    op: { inputs: (r, K) => [positive(r, K)], reference: sqrt64, ...one(sqrt, sqrtVjp) },
    seed: 3000, tolerance: (K) => U32 * (2 * division(K)),
  },
  sigmoid: {
    op: { inputs: (r, K) => [centered(2)(r, K)], reference: sigmoid64, ...one(sigmoid, sigmoidVjp) },
    seed: 3100, tolerance: (K) => U32 * (4 + 4 * K + correlation(K)),
  },
  relu: { op: { inputs: (r, K) => [offKink(r, K)], reference: relu64, ...one(relu, reluVjp) }, seed: 3200, tolerance: exact },
} satisfies Record<string, Spec>;

const GRADIENT_CHECK = 2e-3;

function opCases(name: string, spec: Spec): KernelCase[] {
  return VJP_ORDERS.map((K) => vjpCase(`${name} vjp K=${K}`, () => problem(spec.op, K, spec.seed + K),
    { reference: spec.tolerance(K), gradientCheck: GRADIENT_CHECK }));
}

// powi: the exponents of the forward cases, one per order, and n = 0, 1 (x̄ = 0 and ȳ).
const POWI_EXPONENTS = [2, 3, -1, 5, -2, 7];
const powiOp = (n: number): ElementwiseOp => ({
  inputs: (r, K) => [divisor(r, K)],
  reference: (x) => powi64(x, n),
  ...one((x) => powi(x, n), (x, yb) => powiVjp(x, yb, n)),
});
const powiTolerance = (K: number) => U32 * (4 + 16 * K + 1 + correlation(K));

// relu at the kink: the first nonzero coefficient decides, as in the forward pass (relu.ts's
// ties); x̄ is ȳ where the jet is kept and 0 where it is zeroed, exactly. powi n = 0: x̄ = 0
// exactly (the gradient check cannot run on a constant: 0/0).
const TIES = [[0, 1, -5], [0, -1, 5], [0, 0, 2, -1], [0, 0, -2, 1], [-0, 3], [0, 0, 0, 0, 0, 0, 0, 0, 2 ** -100], [0], [2, -7], [-2, 7]];
const KEPT = [true, false, true, false, true, true, false, true, false];

function exactVjpCase(name: string, x: Jet64, want: (ybar: Float64Array) => Float64Array, vjp: (x: Jet, ybar: Jet) => Jet): KernelCase {
  return {
    name,
    async run(engine) {
      const ybar = randomF32(new Random(3500), x.data.length);
      const live = engine.pool.stats().liveBytes;
      const xj = Jet.fromArray(engine, Float32Array.from(x.data), x.rows, x.order, x.shape);
      const ybj = Jet.fromArray(engine, Float32Array.from(ybar), x.rows, x.order, x.shape);
      const got = await readAndRelease(vjp(xj, ybj));
      xj.release();
      ybj.release();
      const result = outcome(name, got, jet64(x.rows, x.order, x.shape, want(ybar)), () => 0);
      const leaked = engine.pool.stats().liveBytes - live;
      return leaked === 0 ? result : { ...result, ok: false, detail: `${leaked} bytes not released; ${result.detail}` };
    },
  };
}

/** ȳ where relu keeps x's series (its first nonzero coefficient is positive), 0 elsewhere. */
function reluMask(x: Jet64): (ybar: Float64Array) => Float64Array {
  const K = x.order;
  const features = x.data.length / (x.rows * (K + 1));
  return (yb) => yb.map((v, i) => {
    const row = Math.floor(i / ((K + 1) * features));
    const f = i % features;
    let lead = 0;
    for (let k = 0; k <= K && lead === 0; k++) lead = x.data[(row * (K + 1) + k) * features + f]!;
    return lead > 0 ? v : 0;
  });
}

export const elementwiseVjpCases = {
  ...(Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, opCases(name, spec)])) as Record<keyof typeof specs, KernelCase[]>),
  relu: [
    ...opCases('relu', specs.relu),
    exactVjpCase('relu vjp tie rule K=8', seriesJet(8, TIES), (yb) => yb.map((v, i) => (KEPT[Math.floor(i / 9)] ? v : 0)), reluVjp),
    // Features a multiple of 4 take the vec4 kernel: x̄ is ȳ masked by the forward's decision.
    ...VJP_ORDERS.map((K) => { const x = randomJet64(new Random(3600 + K), 3, K, [8]); return exactVjpCase(`relu vjp 4-wide K=${K}`, x, reluMask(x), reluVjp); }),
    exactVjpCase('relu vjp 4-wide tie rule K=8', fourWideJet(8, reluTies4.series), reluMask(fourWideJet(8, reluTies4.series)), reluVjp),
  ],
  powi: [
    ...VJP_ORDERS.map((K, i) => vjpCase(`powi vjp n=${POWI_EXPONENTS[i]} K=${K}`, () => problem(powiOp(POWI_EXPONENTS[i]!), K, 3300 + K),
      { reference: powiTolerance(K), gradientCheck: GRADIENT_CHECK })),
    vjpCase('powi vjp n=1 K=4', () => problem(powiOp(1), 4, 3401), { reference: U32, gradientCheck: GRADIENT_CHECK }),
    exactVjpCase('powi vjp n=0 K=4', jet64(ROWS, 4, [F], divisor(new Random(3400), 4)), (yb) => yb.map(() => 0), (x, yb) => powiVjp(x, yb, 0)),
  ],
} satisfies Partial<Record<OpName, readonly KernelCase[]>>;
