// A pre-flight check of a Hessian-vector product before any estimate is trusted: the silent
// failures of HVP code (an accumulator not cleared between calls, a batch whose vectors leak into
// each other, a missing symmetrization or a wrong transpose) all break one of four identities
// that a correct H·v satisfies exactly, up to rounding:
//   symmetry       uᵀ(Hv) = vᵀ(Hu)
//   linearity      H(au + bv) = a·Hu + b·Hv
//   repeatability  the same v twice gives the same H·v (no state kept between calls)
//   batching       H·v in a batch equals H·v alone
// Each is reported as a relative error; 7 products in 5 calls.
import { Random } from '../util/random.js';
import type { SymmetricOperator } from './operator.js';
import { dot, norm } from './vector.js';

export interface OperatorCheck {
  readonly symmetry: number;
  readonly linearity: number;
  readonly repeatability: number;
  readonly batching: number;
  /** Every error ≤ tolerance. */
  readonly ok: boolean;
}

/** `tolerance`: the largest relative error accepted (default 1e-10 for float64; ~1e-4 suits f32). */
export async function checkOperator(op: SymmetricOperator, options: { readonly seed?: number; readonly tolerance?: number } = {}): Promise<OperatorCheck> {
  const { seed = 0, tolerance = 1e-10 } = options;
  const random = new Random(seed);
  const u = random.normals(op.size);
  const v = random.normals(op.size);
  const [a, b] = [random.normal(), random.normal()];
  const mix = u.map((x, i) => a * x + b * v[i]!);
  const [hu, hv, hmix] = await op.apply([u, v, mix]);
  const [huAlone] = await op.apply([u]);
  const [hvAlone] = await op.apply([v]);
  const [hvAgain] = await op.apply([v]);
  const [hmixAlone] = await op.apply([mix]);
  const relative = (x: Float64Array, y: Float64Array) => norm(x.map((t, i) => t - y[i]!)) / Math.max(norm(y), Number.MIN_VALUE);
  const scale = Math.max(norm(hu!) * norm(v), norm(hv!) * norm(u), Number.MIN_VALUE);
  const combined = hu!.map((t, i) => a * t + b * hv![i]!);
  const symmetry = Math.abs(dot(u, hv!) - dot(v, hu!)) / scale;
  const linearity = norm(hmix!.map((t, i) => t - combined[i]!)) / Math.max(Math.abs(a) * norm(hu!) + Math.abs(b) * norm(hv!), Number.MIN_VALUE);
  const repeatability = relative(hvAgain!, hvAlone!);
  const batching = Math.max(relative(hu!, huAlone!), relative(hv!, hvAlone!), relative(hmix!, hmixAlone!));
  return { symmetry, linearity, repeatability, batching, ok: Math.max(symmetry, linearity, repeatability, batching) <= tolerance };
}
