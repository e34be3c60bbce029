// A heat map of values on a regular grid over a plane (the λ map of src/lambda/lambda-map.ts), as
// self-contained SVG: one coloured cell per grid point, the boundary between predicted classes
// drawn along the cell edges where the class changes, data points on top, and a colour bar.
// Several panels in a row share ONE colour scale (heatmapRowSvg), so that their values compare.
import { ticks } from './svg.js';

export interface HeatmapPanel {
  readonly title: string;
  readonly nx: number;
  readonly ny: number;
  /** Grid coordinates, ascending: value j·nx + i sits at (xs[i], ys[j]). */
  readonly xs: ArrayLike<number>;
  readonly ys: ArrayLike<number>;
  /** Row-major ny × nx; a non-finite value is drawn grey. */
  readonly values: ArrayLike<number>;
  /** Predicted class at each grid point (same layout): the boundary is drawn where it changes. */
  readonly classes?: ArrayLike<number>;
  /** Points drawn on top (e.g. test data), coloured by class. */
  readonly points?: readonly { readonly x: number; readonly y: number; readonly label: number }[];
}

export interface HeatmapScale {
  /** The colour bar's label (e.g. "λ"). */
  readonly label: string;
  /** Values mapped to the ends of the scale (outside: clamped). Default: the least and largest finite value of all panels. */
  readonly range?: readonly [number, number];
}

const SIZE = 300;
const TITLE = 24;
const BAR = { gap: 18, width: 14, labels: 46 };
const GAP = 16;
const NAN_COLOUR = '#bbbbbb';

/** Viridis at five stops (dark blue → teal → yellow): perceptually even, and readable in grey. */
const STOPS = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]] as const;

/** Colour of t in [0, 1] on the scale. */
export function heatColour(t: number): string {
  const u = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u));
  const [a, b] = [STOPS[i]!, STOPS[i + 1]!];
  const mix = (k: 0 | 1 | 2) => Math.round(a[k] + (b[k] - a[k]) * (u - i));
  return `rgb(${mix(0)},${mix(1)},${mix(2)})`;
}

/** One panel with its own colour bar. */
export function heatmapSvg(panel: HeatmapPanel, scale: HeatmapScale): string {
  return heatmapRowSvg([panel], scale);
}

/** Panels side by side on one shared colour scale, with one colour bar at the right. */
export function heatmapRowSvg(panels: readonly HeatmapPanel[], scale: HeatmapScale): string {
  const range = scale.range ?? finiteRange(panels);
  const barX = panels.length * (SIZE + GAP) - GAP + BAR.gap;
  const width = barX + BAR.width + BAR.labels;
  const height = SIZE + TITLE;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="Helvetica, Arial, sans-serif" font-size="13">`];
  panels.forEach((p, k) => out.push(`<g transform="translate(${k * (SIZE + GAP)},0)">${panelSvg(p, range)}</g>`));
  out.push(colourBar(range, scale.label, barX));
  out.push('</svg>');
  return out.join('');
}

function finiteRange(panels: readonly HeatmapPanel[]): [number, number] {
  let [lo, hi] = [Infinity, -Infinity];
  for (const p of panels) for (let i = 0; i < p.values.length; i++) if (Number.isFinite(p.values[i]!)) [lo, hi] = [Math.min(lo, p.values[i]!), Math.max(hi, p.values[i]!)];
  if (!Number.isFinite(lo)) return [0, 1];
  return hi > lo ? [lo, hi] : [lo - 0.5, hi + 0.5];
}

/** Cells centred on the grid points: the picture spans half a step beyond the first and last. */
function panelSvg(p: HeatmapPanel, [lo, hi]: readonly [number, number]): string {
  if (p.values.length !== p.nx * p.ny || p.xs.length !== p.nx || p.ys.length !== p.ny) {
    throw new Error(`heatmap: ${p.values.length} values for a ${p.nx}×${p.ny} grid with ${p.xs.length}×${p.ys.length} coordinates`);
  }
  const dx = (p.xs[p.nx - 1]! - p.xs[0]!) / (p.nx - 1);
  const dy = (p.ys[p.ny - 1]! - p.ys[0]!) / (p.ny - 1);
  const [x0, y1] = [p.xs[0]! - dx / 2, p.ys[p.ny - 1]! + dy / 2];
  const cw = SIZE / p.nx;
  const ch = SIZE / p.ny;
  const px = (x: number) => ((x - x0) / (p.nx * dx)) * SIZE;
  const py = (y: number) => ((y1 - y) / (p.ny * dy)) * SIZE;
  const out = [`<text x="4" y="16" font-weight="bold">${esc(p.title)}</text>`, `<g transform="translate(0,${TITLE})">`, '<g shape-rendering="crispEdges">'];
  for (let j = 0; j < p.ny; j++) {
    // Row j (y ascending) is drawn from the bottom up.
    const top = (p.ny - 1 - j) * ch;
    for (let i = 0; i < p.nx; i++) {
      const v = p.values[j * p.nx + i]!;
      const fill = Number.isFinite(v) ? heatColour((v - lo) / (hi - lo)) : NAN_COLOUR;
      // A hair wider than the cell, so that no seam shows between cells.
      out.push(`<rect x="${f(i * cw)}" y="${f(top)}" width="${f(cw + 0.3)}" height="${f(ch + 0.3)}" fill="${fill}"/>`);
    }
  }
  out.push('</g>');
  if (p.classes) {
    // The class boundary: every cell edge between two cells of different predicted class.
    const c = p.classes;
    const d: string[] = [];
    for (let j = 0; j < p.ny; j++) {
      for (let i = 0; i < p.nx; i++) {
        const here = c[j * p.nx + i];
        if (i + 1 < p.nx && c[j * p.nx + i + 1] !== here) d.push(`M${f((i + 1) * cw)},${f((p.ny - 1 - j) * ch)}v${f(ch)}`);
        if (j + 1 < p.ny && c[(j + 1) * p.nx + i] !== here) d.push(`M${f(i * cw)},${f((p.ny - 1 - j) * ch)}h${f(cw)}`);
      }
    }
    if (d.length) out.push(`<path d="${d.join('')}" stroke="white" stroke-width="2" stroke-linecap="round" fill="none"/>`);
  }
  for (const q of p.points ?? []) {
    const [cx, cy] = [px(q.x), py(q.y)];
    if (cx < 0 || cx > SIZE || cy < 0 || cy > SIZE) continue;
    out.push(`<circle cx="${f(cx)}" cy="${f(cy)}" r="1.6" fill="${q.label === 1 ? '#ff8c1a' : '#ffffff'}" stroke="#000" stroke-width="0.3"/>`);
  }
  out.push(`<rect width="${SIZE}" height="${SIZE}" fill="none" stroke="#333"/></g>`);
  return out.join('');
}

function colourBar([lo, hi]: readonly [number, number], label: string, x: number): string {
  const steps = 64;
  const h = SIZE / steps;
  const out = [`<g transform="translate(${x},${TITLE})" shape-rendering="crispEdges">`];
  for (let s = 0; s < steps; s++) out.push(`<rect x="0" y="${f(SIZE - (s + 1) * h)}" width="${BAR.width}" height="${f(h + 0.3)}" fill="${heatColour((s + 0.5) / steps)}"/>`);
  out.push(`<rect width="${BAR.width}" height="${SIZE}" fill="none" stroke="#333"/></g><g transform="translate(${x},${TITLE})" font-size="11">`);
  for (const t of ticks(lo, hi)) {
    const y = SIZE - ((t - lo) / (hi - lo)) * SIZE;
    out.push(`<line x1="${BAR.width}" x2="${BAR.width + 4}" y1="${f(y)}" y2="${f(y)}" stroke="#333"/><text x="${BAR.width + 6}" y="${f(y + 4)}">${Number(t.toPrecision(4))}</text>`);
  }
  out.push(`<text x="0" y="-8" font-size="13" font-weight="bold">${esc(label)}</text></g>`);
  return out.join('');
}

const f = (v: number) => v.toFixed(1);
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
