// Explicit directions for λ (`jetcurve lambda --direction-file U.json`): a JSON array shaped
// [R][points][inputs] — R directions for each point of the data file, each direction flat or
// nested in the input shape. They are used AS GIVEN (not normalized): the derivatives are those
// of t ↦ q(x + t·u), so another scale of u shifts log|Dⁿq| by n·log‖u‖ and λ by log‖u‖.
import { JetcurveError } from '../errors.js';
import { parseJson } from '../model/io.js';
import { readText } from '../model/source.js';
import type { DirectionSpec } from './directions.js';

const SHAPE = 'a direction file is a JSON array [R][points][inputs]: R directions for each point of the data file';

/** The directions of a file as a `given` spec (point-major: point p's R directions are rows p·R … p·R + R − 1). */
export function parseDirections(json: string | unknown, points: number, inputSize: number, source = 'directions'): Extract<DirectionSpec, { kind: 'given' }> {
  const value = typeof json === 'string' ? parseJson(json, source) : json;
  if (!Array.isArray(value) || value.length === 0) {
    throw new JetcurveError(`${source}: expected a non-empty array of direction sets, got ${describe(value)}`, SHAPE);
  }
  const R = value.length;
  const directions = new Float64Array(points * R * inputSize);
  value.forEach((set: unknown, r) => {
    if (!Array.isArray(set) || set.length !== points) {
      throw new JetcurveError(`${source}: [${r}] holds ${Array.isArray(set) ? `${set.length} directions` : describe(set)}, the data file has ${points} points`,
        `${SHAPE}; give one direction per point in every set`);
    }
    set.forEach((u: unknown, p) => {
      const flat = Array.isArray(u) ? (u as unknown[]).flat(Infinity) : null;
      if (!flat || flat.length !== inputSize) {
        throw new JetcurveError(`${source}: [${r}][${p}] holds ${flat ? `${flat.length} numbers` : describe(u)}, an input has ${inputSize}`,
          `${SHAPE}; every direction has the input's size (flat, or nested in the input shape)`);
      }
      let zero = true;
      flat.forEach((v, j) => {
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new JetcurveError(`${source}: [${r}][${p}] entry ${j} is ${JSON.stringify(v)}, not a finite number`, 'directions hold finite numbers only');
        }
        if (v !== 0) zero = false;
        directions[(p * R + r) * inputSize + j] = v;
      });
      if (zero) throw new JetcurveError(`${source}: [${r}][${p}] is the zero vector, along which every derivative vanishes`, 'give a non-zero direction for every point');
    });
  });
  return { kind: 'given', count: R, directions, source };
}

/** Reads and validates a direction file (a path in Node, a URL in a browser). */
export async function loadDirections(path: string, points: number, inputSize: number): Promise<Extract<DirectionSpec, { kind: 'given' }>> {
  return parseDirections(await readText(path), points, inputSize, path);
}

function describe(v: unknown): string {
  return Array.isArray(v) ? `an array of ${v.length}` : v === null ? 'null' : `a ${typeof v}`;
}
