// The picture of one run on a canvas: λ (on the colour scale the two runs share, src/plot/heatmap.ts's
// viridis) or the class-1 probability (the showcase's blue–orange) under the decision boundary,
// the 0.5 contour of the probability traced by marching squares, and the test points on top.
import type { LambdaMap } from '../lambda/lambda-map.js';
import { heatColour } from '../plot/heatmap.js';
import { shade } from '../showcase/boundary.js';
import type { Split } from '../train/data-split.js';

/** Test points drawn: enough to see the moons, few enough not to hide the map. */
const POINTS = 400;
const NAN_COLOUR = [187, 187, 187] as const;

/** Probability of class 1 at each grid point (the map holds the predicted class and its probability). */
export function classOneProbability(map: LambdaMap): Float64Array {
  return Float64Array.from(map.probability, (p, k) => (map.predicted[k] === 1 ? p : 1 - p));
}

/** The least and largest finite λ over the maps (one scale, so two runs compare). */
export function lambdaRange(maps: readonly (LambdaMap | null)[]): [number, number] {
  let [lo, hi] = [Infinity, -Infinity];
  for (const m of maps) for (const v of m?.lambda ?? []) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
  return lo <= hi ? (lo === hi ? [lo - 0.5, hi + 0.5] : [lo, hi]) : [0, 1];
}

function rgb(colour: string): [number, number, number] {
  const m = /rgb\((\d+),(\d+),(\d+)\)/.exec(colour);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
}

export function drawRun(canvas: HTMLCanvasElement, map: LambdaMap, test: Split, view: 'lambda' | 'probability', range: readonly [number, number]): void {
  const ctx = canvas.getContext('2d')!;
  const { width: W, height: H } = canvas;
  const { nx, ny } = map;
  const p1 = classOneProbability(map);
  // One pixel per grid point (y flipped: row 0 of the image is the largest y), scaled up smoothly.
  const small = document.createElement('canvas');
  small.width = nx;
  small.height = ny;
  const image = small.getContext('2d')!.createImageData(nx, ny);
  for (let j = 0; j < ny; j++) {
    for (let i = 0; i < nx; i++) {
      const k = j * nx + i;
      const v = map.lambda[k]!;
      const c = view === 'probability' ? rgb(shade(p1[k]!)) : Number.isFinite(v) ? rgb(heatColour((v - range[0]) / (range[1] - range[0]))) : NAN_COLOUR;
      image.data.set([...c, 255], 4 * ((ny - 1 - j) * nx + i));
    }
  }
  small.getContext('2d')!.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  // Grid points are cell centres: the image spans half a cell beyond them on each side.
  const cx = W / (nx - 1);
  const cy = H / (ny - 1);
  ctx.drawImage(small, -cx / 2, -cy / 2, W + cx, H + cy);

  const [x0, x1] = map.xs.length ? [map.xs[0]!, map.xs[nx - 1]!] : [0, 1];
  const [y0, y1] = [map.ys[0]!, map.ys[ny - 1]!];
  const px = (x: number) => ((x - x0) / (x1 - x0)) * W;
  const py = (y: number) => H - ((y - y0) / (y1 - y0)) * H;
  for (let i = 0; i < Math.min(POINTS, test.n); i++) {
    ctx.fillStyle = test.labels[i] === 1 ? '#8a4b00' : '#0d2f66';
    ctx.beginPath();
    ctx.arc(px(test.inputs[2 * i]!), py(test.inputs[2 * i + 1]!), 1.8, 0, 2 * Math.PI);
    ctx.fill();
  }
  ctx.strokeStyle = view === 'probability' ? '#222' : '#fff';
  ctx.lineWidth = 2;
  ctx.beginPath();
  for (const [a, b] of contour(p1, nx, ny, 0.5)) {
    ctx.moveTo(px(x0 + a[0] * (x1 - x0) / (nx - 1)), py(y0 + a[1] * (y1 - y0) / (ny - 1)));
    ctx.lineTo(px(x0 + b[0] * (x1 - x0) / (nx - 1)), py(y0 + b[1] * (y1 - y0) / (ny - 1)));
  }
  ctx.stroke();
}

type Point = readonly [number, number];

/** Marching squares: segments (in grid units) where the row-major field crosses `level`. */
export function contour(field: ArrayLike<number>, nx: number, ny: number, level: number): [Point, Point][] {
  const segments: [Point, Point][] = [];
  const at = (i: number, j: number) => field[j * nx + i]! - level;
  for (let j = 0; j + 1 < ny; j++) {
    for (let i = 0; i + 1 < nx; i++) {
      // Corners in order around the cell; a crossing on each edge whose ends differ in sign.
      const corners: [number, number][] = [[i, j], [i + 1, j], [i + 1, j + 1], [i, j + 1]];
      const crossings: Point[] = [];
      for (let e = 0; e < 4; e++) {
        const [a, b] = [corners[e]!, corners[(e + 1) % 4]!];
        const [va, vb] = [at(a[0], a[1]), at(b[0], b[1])];
        if ((va < 0) !== (vb < 0)) {
          const t = va / (va - vb);
          crossings.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
        }
      }
      for (let c = 0; c + 1 < crossings.length; c += 2) segments.push([crossings[c]!, crossings[c + 1]!]);
    }
  }
  return segments;
}

/** A horizontal colour bar of the λ scale on a canvas. */
export function drawColourBar(canvas: HTMLCanvasElement): void {
  const ctx = canvas.getContext('2d')!;
  for (let x = 0; x < canvas.width; x++) {
    ctx.fillStyle = heatColour(x / (canvas.width - 1));
    ctx.fillRect(x, 0, 1, canvas.height);
  }
}
