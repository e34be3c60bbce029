// CRR as the λ paper's Two Moons and MNIST notebooks compute it: a FRESH random direction per
// order, so that the n-th term is the mixed derivative Dⁿ L[u₁, …, uₙ] (order 1 along u₁, order 2
// along u₁ and u₂, …), not the pure Dⁿ L[u, …, u] of src/train/crr.ts. Jets give pure
// derivatives only; a mixed one comes from 2ⁿ⁻¹ of them by polarization:
//
//   Dⁿ L[u₁, …, uₙ] = 2^{1−n} Σ_{ε ∈ {±1}ⁿ⁻¹} (ε₂⋯εₙ) · cₙ(L; u₁ + ε₂u₂ + … + εₙuₙ),
//
// since Σ_ε (Πε)·(u₁ + Σ εₘuₘ)^{⊗n} keeps only the terms with every uₘ once: n!·2ⁿ⁻¹ of them,
// and Dⁿ L[v, …, v] = n!·cₙ(L; v). Each penalized sample takes Σ_{n ∈ orders} 2ⁿ⁻¹ rows (orders
// 2–3: 6), each row's c₀ is the sample's loss, and only the order its row serves is read.
// The penalty is |·| of a sum over rows, so its cotangent needs the host (a read-back per step);
// the cost is fine where the notebooks use it (Two Moons: 64 samples of each batch).
import type { Random } from '../util/random.js';
import type { ObjectiveValue } from './gradient.js';

/** What these functions read of CrrSettings (src/train/crr.ts). */
interface MixedSettings {
  readonly scale: number;
  readonly orders: readonly number[];
  readonly reduction?: 'mean' | 'sum';
}

/** One row of a penalized sample: the order it serves and its polarization sign. */
interface PolarRow {
  readonly order: number;
  readonly sign: number;
  /** The sign εₘ of each direction uₘ (m = 1..order) in the row's direction. */
  readonly signs: readonly number[];
}

/** The rows of one penalized sample, order by order (row-major within the order: ε₂ slowest). */
export function polarRows(orders: readonly number[]): PolarRow[] {
  const rows: PolarRow[] = [];
  for (const n of orders) {
    for (let mask = 0; mask < 2 ** (n - 1); mask++) {
      const signs = [1, ...Array.from({ length: n - 1 }, (_, m) => ((mask >> (n - 2 - m)) & 1 ? -1 : 1))];
      rows.push({ order: n, sign: signs.reduce((a, b) => a * b, 1), signs });
    }
  }
  return rows;
}

/**
 * The jet input of a per-order-directions CRR step: for each of the first `penalized` samples,
 * the polarization rows (c₀ = xᵢ, c₁ = its combination of max(orders) fresh unit directions),
 * then one row per remaining sample (c₀ only). Labels follow the rows; order 1 in, loss at K.
 */
export function mixedInput(inputs: Float32Array, labels: Uint32Array, size: number, settings: MixedSettings, random: Random,
  penalized = labels.length): { data: Float32Array; labels: Uint32Array; rows: number; order: 1; lossOrder: number } {
  const B = labels.length;
  const polar = polarRows(settings.orders);
  const K = Math.max(...settings.orders);
  const rows = penalized * polar.length + (B - penalized);
  const data = new Float32Array(rows * 2 * size);
  const rowLabels = new Uint32Array(rows);
  let row = 0;
  for (let i = 0; i < B; i++) {
    const x = inputs.subarray(i * size, (i + 1) * size);
    const directions = i < penalized ? Array.from({ length: K }, () => random.unitVector(size)) : [];
    for (const p of i < penalized ? polar : [null]) {
      const base = row * 2 * size;
      data.set(x, base);
      if (p) for (let m = 0; m < p.order; m++) for (let j = 0; j < size; j++) data[base + size + j]! += p.signs[m]! * directions[m]![j]!;
      rowLabels[row++] = labels[i]!;
    }
  }
  return { data, labels: rowLabels, rows, order: 1, lossOrder: K };
}

/**
 * The objective of a mixedInput step from its loss jet ([rows][K+1]): the batch's mean loss,
 * counting each sample once, plus scale · (mean or sum over orders) of mean over penalized
 * samples of |Dⁿ L[u₁…uₙ]|, with its cotangent.
 */
export function mixedObjective(coefficients: ArrayLike<number>, batch: number, settings: MixedSettings, penalized = batch): ObjectiveValue {
  const polar = polarRows(settings.orders);
  const K = Math.max(...settings.orders);
  const rows = penalized * polar.length + (batch - penalized);
  if (coefficients.length !== rows * (K + 1)) throw new Error(`loss jet has ${coefficients.length} values, expected ${rows}·${K + 1}`);
  const seed = new Float32Array(rows * (K + 1));
  const perOrder = settings.reduction === 'mean' ? 1 / settings.orders.length : 1;
  let loss = 0;
  let penalty = 0;
  for (let i = 0; i < batch; i++) {
    const first = i < penalized ? i * polar.length : penalized * polar.length + (i - penalized);
    const count = i < penalized ? polar.length : 1;
    for (let r = first; r < first + count; r++) {
      loss += coefficients[r * (K + 1)]! / (batch * count);
      seed[r * (K + 1)] = 1 / (batch * count);
    }
    if (i >= penalized) continue;
    for (const n of settings.orders) {
      const members = polar.map((p, j) => [p, first + j] as const).filter(([p]) => p.order === n);
      const d = members.reduce((s, [p, r]) => s + p.sign * coefficients[r * (K + 1) + n]!, 0) / 2 ** (n - 1);
      const w = (settings.scale * perOrder) / penalized;
      penalty += w * Math.abs(d);
      for (const [p, r] of members) seed[r * (K + 1) + n] = (w * Math.sign(d) * p.sign) / 2 ** (n - 1);
    }
  }
  return { loss, penalty, seed };
}
