import wgsl from '../shaders/jet-order.wgsl';
import { JetcurveError } from '../src/errors.js';
import { Jet } from '../src/jet/jet.js';
import { checkOrder } from '../src/jet/layout.js';

const changeOrderSource = { name: 'jet-order', wgsl, entryPoint: 'change_order' } as const;

/** x's coefficients 0..min(order, x.order) as a jet of order `order`, zeros above x.order: a new jet. */
function changeOrder(x: Jet, order: number): Jet {
  const y = Jet.empty(x.engine, x.rows, order, x.shape);
  x.engine.dispatch(changeOrderSource, { x: x.buffer, y: y.buffer }, { rows: x.rows, in_order: x.order, out_order: order, features: x.features }, y.length);
  return y;
}

/** x (order d) as a jet of order `order` ≥ d whose coefficients above d are zero: a new jet. */
export function raiseOrder(x: Jet, order: number): Jet {
  checkOrder(order);
  if (order < x.order) throw new JetcurveError(`raiseOrder: order ${order} is below the jet's order ${x.order}`, 'truncate with truncateOrder instead');
  return changeOrder(x, order);
}

/** The coefficients 0..order of x, a new jet (raiseOrder's reverse mode). */
export function truncateOrder(x: Jet, order: number): Jet {
  checkOrder(order);
  if (order > x.order) throw new JetcurveError(`truncateOrder: order ${order} is above the jet's order ${x.order}`, 'raise with raiseOrder instead');
  return changeOrder(x, order);
}
