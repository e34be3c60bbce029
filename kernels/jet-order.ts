import wgsl from '../shaders/jet-order.wgsl';
import { JetcurveError } from '../src/errors.js';
import { Jet } from '../src/jet/jet.js';
import { checkOrder } from '../src/jet/layout.js';

export const raiseOrderSource = { name: 'jet-order', wgsl, entryPoint: 'raise_order' } as const;
export const truncateOrderSource = { name: 'jet-order', wgsl, entryPoint: 'truncate_order' } as const;

/** x (order d) as a jet of order `order` ≥ d whose coefficients above d are zero: a new jet. */
export function raiseOrder(x: Jet, order: number): Jet {
  checkOrder(order);
  if (order < x.order) throw new JetcurveError(`raiseOrder: order ${order} is below the jet's order ${x.order}`, 'truncate with truncateOrder instead');
  const y = Jet.empty(x.engine, x.rows, order, x.shape);
  x.engine.dispatch(raiseOrderSource, { x: x.buffer, y: y.buffer },
    { rows: x.rows, low: x.order, high: order, features: x.features }, y.length);
  return y;
}

/** The coefficients 0..order of x, a new jet (raiseOrder's reverse mode). */
export function truncateOrder(x: Jet, order: number): Jet {
  checkOrder(order);
  if (order > x.order) throw new JetcurveError(`truncateOrder: order ${order} is above the jet's order ${x.order}`, 'raise with raiseOrder instead');
  const y = Jet.empty(x.engine, x.rows, order, x.shape);
  x.engine.dispatch(truncateOrderSource, { x: x.buffer, y: y.buffer },
    { rows: x.rows, low: order, high: x.order, features: x.features }, y.length);
  return y;
}
