import { logSoftmax, softmaxCrossEntropy, uploadLabels } from '../../kernels/softmax-xent.js';
import { JetcurveError } from '../../src/errors.js';
import { jet64, type Jet64 } from '../../src/reference/jet64.js';
import {
  crossEntropyValue, logSoftmax64, logSoftmaxSensitivity, softmaxCrossEntropy64, softmaxCrossEntropySensitivity,
} from '../../src/reference/loss64.js';
import { Random } from '../../src/util/random.js';
import { scaledTolerance } from './error-scale.js';
import { outcome, randomJet64, runOp, TEST_ORDERS, U32, type CaseOutcome, type KernelCase } from './harness.js';

// Tolerance from the problem's own conditioning: κ_k (loss64.ts) is how far order k moves under one
// relative rounding of every logit difference and result the kernel forms. Its k + 1 sequential
// roundings per order (exp, then log recurrence) act like at most k + 1 such perturbations:
// (k + 1)·u·κ_k, and 4× that. An f32 emulation of the kernel reached 1.2·(k + 1)·u·κ_k at worst over
// 120 random 8-row inputs at K = 8, 16, 60. (Plain 64·(k + 1)·u relative to the result fails where
// an oscillating coefficient passes near zero, as some must at high order.)
const factor = (k: number) => 4 * (k + 1) * U32;

function xentCase(name: string, x: Jet64, labels: Uint32Array, want = softmaxCrossEntropy64(x, labels), extra = 0): KernelCase {
  return {
    name: `softmaxCrossEntropy ${name}`,
    async run(engine) {
      const buffer = uploadLabels(engine, labels, x.shape[0]!);
      const got = await runOp(engine, [x], (xj) => softmaxCrossEntropy(xj, buffer));
      engine.pool.release(buffer);
      const tolerance = scaledTolerance(softmaxCrossEntropySensitivity(x, labels), want, factor);
      return outcome(this.name, got, want, (k) => tolerance(k) + extra);
    },
  };
}

function randomLabels(random: Random, rows: number, classes: number): Uint32Array {
  return Uint32Array.from({ length: rows }, () => random.int(classes));
}

/**
 * Two classes, logits 0 (the label; class 0 or 1) and a + s·t, so loss = softplus(a + s·t),
 * whose series follows from softplus' = σ and σ' = σ(1 − σ) alone:
 * (k+1)·σ_{k+1} = s·(σ_k − Σ_j σ_j σ_{k−j}), c_{k+1} = s·σ_k/(k+1). softplus is singular at a ± iπ,
 * so s = |a ± iπ|/2 keeps c_k ~ 2^−k inside f32's range up to order 60. One row per case: at a = 0
 * the odd coefficients above 1 vanish, and in a shared norm one a would hide the others.
 */
function softplusCase(a: number, K: number): KernelCase {
  const label = K % 2;
  const scale = Math.fround(Math.hypot(a, Math.PI) / 2);
  const x = jet64(1, K, [2]);
  x.data[1 - label] = a;
  if (K > 0) x.data[2 + 1 - label] = scale;
  const sigma = new Float64Array(K + 1);
  sigma[0] = 1 / (1 + Math.exp(-a));
  for (let k = 0; k < K; k++) {
    let q = 0;
    for (let j = 0; j <= k; j++) q += sigma[j]! * sigma[k - j]!;
    sigma[k + 1] = (scale * (sigma[k]! - q)) / (k + 1);
  }
  const want = jet64(1, K, [1]);
  want.data[0] = Math.log1p(Math.exp(a));
  for (let k = 1; k <= K; k++) want.data[k] = (scale * sigma[k - 1]!) / k;
  return xentCase(`closed form softplus(${a} + ${scale.toFixed(2)}·t) K=${K}`, x, Uint32Array.of(label), want);
}

/** Logits ±(80..100): exp of the raw logits overflows f32 (e^89 > 3.4e38). Half the rows have the top logit as label. */
function largeLogitCase(K: number): KernelCase {
  const random = new Random(900 + K);
  const rows = 8;
  const x = randomJet64(random, rows, K, [10], 0.5);
  const labels = randomLabels(random, rows, 10);
  for (let r = 0; r < rows; r++) {
    let top = 0;
    for (let i = 0; i < 10; i++) {
      const at = r * (K + 1) * 10 + i;
      x.data[at] = Math.fround((random.uniform() < 0.5 ? -1 : 1) * random.between(80, 100));
      if (x.data[at]! > x.data[r * (K + 1) * 10 + top]!) top = i;
    }
    if (r % 2 === 0) labels[r] = top;
  }
  return xentCase(`large logits ±80..100 K=${K}`, x, labels);
}

/** A confident prediction: the label's logit 20 above the rest, so every coefficient of the loss is ~1e-8. */
function confidentCase(K: number): KernelCase {
  const random = new Random(950 + K);
  const x = randomJet64(random, 5, K, [10], 0.5);
  const labels = randomLabels(random, 5, 10);
  for (let r = 0; r < 5; r++) x.data[r * (K + 1) * 10 + labels[r]!] += 20;
  return xentCase(`confident, loss ~1e-8 K=${K}`, x, labels);
}

/**
 * c_1 and c_2 against 5-point central differences of the plain f64 loss along
 * z(t) = z_0 + z_1·t + z_2·t², h = 2e-3: truncation h⁴·|f⁽⁵⁾|/30, h⁴·|f⁽⁶⁾|/180 ≈ 1e-11 and
 * rounding 64·ε·|f|/(24·h²) ≈ 2e-10: ≤ 0.005·u (measured 0.002·u), so 0.01·u joins the f32 tolerance.
 */
function finiteDifferenceCase(): KernelCase {
  const random = new Random(990);
  const rows = 4;
  const F = 5;
  const x = randomJet64(random, rows, 2, [F], 1);
  const labels = randomLabels(random, rows, F);
  const want = jet64(rows, 2, [1]);
  const h = 2e-3;
  for (let r = 0; r < rows; r++) {
    const c = (k: number, i: number) => x.data[(r * 3 + k) * F + i]!;
    const f = (t: number) => crossEntropyValue(Float64Array.from({ length: F }, (_, i) => c(0, i) + c(1, i) * t + c(2, i) * t * t), labels[r]!);
    const [m2, m1, f0, p1, p2] = [f(-2 * h), f(-h), f(0), f(h), f(2 * h)];
    want.data[r * 3] = f0;
    want.data[r * 3 + 1] = (m2 - 8 * m1 + 8 * p1 - p2) / (12 * h);
    want.data[r * 3 + 2] = (-m2 + 16 * m1 - 30 * f0 + 16 * p1 - p2) / (24 * h * h);
  }
  return xentCase('finite differences K=2', x, labels, want, 0.01 * U32);
}

/** uploadLabels must refuse a label that is not a class. */
const labelCheckCase: KernelCase = {
  name: 'softmaxCrossEntropy rejects label ≥ classes',
  async run(engine): Promise<CaseOutcome> {
    let detail = 'no error thrown';
    try {
      engine.pool.release(uploadLabels(engine, Uint32Array.of(1, 10, 2), 10));
    } catch (e) {
      detail = e instanceof JetcurveError && /label 10 at index 1/.test(e.message) ? '' : `wrong error: ${String(e)}`;
    }
    return { name: this.name, errors: [], tolerances: [], ok: detail === '', detail: detail || 'threw JetcurveError' };
  },
};

export const logSoftmaxCases: KernelCase[] = TEST_ORDERS.map((K): KernelCase => ({
  name: `logSoftmax random K=${K}`,
  async run(engine) {
    const x = randomJet64(new Random(600 + K), 6, K, [10], 0.5, 2);
    const got = await runOp(engine, [x], logSoftmax);
    const want = logSoftmax64(x);
    return outcome(this.name, got, want, scaledTolerance(logSoftmaxSensitivity(x), want, factor));
  },
}));

export const softmaxCrossEntropyCases: KernelCase[] = [
  ...TEST_ORDERS.map((K) => {
    const random = new Random(700 + K);
    return xentCase(`random K=${K}`, randomJet64(random, 8, K, [10], 0.5, 2), randomLabels(random, 8, 10));
  }),
  ...[0, 1.5, -3, 10, -20].flatMap((a) => [softplusCase(a, 16), softplusCase(a, 60)]),
  largeLogitCase(8),
  largeLogitCase(60),
  confidentCase(4),
  finiteDifferenceCase(),
  labelCheckCase,
];
