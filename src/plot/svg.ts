// A self-contained SVG line plot: axes with round ticks, markers and lines, a shaded x-range
// (the orders of the fit) and a legend. No dependency (nothing small and kept up fits on npm);
// enough to see at a glance whether log‖Dⁿf‖ against n is a straight line.

export interface PlotSeries {
  readonly label: string;
  readonly points: readonly (readonly [number, number])[];
  readonly kind: 'markers' | 'line';
  readonly color: string;
  readonly dashed?: boolean;
  /** Thin, faint lines (e.g. one per point) that should not dominate. */
  readonly faint?: boolean;
  /** A shaded band [x, lo, hi] behind the series (e.g. a 95% CI over seeds). */
  readonly band?: readonly (readonly [number, number, number])[];
  /** Vertical error bars [lo, hi], one per point (markers), e.g. mean ± std. */
  readonly errorBars?: readonly (readonly [number, number])[];
}

export interface PlotSpec {
  readonly title: string;
  readonly subtitle?: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly PlotSeries[];
  /** An x-range to shade, labelled (e.g. "fit window"). */
  readonly shade?: { readonly from: number; readonly to: number; readonly label: string };
  /** Text ticks at given x positions instead of round numbers (categories, uneven scales). */
  readonly xTickLabels?: readonly (readonly [number, string])[];
}

const W = 760;
const H = 460;
const M = { left: 78, right: 24, top: 64, bottom: 58 };

export function svgPlot(spec: PlotSpec): string {
  const finite = spec.series.flatMap((s) => s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)));
  const xs = finite.map(([x]) => x);
  // Bands and error bars widen the y-range so that they are never clipped.
  const extra = spec.series.flatMap((s) => [...(s.band ?? []).flatMap(([, lo, hi]) => [lo, hi]), ...(s.errorBars ?? []).flat()]).filter(Number.isFinite);
  const ys = [...finite.map(([, y]) => y), ...extra];
  const [x0, x1] = padded(Math.min(...xs, spec.shade?.from ?? Infinity), Math.max(...xs, spec.shade?.to ?? -Infinity), 0.02);
  const [y0, y1] = padded(Math.min(...ys), Math.max(...ys), 0.06);
  const px = (x: number) => M.left + ((x - x0) / (x1 - x0)) * (W - M.left - M.right);
  const py = (y: number) => H - M.bottom - ((y - y0) / (y1 - y0)) * (H - M.top - M.bottom);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif" font-size="13">`);
  out.push(`<rect width="${W}" height="${H}" fill="white"/>`);
  out.push(`<text x="${M.left}" y="24" font-size="16" font-weight="bold">${esc(spec.title)}</text>`);
  if (spec.subtitle) out.push(`<text x="${M.left}" y="44" fill="#444">${esc(spec.subtitle)}</text>`);
  if (spec.shade) {
    const a = px(Math.max(spec.shade.from, x0));
    const b = px(Math.min(spec.shade.to, x1));
    out.push(`<rect x="${f(a)}" y="${M.top}" width="${f(Math.max(b - a, 2))}" height="${H - M.top - M.bottom}" fill="#fff3c4"/>`);
    out.push(`<text x="${f((a + b) / 2)}" y="${M.top + 14}" text-anchor="middle" fill="#8a6d00" font-size="11">${esc(spec.shade.label)}</text>`);
  }
  const xTicks: (readonly [number, string])[] = spec.xTickLabels ? [...spec.xTickLabels] : ticks(x0, x1).map((t) => [t, fmt(t)] as const);
  for (const [t, text] of xTicks) {
    out.push(`<line x1="${f(px(t))}" x2="${f(px(t))}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`);
    out.push(`<text x="${f(px(t))}" y="${H - M.bottom + 18}" text-anchor="middle"${spec.xTickLabels ? ' font-size="11"' : ''}>${esc(text)}</text>`);
  }
  for (const t of ticks(y0, y1)) {
    out.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${f(py(t))}" y2="${f(py(t))}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 8}" y="${f(py(t) + 4)}" text-anchor="end">${fmt(t)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 14}" text-anchor="middle">${esc(spec.xLabel)}</text>`);
  out.push(`<text transform="translate(20 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(spec.yLabel)}</text>`);
  for (const s of spec.series) {
    const band = (s.band ?? []).filter(([x, lo, hi]) => [x, lo, hi].every(Number.isFinite));
    if (band.length > 1) {
      const upper = band.map(([x, , hi]) => `${f(px(x))},${f(py(hi))}`);
      const lower = band.map(([x, lo]) => `${f(px(x))},${f(py(lo))}`).reverse();
      out.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${s.color}" fill-opacity="0.18" stroke="none"/>`);
    }
  }
  for (const s of spec.series) {
    const ok = ([x, y]: readonly [number, number]) => Number.isFinite(x) && Number.isFinite(y) && x >= x0 && x <= x1;
    s.errorBars?.forEach(([lo, hi], i) => {
      const x = s.points[i]?.[0];
      if (x === undefined || !Number.isFinite(x) || !Number.isFinite(lo) || !Number.isFinite(hi)) return;
      out.push(`<path d="M${f(px(x))},${f(py(lo))}V${f(py(hi))}M${f(px(x) - 4)},${f(py(lo))}h8M${f(px(x) - 4)},${f(py(hi))}h8" stroke="${s.color}" stroke-width="1.4" fill="none"/>`);
    });
    const pts = s.points.filter(ok);
    if (s.kind === 'line') {
      // A new sub-path after each gap (a non-finite value): a line never bridges missing orders.
      let pen = 'M';
      const d = s.points.map((p) => {
        if (!ok(p)) { pen = 'M'; return ''; }
        const seg = `${pen}${f(px(p[0]))},${f(py(p[1]))}`;
        pen = 'L';
        return seg;
      }).join('');
      out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="${s.faint ? 1 : 2.2}"${s.faint ? ' stroke-opacity="0.35"' : ''}${s.dashed ? ' stroke-dasharray="7 4"' : ''}/>`);
    } else {
      for (const [x, y] of pts) out.push(`<circle cx="${f(px(x))}" cy="${f(py(y))}" r="3.2" fill="${s.color}"/>`);
    }
  }
  const labels = spec.series.filter((s, i) => s.label && spec.series.findIndex((t) => t.label === s.label) === i);
  // The legend goes in the corner with the fewest data points under it, on a white box.
  const boxW = 8 + Math.max(...labels.map((s) => 34 + 6.6 * s.label.length), 0);
  const boxH = 8 + 18 * labels.length;
  const corners = [[W - M.right - boxW - 6, M.top + 22], [M.left + 6, M.top + 22], [W - M.right - boxW - 6, H - M.bottom - boxH - 6], [M.left + 6, H - M.bottom - boxH - 6]] as const;
  const under = ([cx, cy]: readonly [number, number]) => finite.filter(([x, y]) => px(x) >= cx && px(x) <= cx + boxW && py(y) >= cy && py(y) <= cy + boxH).length;
  const [bx, by] = corners.reduce((best, c) => (under(c) < under(best) ? c : best));
  if (labels.length) out.push(`<rect x="${f(bx)}" y="${f(by)}" width="${f(boxW)}" height="${boxH}" fill="white" fill-opacity="0.85" stroke="#ccc"/>`);
  let ly = by + 18;
  for (const s of labels) {
    const lx = bx + 6;
    out.push(s.kind === 'line'
      ? `<line x1="${lx}" x2="${lx + 24}" y1="${ly - 4}" y2="${ly - 4}" stroke="${s.color}" stroke-width="${s.faint ? 1 : 2.2}"${s.dashed ? ' stroke-dasharray="7 4"' : ''}/>`
      : `<circle cx="${lx + 12}" cy="${ly - 4}" r="3.2" fill="${s.color}"/>`);
    out.push(`<text x="${lx + 32}" y="${ly}">${esc(s.label)}</text>`);
    ly += 18;
  }
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function padded(lo: number, hi: number, frac: number): [number, number] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) return [lo - 1, hi + 1];
  const pad = (hi - lo) * frac;
  return [lo - pad, hi + pad];
}

/** Round tick values (steps of 1, 2 or 5 × 10^k), about six of them. */
export function ticks(lo: number, hi: number): number[] {
  const raw = (hi - lo) / 6;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let t = Math.ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) out.push(Math.abs(t) < step * 1e-9 ? 0 : t);
  return out;
}

const f = (v: number) => v.toFixed(1);
const fmt = (v: number) => String(Number(v.toPrecision(6)));
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
