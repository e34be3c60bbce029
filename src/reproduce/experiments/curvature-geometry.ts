// Geometry checks of the scalar curvature of a graph (Pouplin et al. 2023, Figure 5: the sphere
// is positive everywhere, the hyperboloid negative): surfaces whose K is known exactly, through
// the same jets-to-K path as a loss landscape (src/curvature/graph-surface.ts).
//   The hemisphere of radius r in ℝⁿ⁺¹, x ↦ √(r² − ‖x‖²): every point has K = n(n − 1)/r².
//   The saddle (x, y) ↦ x² − y²: K = 2·K_Gauss = 2·(2·(−2) − 0)/(1 + 4x² + 4y²)² = −8/(1 + 4x² + 4y²)².
import { graphCurvature } from '../../curvature/graph-surface.js';
import { Random } from '../../util/random.js';
import { paperValue } from '../paper.js';
import { COMPARISON_HEADER, heading, noteRow, paragraph, table, type Block } from '../report.js';
import type { Experiment, Plan, ScaleName, UnitContext } from '../types.js';

/** Relative to max(1, |K|): K = n(n − 1) grows with n, and f32 jets give ~1e-6 of it. */
export const GEOMETRY_TOLERANCE = 1e-4;

interface Surface {
  readonly key: string;
  readonly label: string;
  readonly dimension: number;
  readonly expression: string;
  readonly exact: (x: ArrayLike<number>) => number;
  readonly exactText: string;
  readonly points: Float64Array;
}

/** `count` points of ℝⁿ at the given norms (cycled), directions seeded; the origin first. */
function pointsAtNorms(n: number, count: number, norms: readonly number[], seed: number): Float64Array {
  const random = new Random(seed);
  const out = new Float64Array(count * n);
  for (let p = 1; p < count; p++) {
    const d = random.unitVector(n);
    const r = norms[(p - 1) % norms.length]!;
    for (let i = 0; i < n; i++) out[p * n + i] = r * d[i]!;
  }
  return out;
}

function hemisphere(n: number, radius: number, count: number): Surface {
  const terms = Array.from({ length: n }, (_, i) => `x${i + 1}^2`).join(' - ');
  const k = n * (n - 1) / radius ** 2;
  return {
    key: `hemisphere-n${n}-r${radius}`, label: `hemisphere, n = ${n}, radius ${radius}`, dimension: n,
    expression: `sqrt(${radius ** 2} - ${terms})`,
    exact: () => k, exactText: `n(n − 1)/r² = ${k}`,
    // Up to 80% of the radius: nearer the rim the slope grows without bound and f32 loses digits.
    points: pointsAtNorms(n, count, [0.2, 0.5, 0.8].map((t) => t * radius), 100 + n),
  };
}

function saddle(count: number): Surface {
  const random = new Random(7);
  return {
    key: 'saddle', label: 'saddle x² − y²', dimension: 2, expression: 'x1^2 - x2^2',
    exact: (x) => -8 / (1 + 4 * x[0]! ** 2 + 4 * x[1]! ** 2) ** 2, exactText: '−8/(1 + 4x² + 4y²)²',
    points: Float64Array.from({ length: 2 * count }, (_, i) => (i < 2 ? 0 : random.between(-1.5, 1.5))),
  };
}

const POINTS: Record<ScaleName, number> = { smoke: 7, quick: 25, paper: 100 };

function surfaces(scale: ScaleName): Surface[] {
  const count = POINTS[scale];
  return [...[1, 2, 3, 5, 8].map((n) => hemisphere(n, 1, count)), hemisphere(3, 2, count), saddle(count)];
}

interface Result {
  readonly points: number;
  /** Row-major [point][dimension]. */
  readonly at: number[];
  readonly curvature: number[];
  readonly exact: number[];
  readonly trace: number[];
}

async function measure(ctx: UnitContext, s: Surface): Promise<Result> {
  const g = await graphCurvature(ctx.engine, s.expression, s.dimension, s.points);
  const exact = Array.from({ length: g.points }, (_, p) => s.exact(s.points.subarray(p * s.dimension, (p + 1) * s.dimension)));
  return { points: g.points, at: Array.from(s.points), curvature: Array.from(g.curvatures), exact, trace: Array.from(g.traces) };
}

const sci = (x: number): string => (Number.isFinite(x) ? x.toExponential(2) : 'n/a');

function plan(scale: ScaleName): Plan {
  const all = surfaces(scale);
  return {
    settings: {
      surfaces: all.map((s) => `${s.label}: ${s.expression}`).join('; '),
      points: `${POINTS[scale]} per surface; hemispheres: the origin and seeded random directions at 20%, 50% and 80% of the radius; saddle: the origin and seeded uniform points in [−1.5, 1.5]²`,
      method: 'order-2 jets of the expression along eᵢ and eᵢ + eⱼ (polarization) give ∇f and H; K by Gegenfurtner Thm 2.1',
      tolerance: `${GEOMETRY_TOLERANCE} relative to max(1, |K|)`,
    },
    units: all.map((s) => ({ key: s.key, run: (ctx: UnitContext) => measure(ctx, s) })),
    report: (stored) => report(all, stored),
  };
}

function report(all: readonly Surface[], stored: ReadonlyMap<string, unknown>): Block[] {
  const done = all.flatMap((s) => {
    const r = stored.get(s.key) as Result | undefined;
    return r ? [{ s, r }] : [];
  });
  const errors = done.map(({ s, r }) => {
    const rel = r.curvature.map((k, p) => Math.abs(k - r.exact[p]!) / Math.max(1, Math.abs(r.exact[p]!)));
    const abs = r.curvature.map((k, p) => Math.abs(k - r.exact[p]!));
    return { s, r, rel: Math.max(...rel), abs: Math.max(...abs) };
  });
  const worst = errors.reduce((m, e) => Math.max(m, e.rel), 0);
  const failing = errors.filter((e) => !(e.rel <= GEOMETRY_TOLERANCE));
  const range = (xs: readonly number[]) => `${Math.min(...xs).toPrecision(6)} to ${Math.max(...xs).toPrecision(6)}`;
  const rows = errors.map(({ s, r, rel, abs }) => [s.label, s.exactText, String(r.points), range(r.curvature), sci(abs), sci(rel), rel <= GEOMETRY_TOLERANCE ? 'yes' : 'NO']);
  const signs = errors.map(({ s, r }) => ({ s, positive: r.curvature.every((k) => k > 0), negative: r.curvature.every((k) => k < 0), zero: r.curvature.every((k) => Math.abs(k) <= GEOMETRY_TOLERANCE) }));
  const sphereSigns = signs.filter((x) => x.s.key.startsWith('hemisphere') && x.s.dimension > 1);
  const saddleSign = signs.find((x) => x.s.key === 'saddle');
  const curve = signs.find((x) => x.s.dimension === 1);
  const curveText = curve ? ` The graph of √(1 − x²) (n = 1) is a curve, with no intrinsic curvature: its K ${curve.zero ? 'is 0 at every point' : 'is NOT 0 everywhere'}.` : '';
  return [
    heading('Results'),
    paragraph(done.length === 0 ? 'No surface measured yet.'
      : `Over ${done.length} surfaces and ${done.reduce((a, d) => a + d.r.points, 0)} points, the largest error of K from the engine's jets is ${sci(worst)} relative to max(1, |K|): ${failing.length === 0 ? `every surface within ${GEOMETRY_TOLERANCE}` : `NOT within ${GEOMETRY_TOLERANCE} on ${failing.map((e) => e.s.label).join(', ')}`}.${curveText}`),
    table(['surface', 'exact K', 'points', 'K, ours (least to largest)', 'max |error|', 'max |error| / max(1, |K|)', `within ${GEOMETRY_TOLERANCE}`], rows),
    heading('Beside the paper'),
    table([...COMPARISON_HEADER], [
      noteRow(paperValue('curvature-geometry', 'sphere'), sphereSigns.length ? `${sphereSigns.filter((x) => x.positive).length} of ${sphereSigns.length} hemispheres (n ≥ 2) positive at every point` : 'not measured yet', 'the paper\'s maps are normalized to [−1, 1]: only the sign compares'),
      noteRow(paperValue('curvature-geometry', 'hyperboloid'), saddleSign ? `the saddle x² − y² is ${saddleSign.negative ? 'negative at every point' : 'NOT negative at every point'}` : 'not measured yet', 'the paper shows a hyperboloid; the saddle x² − y² is a hyperbolic paraboloid, negative everywhere like it'),
    ], 'Neither curvature paper prints a number for these surfaces; the exact values are the textbook ones.'),
  ];
}

export const curvatureGeometry: Experiment = {
  name: 'curvature-geometry',
  title: 'Geometry checks of the scalar curvature: hemispheres and a saddle',
  about: 'Pouplin et al. 2023 (Figure 5, appendix) show the scalar curvature of a sphere (positive everywhere) and a hyperboloid (negative everywhere), normalized to [−1, 1]. Here surfaces with known scalar curvature go through the same path as a loss landscape: the hemisphere of radius r in ℝⁿ⁺¹ as the graph of √(r² − ‖x‖²) has K = n(n − 1)/r² at every point, the saddle x² − y² has K = −8/(1 + 4x² + 4y²)².',
  plan,
};
