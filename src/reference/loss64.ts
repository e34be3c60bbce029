// Float64 references of log-softmax and softmax cross-entropy on jets (features = classes).
import { featureCount } from '../jet/layout.js';
import { jet64, series, type Jet64 } from './jet64.js';

/** exp of a series: y_0 = e^{x_0}, k·y_k = Σ_{j=1..k} j·x_j·y_{k−j}. */
export function expSeries(x: Float64Array): Float64Array {
  const y = new Float64Array(x.length);
  y[0] = Math.exp(x[0]!);
  for (let k = 1; k < x.length; k++) {
    let s = 0;
    for (let j = 1; j <= k; j++) s += j * x[j]! * y[k - j]!;
    y[k] = s / k;
  }
  return y;
}

/** log of a series with x_0 > 0: x = e^y gives k·x_k = Σ_{j=1..k} j·y_j·x_{k−j}, solved for y_k. */
export function logSeries(x: Float64Array, log0 = Math.log(x[0]!)): Float64Array {
  const y = new Float64Array(x.length);
  y[0] = log0;
  for (let k = 1; k < x.length; k++) {
    let s = k * x[k]!;
    for (let j = 1; j < k; j++) s -= j * y[j]! * x[k - j]!;
    y[k] = s / (k * x[0]!);
  }
  return y;
}

const minus = (a: Float64Array, b: Float64Array): Float64Array => a.map((v, k) => v - b[k]!);
const topOf = (z: readonly Float64Array[]): number => z.reduce((t, c, i) => (c[0]! > z[t]![0]! ? i : t), 0);

/**
 * logsumexp of series z_i as z_top + log Σ_i exp(z_i − z_top), top = argmax z_i,0: the same identity
 * as the kernel, so that a dominant class with a large slope does not cost digits here either.
 */
export function logSumExpSeries(z: readonly Float64Array[]): Float64Array {
  const top = topOf(z);
  const S = new Float64Array(z[0]!.length);
  let rest = 0; // S_0 − 1
  z.forEach((c, i) => {
    if (i === top) return;
    const e = expSeries(minus(c, z[top]!));
    for (let k = 1; k < S.length; k++) S[k]! += e[k]!;
    rest += e[0]!;
  });
  S[0] = 1 + rest;
  const L = logSeries(S, Math.log1p(rest));
  return L.map((v, k) => v + z[top]![k]!);
}

function rowSeries(x: Jet64, row: number): Float64Array[] {
  return Array.from({ length: featureCount(x.shape) }, (_, i) => series(x, row, i));
}

export function logSoftmax64(x: Jet64): Jet64 {
  const y = jet64(x.rows, x.order, x.shape);
  const F = featureCount(x.shape);
  for (let row = 0; row < x.rows; row++) {
    const L = logSumExpSeries(rowSeries(x, row));
    for (let k = 0; k <= x.order; k++) {
      for (let i = 0; i < F; i++) {
        const at = (row * (x.order + 1) + k) * F + i;
        y.data[at] = x.data[at]! - L[k]!;
      }
    }
  }
  return y;
}

/** loss = logsumexp(z) − z_label, per row, shape [1]. */
export function softmaxCrossEntropy64(x: Jet64, labels: Uint32Array): Jet64 {
  const y = jet64(x.rows, x.order, [1]);
  for (let row = 0; row < x.rows; row++) {
    const z = rowSeries(x, row);
    y.data.set(minus(logSumExpSeries(z), z[labels[row]!]!), row * (x.order + 1));
  }
  return y;
}

/** The plain f64 loss of one logit vector, for finite differences. */
export function crossEntropyValue(z: Float64Array, label: number): number {
  const m = Math.max(...z);
  return m + Math.log(z.reduce((s, v) => s + Math.exp(v - m), 0)) - z[label]!;
}

// ---- sensitivities, for the tests' tolerances ----


/**
 * How far order k of logsumexp moves, per unit roundoff, under one rounding of every difference
 * d_i = z_i − z_top that the kernel forms, and the exp's few ulp at order 0:
 * Σ_{i,j} |p_{i,k−j}|·(|d_{i,j}| + [j = 0, i ≠ top]), since ∂L_k/∂z_{i,j} = p_{i,k−j} with p = softmax(z(t))
 * as a series. In differences, not in z itself: logsumexp does not care where the logits sit.
 */
export function logSumExpSensitivity(z: readonly Float64Array[]): Float64Array {
  const K = z[0]!.length - 1;
  const top = topOf(z);
  const L = logSumExpSeries(z);
  const out = new Float64Array(K + 1);
  z.forEach((c, i) => {
    const p = expSeries(minus(c, L));
    const d = minus(c, z[top]!);
    for (let k = 0; k <= K; k++) {
      for (let j = 0; j <= k; j++) out[k]! += Math.abs(p[k - j]!) * (Math.abs(d[j]!) + (j === 0 && i !== top ? 1 : 0));
    }
  });
  return out;
}

/** The loss's: logsumexp's, plus the roundings of z_top − z_label and of the final sum. */
export function softmaxCrossEntropySensitivity(x: Jet64, labels: Uint32Array): Jet64 {
  const loss = softmaxCrossEntropy64(x, labels);
  for (let row = 0; row < x.rows; row++) {
    const z = rowSeries(x, row);
    const shift = minus(z[topOf(z)]!, z[labels[row]!]!);
    const s = logSumExpSensitivity(z);
    for (let k = 0; k <= x.order; k++) {
      const at = row * (x.order + 1) + k;
      loss.data[at] = s[k]! + Math.abs(shift[k]!) + Math.abs(loss.data[at]!);
    }
  }
  return loss;
}

/** log-softmax's: logsumexp's, plus the roundings of z_i − z_top and of the final difference. */
export function logSoftmaxSensitivity(x: Jet64): Jet64 {
  const y = logSoftmax64(x);
  const F = featureCount(x.shape);
  for (let row = 0; row < x.rows; row++) {
    const z = rowSeries(x, row);
    const top = z[topOf(z)]!;
    const s = logSumExpSensitivity(z);
    for (let k = 0; k <= x.order; k++) {
      for (let i = 0; i < F; i++) {
        const at = (row * (x.order + 1) + k) * F + i;
        y.data[at] = s[k]! + Math.abs(z[i]![k]! - top[k]!) + Math.abs(y.data[at]!);
      }
    }
  }
  return y;
}
