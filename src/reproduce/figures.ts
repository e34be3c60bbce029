// Figures of the reports, all drawn by svgPlot (src/plot/svg.ts): means with 95% bands over
// seeds, means with ±std error bars, scatter plots with a least-squares line.
import { svgPlot, type PlotSeries, type PlotSpec } from '../plot/svg.js';
import { percentileInterval } from './resample.js';
import { linearFit, summarize } from './stats.js';

export const COLORS = ['#1f5fbf', '#e07b00', '#2ca02c', '#d62728', '#7b4fb0', '#8c564b', '#e377c2'] as const;
export const color = (i: number): string => COLORS[i % COLORS.length]!;

export { svgPlot, type PlotSeries, type PlotSpec };

/** The mean over seeds at each x as a line, with its 95% CI (t interval) as a shaded band. */
export function meanWithBand(label: string, colour: string, xs: readonly number[], values: readonly (readonly number[])[], dashed = false): PlotSeries {
  const s = values.map((v) => summarize(v));
  return {
    label, kind: 'line', color: colour, dashed,
    points: xs.map((x, i) => [x, s[i]!.mean] as const),
    band: xs.map((x, i) => [x, s[i]!.n > 1 ? s[i]!.ci95[0] : s[i]!.mean, s[i]!.n > 1 ? s[i]!.ci95[1] : s[i]!.mean] as const),
  };
}

/** The mean over seeds at each x as a line, with the 2.5th–97.5th percentiles of the seeds' values as a band (Figure 1's bands). */
export function meanWithPercentiles(label: string, colour: string, xs: readonly number[], values: readonly (readonly number[])[], dashed = false): PlotSeries {
  const s = values.map((v) => summarize(v));
  const bands = values.map((v) => percentileInterval(v));
  return {
    label, kind: 'line', color: colour, dashed,
    points: xs.map((x, i) => [x, s[i]!.mean] as const),
    band: xs.map((x, i) => [x, s[i]!.n > 1 ? bands[i]![0] : s[i]!.mean, s[i]!.n > 1 ? bands[i]![1] : s[i]!.mean] as const),
  };
}

/** The mean over seeds at each x as a marker, with mean ± std as an error bar. */
export function meanWithErrorBars(label: string, colour: string, xs: readonly number[], values: readonly (readonly number[])[]): PlotSeries {
  const s = values.map((v) => summarize(v));
  return {
    label, kind: 'markers', color: colour,
    points: xs.map((x, i) => [x, s[i]!.mean] as const),
    errorBars: s.map((q) => [q.mean - q.std, q.mean + q.std] as const),
  };
}

/** Points (x, y) and their least-squares line. */
export function scatterWithFit(label: string, colour: string, x: readonly number[], y: readonly number[]): PlotSeries[] {
  const pts = x.map((v, i) => [v, y[i]!] as const).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const out: PlotSeries[] = [{ label, kind: 'markers', color: colour, points: pts }];
  if (pts.length >= 3) {
    const fit = linearFit(pts.map((p) => p[0]), pts.map((p) => p[1]));
    const lo = Math.min(...pts.map((p) => p[0]));
    const hi = Math.max(...pts.map((p) => p[0]));
    if (Number.isFinite(fit.slope)) out.push({ label: `least squares, slope ${fit.slope.toPrecision(3)}`, kind: 'line', color: colour, dashed: true, points: [[lo, fit.intercept + fit.slope * lo], [hi, fit.intercept + fit.slope * hi]] });
  }
  return out;
}

/** A horizontal reference line (e.g. the paper's value) across [x0, x1]. */
export function reference(label: string, colour: string, y: number, x0: number, x1: number): PlotSeries {
  return { label, kind: 'line', color: colour, dashed: true, faint: true, points: [[x0, y], [x1, y]] };
}
