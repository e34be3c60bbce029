// compileExpression: text -> a tree, a JetProgram on inputs [d], and jets at points.
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { evaluateJets, type JetProgram, type JetResult } from '../jet/evaluate-jets.js';
import { flattenRows, matchDirections, type Rows } from '../jet/rows.js';
import { maxVariable, type Expr } from './ast.js';
import { compileToProgram } from './compile.js';
import { parseExpression } from './parser.js';

export interface ExpressionOptions {
  /** Number of coordinates d of the input; defaults to the largest xi the expression uses (at least 1). */
  readonly dimension?: number;
}

export interface ExpressionJetRequest {
  readonly points: Rows;
  readonly directions: Rows;
  readonly order: number;
  readonly scale?: 'auto' | number;
}

export interface Expression {
  readonly source: string;
  readonly tree: Expr;
  /** Input shape is [dimension]; output shape [1]. */
  readonly dimension: number;
  readonly program: JetProgram;
  /** Jets at points along directions: coefficients [point][k][1] in f64. */
  jets(engine: Engine, request: ExpressionJetRequest): Promise<JetResult>;
}

export function compileExpression(source: string, options: ExpressionOptions = {}): Expression {
  const tree = parseExpression(source);
  const used = maxVariable(tree);
  const dimension = options.dimension ?? Math.max(1, used);
  if (!Number.isInteger(dimension) || dimension < 1) {
    throw new JetcurveError(`dimension ${dimension} is not a positive integer`, 'give the number of coordinates of the input');
  }
  if (used > dimension) {
    throw new JetcurveError(`the expression uses x${used} but the input has ${dimension} coordinate${dimension > 1 ? 's' : ''}`,
      `give points with at least ${used} coordinates`);
  }
  const program = compileToProgram(tree, dimension);
  return {
    source, tree, dimension, program,
    jets(engine, request) {
      const points = flattenRows(request.points, dimension, 'point');
      const directions = matchDirections(points, flattenRows(request.directions, dimension, 'direction'), dimension);
      return evaluateJets(engine, program, {
        points, directions, inputShape: [dimension], order: request.order,
        ...(request.scale !== undefined ? { scale: request.scale } : {}),
      });
    },
  };
}
