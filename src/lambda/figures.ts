// The plots of `jetcurve radius` and `jetcurve lambda`: the measured growth against n with the
// fitted line over the fit window. Exponential growth is a straight line.
import type { NetworkLambda } from './network.js';
import { svgPlot, type PlotSeries } from '../plot/svg.js';
import type { RadiusEstimate } from './taylor.js';

const BLUE = '#1f5fbf';
const RED = '#d62728';
const GREY = '#7f7f7f';

/** log|cₙ| against n (zeros left out), with the fitted envelope a − n·log R + κ·log n. */
export function radiusFigure(coefficients: ArrayLike<number>, e: RadiusEstimate, title: string): string {
  const K = coefficients.length - 1;
  const points = Array.from({ length: K + 1 }, (_, n) => [n, Math.log(Math.abs(coefficients[n]!))] as const);
  const series: PlotSeries[] = [{ label: 'log|cₙ|, cₙ = f⁽ⁿ⁾/n!', points, kind: 'markers', color: BLUE }];
  if (e.method === 'entire') {
    // A straight line through two early orders, extended: the data bend ever further below it.
    const nonZero = (n: number, step: number) => { while (coefficients[n] === 0 && n > 0 && n < K) n += step; return n; };
    const [a, b] = [nonZero(2, 1), nonZero(Math.round(K / 3), -1)];
    const ya = Math.log(Math.abs(coefficients[a]!));
    const slope = (Math.log(Math.abs(coefficients[b]!)) - ya) / (b - a);
    if (Number.isFinite(slope)) {
      series.push({ label: `straight line through n = ${a} and ${b}: the data fall below it`, kind: 'line', color: RED, dashed: true,
        points: [[a, ya], [K, ya + slope * (K - a)]] });
    }
  } else {
    const { intercept, slope, kappa } = e.line;
    const line = Array.from({ length: 4 * K + 1 }, (_, i) => 1 + (i * (K - 1)) / (4 * K))
      .map((n) => [n, intercept + slope * n + kappa * Math.log(n)] as const);
    series.push({ label: `fit: slope −log R = ${slope.toFixed(4)}${kappa ? `, κ = ${kappa.toFixed(2)}` : ''}`, points: line, kind: 'line', color: RED, dashed: true });
  }
  const r = e.method === 'entire' ? 'R = ∞ (entire: the slope keeps falling)' : `R = ${e.radius.toPrecision(6)}, λ = −log R = ${e.lambda.toFixed(4)}`;
  return svgPlot({
    title, subtitle: `${r}; ${e.method} fit over n = ${e.window[0]}..${e.window[1]}`,
    xLabel: 'order n', yLabel: 'log|cₙ|', series, shade: { from: e.window[0], to: e.window[1], label: 'fit window' },
  });
}

/** log‖Dⁿq‖ against n: the estimator's pooled level (markers), the fitted line, and each kept point's curve (faint). */
export function lambdaFigure(result: NetworkLambda, title: string): string {
  const perPoint = result.pointLambdas.map((p) => p.logNorms);
  const K = result.logNorms.length - 1;
  const pooled = result.logNorms.map((y, n) => [n, y] as const).slice(1);
  const { from, to } = result.orders;
  const series: PlotSeries[] = perPoint.slice(0, 40).map((curve, i) => ({
    label: i === 0 ? `per point (${Math.min(perPoint.length, 40)} of ${perPoint.length})` : '',
    points: curve.map((y, n) => [n, y] as const).slice(1), kind: 'line', color: GREY, faint: true,
  }));
  const level = result.estimator === 'rms' ? 'log‖Dⁿq‖, RMS over points and directions'
    : `mean over (point, direction) of log max(|Dⁿq|, 1e-12)${result.estimator === 'paper' ? '' : ' (shown; λ is the mean log ratio)'}`;
  series.push({ label: level, points: pooled, kind: 'markers', color: BLUE });
  series.push({
    label: `${result.method}: slope λ = ${result.lambda.toFixed(3)}, R² = ${result.r2.toFixed(4)}`,
    points: [1, K].map((n) => [n, result.intercept + result.lambda * n] as const), kind: 'line', color: RED, dashed: true,
  });
  return svgPlot({
    title, subtitle: `λ = ${result.lambda.toFixed(3)} (${result.estimator} estimator, ${result.quantity}); per point ${result.perPoint.mean.toFixed(3)} ± ${result.perPoint.std.toFixed(3)}, ${result.points.kept} points`,
    xLabel: 'order n', yLabel: 'log‖Dⁿq‖  (Dⁿq = n!·cₙ)', series, shade: { from, to, label: `fit orders ${from}..${to}` },
  });
}
