// Tolerances for ops whose result can be much smaller than the terms it is computed from (sums
// with cancellation, recurrences whose coefficients oscillate through zero): f32 error is bounded
// relative to those terms, so a case states an absolute error scale per element, computed in
// float64 from the reference, and the relative tolerance of order k is c_k·‖scale_k‖/‖want_k‖
// (absolute, c_k·‖scale_k‖, where want_k is all zero: the harness then measures absolute error too).
import { featureCount } from '../../src/jet/layout.js';
import type { Jet64 } from '../../src/reference/jet64.js';

export function scaledTolerance(scale: Jet64, want: Jet64, factor: (k: number) => number): (k: number) => number {
  const F = featureCount(want.shape);
  const K = want.order;
  const s = new Float64Array(K + 1);
  const w = new Float64Array(K + 1);
  for (let row = 0; row < want.rows; row++) {
    for (let k = 0; k <= K; k++) {
      for (let f = 0; f < F; f++) {
        const i = (row * (K + 1) + k) * F + f;
        s[k]! += scale.data[i]! ** 2;
        w[k]! += want.data[i]! ** 2;
      }
    }
  }
  return (k) => factor(k) * Math.sqrt(w[k] === 0 ? s[k]! : s[k]! / w[k]!);
}
