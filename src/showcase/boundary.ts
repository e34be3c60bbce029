// A decision-boundary picture of a two-class model on 2-D inputs: the probability of class 1 on
// a grid as a heat map (inline SVG), the 0.5 contour visible as the colour change, and the test
// points on top. Sharp (high-λ) and smooth boundaries are easier to tell apart here than in a table.
import type { DataSet } from '../data/file.js';
import type { Model } from '../model/model.js';

const SIZE = 300;
const CELLS = 50;

/** Probability of class 1 at each point of a two-class model (one order-0 pass). */
async function classOneProbability(model: Model, inputs: Float64Array): Promise<Float64Array> {
  const r = await model.jets({ points: inputs, directions: new Float64Array(inputs.length), order: 0 });
  const n = inputs.length / 2;
  return Float64Array.from({ length: n }, (_, i) => 1 / (1 + Math.exp(r.coefficients[2 * i]! - r.coefficients[2 * i + 1]!)));
}

/** Blue (class 0) through white (0.5) to orange (class 1). */
export function shade(p: number): string {
  const t = Math.min(1, Math.abs(p - 0.5) * 2);
  const [r, g, b] = p < 0.5 ? [31, 95, 191] : [224, 123, 0];
  const mix = (c: number) => Math.round(255 + (c - 255) * t * 0.55);
  return `rgb(${mix(r)},${mix(g)},${mix(b)})`;
}

/** The part of the plane the pictures show: the test points' bounding box, padded by a tenth of its larger side. */
export function plotExtent(test: DataSet): { xRange: [number, number]; yRange: [number, number] } {
  if (test.inputShape.length !== 1 || test.inputShape[0] !== 2) throw new Error('the showcase draws models of 2-D inputs');
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < test.count; i++) {
    x0 = Math.min(x0, test.inputs[2 * i]!); x1 = Math.max(x1, test.inputs[2 * i]!);
    y0 = Math.min(y0, test.inputs[2 * i + 1]!); y1 = Math.max(y1, test.inputs[2 * i + 1]!);
  }
  const pad = 0.1 * Math.max(x1 - x0, y1 - y0);
  return { xRange: [x0 - pad, x1 + pad], yRange: [y0 - pad, y1 + pad] };
}

export async function boundarySvg(model: Model, test: DataSet, title: string): Promise<string> {
  const { xRange: [x0, x1], yRange: [y0, y1] } = plotExtent(test);
  const grid = new Float64Array(CELLS * CELLS * 2);
  for (let j = 0; j < CELLS; j++) {
    for (let i = 0; i < CELLS; i++) {
      grid[2 * (j * CELLS + i)] = x0 + ((i + 0.5) / CELLS) * (x1 - x0);
      grid[2 * (j * CELLS + i) + 1] = y1 - ((j + 0.5) / CELLS) * (y1 - y0);
    }
  }
  const p = await classOneProbability(model, grid);
  const cell = SIZE / CELLS;
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE + 24}" viewBox="0 0 ${SIZE} ${SIZE + 24}" font-family="Helvetica, Arial, sans-serif" font-size="13">`,
    `<text x="4" y="16" font-weight="bold">${title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`, '<g transform="translate(0,24)" shape-rendering="crispEdges">'];
  for (let j = 0; j < CELLS; j++) {
    for (let i = 0; i < CELLS; i++) {
      out.push(`<rect x="${(i * cell).toFixed(1)}" y="${(j * cell).toFixed(1)}" width="${cell.toFixed(1)}" height="${cell.toFixed(1)}" fill="${shade(p[j * CELLS + i]!)}"/>`);
    }
  }
  out.push('</g><g transform="translate(0,24)">');
  for (let i = 0; i < test.count; i++) {
    const cx = ((test.inputs[2 * i]! - x0) / (x1 - x0)) * SIZE;
    const cy = ((y1 - test.inputs[2 * i + 1]!) / (y1 - y0)) * SIZE;
    out.push(`<circle cx="${cx.toFixed(1)}" cy="${cy.toFixed(1)}" r="1.6" fill="${test.labels![i] === 1 ? '#8a4b00' : '#0d2f66'}"/>`);
  }
  out.push('</g></svg>');
  return out.join('');
}

/** Several pictures of boundarySvg in one row, as one SVG. */
export function sideBySide(svgs: readonly string[]): string {
  const gap = 16;
  const width = svgs.length * (SIZE + gap) - gap;
  const panels = svgs.map((svg, i) => svg.replace('<svg ', `<svg x="${i * (SIZE + gap)}" `));
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${SIZE + 24}" viewBox="0 0 ${width} ${SIZE + 24}">${panels.join('')}</svg>`;
}
