// Pouplin et al.'s analytic surface (Example 3.1), f(u, v) = e^{−cu}·sin u·sin v, in float64:
// its derivatives derived by hand, the trace and scalar curvature of its graph in closed form,
// and the two formulas as printed in the paper, kept to show where they differ.
//
// By hand (product rule; E = e^{−cu}, so E' = −c·E):
//   f_u  = E·(cos u − c·sin u)·sin v          f_v  = E·sin u·cos v
//   f_uu = E·((c² − 1)·sin u − 2c·cos u)·sin v
//   f_vv = −E·sin u·sin v = −f                 f_uv = E·(cos u − c·sin u)·cos v
//   tr H = E·((c² − 2)·sin u − 2c·cos u)·sin v
// For a surface the scalar curvature is twice the Gaussian curvature,
//   S = 2·(f_uu·f_vv − f_uv²)/(1 + f_u² + f_v²)²,
// and with the double-angle identities the numerator's bracket reduces to
//   f_uu·f_vv − f_uv² = ½·E²·((c² − 1)·cos 2u − cos 2v − c·(c − 2·sin 2u)),
// which, multiplied through by e^{4cu}, is
//   S = e^{2cu}·((c² − 1)·cos 2u − cos 2v − c·(c − 2·sin 2u)) / (e^{2cu} + sin²u·cos²v + (cos u − c·sin u)²·sin²v)².

export const POUPLIN_C = 0.1;

/** The expression the engine compiles (x1 = u, x2 = v). */
export const pouplinExpression = (c: number): string => `exp(${-c}*x1)*sin(x1)*sin(x2)`;

export const pouplinF = (u: number, v: number, c: number): number => Math.exp(-c * u) * Math.sin(u) * Math.sin(v);

export interface SurfaceDerivatives {
  readonly fu: number;
  readonly fv: number;
  readonly fuu: number;
  readonly fvv: number;
  readonly fuv: number;
}

export function pouplinDerivatives(u: number, v: number, c: number): SurfaceDerivatives {
  const e = Math.exp(-c * u);
  const [su, cu, sv, cv] = [Math.sin(u), Math.cos(u), Math.sin(v), Math.cos(v)];
  return {
    fu: e * (cu - c * su) * sv,
    fv: e * su * cv,
    fuu: e * ((c * c - 1) * su - 2 * c * cu) * sv,
    fvv: -e * su * sv,
    fuv: e * (cu - c * su) * cv,
  };
}

/** tr H in closed form. */
export const pouplinTrace = (u: number, v: number, c: number): number =>
  Math.exp(-c * u) * ((c * c - 2) * Math.sin(u) - 2 * c * Math.cos(u)) * Math.sin(v);

/** S = 2·(Gaussian curvature) from the derivatives: the graph-surface identity. */
export function graphScalarCurvature2d(d: SurfaceDerivatives): number {
  return 2 * (d.fuu * d.fvv - d.fuv * d.fuv) / (1 + d.fu * d.fu + d.fv * d.fv) ** 2;
}

/** S in the simplified closed form above (the paper's shape, corrected). */
export function pouplinScalarCurvature(u: number, v: number, c: number): number {
  const e2 = Math.exp(2 * c * u);
  const numerator = (c * c - 1) * Math.cos(2 * u) - Math.cos(2 * v) - c * (c - 2 * Math.sin(2 * u));
  const denominator = e2 + Math.sin(u) ** 2 * Math.cos(v) ** 2 + (Math.cos(u) - c * Math.sin(u)) ** 2 * Math.sin(v) ** 2;
  return e2 * numerator / denominator ** 2;
}

/**
 * tr H as printed in Example 3.1, which has "−2u cos(u)" where the derivation gives −2c·cos u;
 * `repaired` puts c in place of that u and nothing else.
 */
export const printedTrace = (u: number, v: number, c: number, repaired = false): number =>
  Math.exp(-c * u) * (-2 * (repaired ? c : u) * Math.cos(u) + (c * c - 2) * Math.sin(u)) * Math.sin(v);

/**
 * S as printed in Example 3.1 (our copy): no e^{2cu} above, no squares on cos v and on
 * (cos u − c sin u), no square on the denominator; `repaired` restores exactly those four.
 */
export function printedScalarCurvature(u: number, v: number, c: number, repaired = false): number {
  const numerator = (c * c - 1) * Math.cos(2 * u) - Math.cos(2 * v) - c * (c - 2 * Math.sin(2 * u));
  const power = repaired ? 2 : 1;
  const denominator = Math.exp(2 * c * u) + Math.cos(v) ** power * Math.sin(u) ** 2 + (Math.cos(u) - c * Math.sin(u)) ** power * Math.sin(v) ** 2;
  return (repaired ? Math.exp(2 * c * u) : 1) * numerator / denominator ** power;
}

/** Second derivatives by central differences of f in float64 (step h): an oracle independent of the hand derivation. */
export function centralDifferences(u: number, v: number, c: number, h = 1e-4): SurfaceDerivatives {
  const f = (a: number, b: number) => pouplinF(a, b, c);
  return {
    fu: (f(u + h, v) - f(u - h, v)) / (2 * h),
    fv: (f(u, v + h) - f(u, v - h)) / (2 * h),
    fuu: (f(u + h, v) - 2 * f(u, v) + f(u - h, v)) / (h * h),
    fvv: (f(u, v + h) - 2 * f(u, v) + f(u, v - h)) / (h * h),
    fuv: (f(u + h, v + h) - f(u + h, v - h) - f(u - h, v + h) + f(u - h, v - h)) / (4 * h * h),
  };
}
