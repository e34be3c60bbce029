// The one jet layout of jetcurve, shared by the GPU tensors, the float64 reference and the tests:
// a jet tensor of `rows` rows (one per (point, direction) pair), order K, and feature shape S
// holds the normalized Taylor coefficients c_k = f^(k)/k! of t -> f(x + t·v), k = 0..K, with
// the coefficient axis right after the row axis: [rows, K+1, ...S], row-major. Element
// (b, k, f) sits at (b·(K+1) + k)·F + f, F = prod(S). Consecutive features are adjacent, so a
// dense layer over all rows and orders is ONE matrix product of (rows·(K+1)) × F.
import { JetcurveError } from '../errors.js';

export const MAX_ORDER = 60;

export interface JetShape {
  readonly rows: number;
  readonly order: number;
  readonly shape: readonly number[];
}

export function featureCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function jetLength(j: JetShape): number {
  return j.rows * (j.order + 1) * featureCount(j.shape);
}

export function jetIndex(j: JetShape, row: number, k: number, feature: number): number {
  return (row * (j.order + 1) + k) * featureCount(j.shape) + feature;
}

export function checkOrder(order: number): void {
  if (!Number.isInteger(order) || order < 0 || order > MAX_ORDER) {
    throw new JetcurveError(`order ${order} is outside 0..${MAX_ORDER}`, `ask for an integer order between 0 and ${MAX_ORDER}`);
  }
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

export function describeShape(j: JetShape): string {
  return `[rows ${j.rows}, order ${j.order}, features ${j.shape.join('×') || 'scalar'}]`;
}
