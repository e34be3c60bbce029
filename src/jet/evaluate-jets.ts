// Jets of a program (a model's forward pass, a compiled expression) at a batch of (point,
// direction) rows, with the per-row scaling that keeps order 60 inside f32's range.
//
// Why scaling works: the jet of f along s·v has coefficients sⁿ·cₙ(v), and every Taylor rule
// is homogeneous of degree n in order n (a Cauchy product pairs orders j and n−j). With s a
// power of two the f32 results are the unscaled ones times sⁿ *exactly*, as long as nothing
// overflows or underflows. So s changes only the range, never the rounding, and the host undoes
// it in f64. The growth of cₙ is not known in advance, so s is found per row by centring the
// observed log-magnitudes log₂‖ĉₙ‖ around zero and running again until they sit well inside
// f32's exponent range (a pass or two; one when the order is low).
import type { Engine } from '../gpu/engine.js';
import { JetcurveError, assertFiniteArray } from '../errors.js';
import { Jet } from './jet.js';
import { checkOrder, featureCount } from './layout.js';

/** A function of jets: takes the input jet (rows × [inputShape]) and returns the output jet. */
export type JetProgram = (input: Jet) => Jet;

export interface JetRequest {
  /** Points, row-major [rows][inputSize]. */
  readonly points: ArrayLike<number>;
  /** Directions, row-major [rows][inputSize]: the jet of row r is of t ↦ f(points_r + t·directions_r). */
  readonly directions: ArrayLike<number>;
  readonly inputShape: readonly number[];
  readonly order: number;
  /** `auto` (default): per-row power-of-two scales found as described above; a number: that scale for every row. */
  readonly scale?: 'auto' | number;
}

export interface JetResult {
  readonly rows: number;
  readonly order: number;
  readonly outputShape: readonly number[];
  /** Normalized Taylor coefficients cₖ = f⁽ᵏ⁾/k!, f64, [row][k][output]. */
  readonly coefficients: Float64Array;
  /** The scale each row's direction was multiplied by on the GPU (already undone in `coefficients`). */
  readonly scales: Float64Array;
  /** GPU passes it took to find the scales. */
  readonly passes: number;
  /** False if some row's coefficients could not be brought inside f32's range (see `badRows`). */
  readonly converged: boolean;
  readonly badRows: readonly number[];
}

/** Scaled log₂-magnitudes must sit within ±SAFE_BITS: far from f32's ±126, with room for the products inside a pass. */
const SAFE_BITS = 48;
const MAX_PASSES = 6;

export async function evaluateJets(engine: Engine, program: JetProgram, request: JetRequest): Promise<JetResult> {
  const { order } = request;
  checkOrder(order);
  const inputSize = featureCount(request.inputShape);
  if (request.points.length % inputSize !== 0 || request.points.length === 0) {
    throw new JetcurveError(`points hold ${request.points.length} numbers, not a whole number of inputs of size ${inputSize}`,
      `give each point ${inputSize} numbers (input shape ${request.inputShape.join('×')})`);
  }
  if (request.directions.length !== request.points.length) {
    throw new JetcurveError(`${request.directions.length / inputSize} directions for ${request.points.length / inputSize} points`,
      'give one direction per point');
  }
  assertFiniteArray(request.points, 'points');
  assertFiniteArray(request.directions, 'directions');
  const rows = request.points.length / inputSize;

  const log2Scales = new Float64Array(rows);
  const fixed = request.scale !== undefined && request.scale !== 'auto';
  if (fixed) {
    const s = request.scale as number;
    if (!(s > 0) || !Number.isFinite(s)) throw new JetcurveError(`scale ${s} is not a positive number`, 'give a positive scale, or auto');
    log2Scales.fill(Math.log2(s));
  }

  let scaled: Float32Array = new Float32Array(0);
  let outputShape: readonly number[] = [];
  let passes = 0;
  let unsettled: number[] = [];
  const maxPasses = fixed || order === 0 ? 1 : MAX_PASSES;
  for (;;) {
    ({ data: scaled, shape: outputShape } = await runPass(engine, program, request, rows, inputSize, log2Scales));
    passes++;
    if (passes >= maxPasses) break;
    const outputs = featureCount(outputShape);
    const shifts = Array.from({ length: rows }, (_, row) => recentre(scaled, row, order, outputs));
    unsettled = shifts.flatMap((shift, row) => (shift === 0 ? [] : [row]));
    if (unsettled.length === 0) break;
    for (const row of unsettled) log2Scales[row]! += shifts[row]!;
  }
  if (!fixed && passes >= maxPasses && maxPasses > 1) {
    const outputs = featureCount(outputShape);
    unsettled = Array.from({ length: rows }, (_, row) => row).filter((row) => recentre(scaled, row, order, outputs) !== 0);
  }

  const outputs = featureCount(outputShape);
  const coefficients = new Float64Array(rows * (order + 1) * outputs);
  const badRows: number[] = [];
  for (let row = 0; row < rows; row++) {
    let finite = true;
    for (let k = 0; k <= order; k++) {
      const undo = 2 ** (-k * log2Scales[row]!);
      for (let o = 0; o < outputs; o++) {
        const i = (row * (order + 1) + k) * outputs + o;
        const v = scaled[i]! * undo;
        coefficients[i] = v;
        if (!Number.isFinite(v)) finite = false;
      }
    }
    if (!finite || unsettled.includes(row)) badRows.push(row);
  }
  return {
    rows, order, outputShape, coefficients,
    scales: log2Scales.map((l) => 2 ** l),
    passes, converged: badRows.length === 0, badRows,
  };
}

async function runPass(engine: Engine, program: JetProgram, request: JetRequest, rows: number, inputSize: number,
  log2Scales: Float64Array): Promise<{ data: Float32Array; shape: readonly number[] }> {
  const { order } = request;
  const data = new Float32Array(rows * (order + 1) * inputSize);
  for (let row = 0; row < rows; row++) {
    const s = 2 ** log2Scales[row]!;
    const base = row * (order + 1) * inputSize;
    for (let i = 0; i < inputSize; i++) {
      data[base + i] = request.points[row * inputSize + i]!;
      if (order >= 1) data[base + inputSize + i] = s * request.directions[row * inputSize + i]!;
    }
  }
  const input = Jet.fromArray(engine, data, rows, order, request.inputShape);
  const output = program(input);
  const result = await output.read();
  const shape = output.shape;
  output.release();
  input.release();
  return { data: result, shape };
}

/**
 * The change of log₂ s that centres a row's scaled magnitudes, or 0 when they already sit
 * inside ±SAFE_BITS. Orders whose coefficients are exactly zero carry no information (they are
 * zero at any scale unless they underflowed, and an underflow leaves its neighbours below −SAFE_BITS).
 */
export function recentre(scaled: Float32Array, row: number, order: number, outputs: number): number {
  const logs: [number, number][] = [];
  let overflow = false;
  for (let k = 1; k <= order; k++) {
    let sum = 0;
    for (let o = 0; o < outputs; o++) {
      const v = scaled[(row * (order + 1) + k) * outputs + o]!;
      sum += v * v;
    }
    if (!Number.isFinite(sum)) overflow = true;
    else if (sum > 0) logs.push([k, 0.5 * Math.log2(sum)]);
  }
  if (overflow) {
    // Some coefficient overflowed (in the output or inside the pass): shrink hard, but by no
    // more than keeps the orders that are visible inside the range.
    return -Math.max(1, Math.ceil(96 / order));
  }
  if (logs.every(([, a]) => Math.abs(a) <= SAFE_BITS)) return 0;
  // Minimise max_k |a_k + k·Δ| over Δ: convex and piecewise linear, so a ternary search is exact enough.
  let lo = -256;
  let hi = 256;
  const worst = (d: number) => Math.max(...logs.map(([k, a]) => Math.abs(a + k * d)));
  for (let i = 0; i < 100; i++) {
    const m1 = lo + (hi - lo) / 3;
    const m2 = hi - (hi - lo) / 3;
    if (worst(m1) <= worst(m2)) hi = m2;
    else lo = m1;
  }
  const shift = Math.round((lo + hi) / 2);
  return shift;
}
