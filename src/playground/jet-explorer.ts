// The jet explorer: an expression and a point → its Taylor coefficients to order 60 on the GPU,
// log|cₙ| against n, the radius of convergence R and λ = −log R with the fit (what
// `jetcurve radius` prints). A bad expression or point is a message, never an exception.
import { compileExpression } from '../expr/expression.js';
import type { Engine } from '../gpu/engine.js';
import { radiusFigure } from '../lambda/figures.js';
import { estimateRadius, type RadiusEstimate } from '../lambda/taylor.js';
import { JetcurveError } from '../errors.js';

export const EXPLORER_ORDER = 60;

export interface Explored {
  readonly coefficients: Float64Array;
  readonly estimate: RadiusEstimate;
  readonly figure: string;
  readonly summary: string;
}

function numbers(text: string, what: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const values = parts.map(Number);
  if (parts.some((p) => p === '') || values.some((v) => !Number.isFinite(v))) {
    throw new JetcurveError(`the ${what} '${text}' is not a list of numbers`, `write it comma-separated, e.g. ${what === 'point' ? '0.5 or 0.5,1' : '1 or 1,0'}`);
  }
  return values;
}

export async function explore(engine: Engine, source: string, pointText: string, directionText: string): Promise<Explored> {
  const at = numbers(pointText, 'point');
  const expression = compileExpression(source, { dimension: at.length });
  const dir = directionText.trim() === '' ? (at.length === 1 ? [1] : null) : numbers(directionText, 'direction');
  if (!dir || dir.length !== at.length) {
    throw new JetcurveError(`the point has ${at.length} coordinates: the direction needs as many`, `give a direction such as ${['1', ...new Array<string>(at.length - 1).fill('0')].join(',')}`);
  }
  const r = await expression.jets(engine, { points: [at], directions: [dir], order: EXPLORER_ORDER });
  const estimate = estimateRadius(r.coefficients);
  const summary = estimate.method === 'entire'
    ? 'R = ∞: the coefficients fall faster than any exponential (an entire function); λ = −log R = −∞'
    : `R = ${estimate.radius.toPrecision(6)}   λ = −log R = ${estimate.lambda.toFixed(5)}   (${estimate.method} fit over n = ${estimate.window[0]}..${estimate.window[1]}, κ = ${estimate.kappa.toFixed(2)})`;
  return { coefficients: r.coefficients, estimate, figure: radiusFigure(r.coefficients, estimate, `${source} at x = ${at.join(', ')}`), summary };
}
