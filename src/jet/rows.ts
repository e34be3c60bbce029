// Points and directions as callers have them (flat, or one array per point) -> the flat
// row-major arrays evaluateJets takes. A single direction serves every point.
import { JetcurveError } from '../errors.js';

export type Rows = ArrayLike<number> | readonly ArrayLike<number>[];

export function flattenRows(values: Rows, inputSize: number, what: string): Float64Array {
  if (values.length > 0 && typeof values[0] !== 'number') {
    const rows = values as readonly ArrayLike<number>[];
    const out = new Float64Array(rows.length * inputSize);
    rows.forEach((row, i) => {
      if (row.length !== inputSize) {
        throw new JetcurveError(`${what} ${i} has ${row.length} numbers, the input needs ${inputSize}`, `give every ${what} ${inputSize} numbers (the flattened input)`);
      }
      out.set(Array.from(row), i * inputSize);
    });
    return out;
  }
  return Float64Array.from(values as ArrayLike<number>);
}

/** Directions matching the points row for row: one per point, or one for all. */
export function matchDirections(points: Float64Array, directions: Float64Array, inputSize: number): Float64Array {
  if (directions.length === inputSize && points.length !== inputSize && points.length % inputSize === 0) {
    const out = new Float64Array(points.length);
    for (let i = 0; i < points.length; i += inputSize) out.set(directions, i);
    return out;
  }
  if (directions.length !== points.length) {
    throw new JetcurveError(`${directions.length / inputSize} directions for ${points.length / inputSize} points (inputs of ${inputSize} numbers)`,
      'give one direction per point, or a single direction for all');
  }
  return directions;
}
