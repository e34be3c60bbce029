// The curvature figures as SVG, through the repository's one plotter (every call here, so that
// a move of the plotter changes one import).
import { svgPlot } from '../plot/svg.js';
import type { SpectralDensity } from './slq.js';
import type { RankResult } from './svd.js';

/** The spectral density, log₁₀ scale by default (the bulk near 0 and the outliers both show). */
export function spectralDensityPlot(d: SpectralDensity, title = 'Hessian eigenvalue density (stochastic Lanczos quadrature)', scale: 'log' | 'linear' = 'log'): string {
  const floor = 1e-8;
  const y = (v: number) => (scale === 'log' ? Math.log10(Math.max(v, floor)) : v);
  return svgPlot({
    title,
    subtitle: `${d.rules.length} probes × ${d.rules[0]?.nodes.length ?? 0} Lanczos steps, Gaussian broadening σ = ${d.sigma.toPrecision(3)}`,
    xLabel: 'eigenvalue',
    yLabel: scale === 'log' ? 'log₁₀ density' : 'density',
    series: [{ label: 'density', kind: 'line', color: '#1f5fa8', points: Array.from(d.grid, (t, i) => [t, y(d.density[i]!)] as const) }],
  });
}

/** Singular values of J_Z on a log scale, with the rank threshold; the functional rank in the subtitle. */
export function singularValuePlot(r: RankResult, title = 'Singular values of the Jacobian J_Z', bound?: { readonly label: string; readonly value: number }): string {
  const floor = Math.max(r.tolerance * 1e-4, Number.MIN_VALUE);
  const points = Array.from(r.singularValues, (s, i) => [i + 1, Math.log10(Math.max(s, floor))] as const);
  const n = r.singularValues.length;
  return svgPlot({
    title,
    subtitle: `batch functional rank ${r.rank} of ${n}${bound ? `; ${bound.label} ${bound.value}` : ''}; threshold σ_max·max(m, n)·ε = ${r.tolerance.toPrecision(3)}`,
    xLabel: 'index i',
    yLabel: 'log₁₀ σ_i',
    series: [
      { label: 'σ_i', kind: 'markers', color: '#1f5fa8', points },
      { label: 'rank threshold', kind: 'line', color: '#c0392b', dashed: true, points: [[1, Math.log10(Math.max(r.tolerance, floor))], [Math.max(n, 2), Math.log10(Math.max(r.tolerance, floor))]] },
    ],
    shade: bound && bound.value < n ? { from: bound.value + 0.5, to: n + 0.5, label: 'beyond the bound' } : undefined,
  });
}
