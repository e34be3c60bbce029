// Test error and λ per epoch of the two runs, drawn by the project's own SVG plotter
// (src/plot/svg.ts; README "Playground" says why no charting library).
import { PAPER_BAND } from '../lambda/estimators.js';
import { svgPlot, type PlotSeries } from '../plot/svg.js';
import type { EpochRecord } from '../train/run-folder.js';

export const RUN_COLOURS = ['#1f5fbf', '#d62728'] as const;

export interface ChartRun {
  readonly label: string;
  readonly records: readonly EpochRecord[];
}

function series(runs: readonly ChartRun[], value: (r: EpochRecord) => number | null): PlotSeries[] {
  return runs.flatMap((run, i) => {
    const points = run.records.map((r) => [r.epoch, value(r) ?? NaN] as const);
    return [
      { label: run.label, points, kind: 'line', color: RUN_COLOURS[i]! } as const,
      { label: '', points, kind: 'markers', color: RUN_COLOURS[i]! } as const,
    ];
  });
}

export function errorChart(runs: readonly ChartRun[]): string {
  return svgPlot({ title: 'Test error', xLabel: 'epoch', yLabel: 'test error (%)', series: series(runs, (r) => 100 * r.testError) });
}

export function lambdaChart(runs: readonly ChartRun[]): string {
  const [lo, hi] = PAPER_BAND;
  return svgPlot({ title: 'λ near the boundary', subtitle: `paper estimator, orders 1–4, test points with largest probability in ${lo}–${hi}`, xLabel: 'epoch', yLabel: 'λ',
    series: series(runs, (r) => r.lambda?.value ?? null) });
}
