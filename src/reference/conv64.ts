// Float64 references of the image ops (conv2d, maxpool2d) on jets [rows, K+1, C, H, W].
import { jet64, type Jet64 } from './jet64.js';

export interface Conv2dGeometry {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelH: number;
  readonly kernelW: number;
  readonly stride: number;
  readonly padding: number;
}

const windows = (n: number, size: number, stride: number, padding: number): number => Math.floor((n + 2 * padding - size) / stride) + 1;

/** y_k = conv(x_k) + (k == 0 ? bias : 0); weight [out][in][kh][kw]. */
export function conv2d64(x: Jet64, weight: Float64Array, bias: Float64Array, g: Conv2dGeometry): Jet64 {
  const [C, H, W] = x.shape as [number, number, number];
  const Ho = windows(H, g.kernelH, g.stride, g.padding);
  const Wo = windows(W, g.kernelW, g.stride, g.padding);
  const y = jet64(x.rows, x.order, [g.outChannels, Ho, Wo]);
  for (let n = 0; n < x.rows * (x.order + 1); n++) {
    for (let o = 0; o < g.outChannels; o++) {
      for (let oy = 0; oy < Ho; oy++) {
        for (let ox = 0; ox < Wo; ox++) {
          let s = n % (x.order + 1) === 0 ? bias[o]! : 0;
          for (let c = 0; c < C; c++) {
            for (let ky = 0; ky < g.kernelH; ky++) {
              const iy = oy * g.stride + ky - g.padding;
              if (iy < 0 || iy >= H) continue;
              for (let kx = 0; kx < g.kernelW; kx++) {
                const ix = ox * g.stride + kx - g.padding;
                if (ix < 0 || ix >= W) continue;
                s += weight[((o * C + c) * g.kernelH + ky) * g.kernelW + kx]! * x.data[((n * C + c) * H + iy) * W + ix]!;
              }
            }
          }
          y.data[((n * g.outChannels + o) * Ho + oy) * Wo + ox] = s;
        }
      }
    }
  }
  return y;
}

/** The jet of the lexicographically largest series (c_0, c_1, …) of each window; first on a full tie. */
export function maxpool2d64(x: Jet64, size: number, stride: number): Jet64 {
  const [C, H, W] = x.shape as [number, number, number];
  const Ho = windows(H, size, stride, 0);
  const Wo = windows(W, size, stride, 0);
  const K = x.order;
  const y = jet64(x.rows, K, [C, Ho, Wo]);
  const at = (row: number, k: number, f: number, F: number): number => (row * (K + 1) + k) * F + f;
  const greater = (row: number, a: number, b: number): boolean => {
    for (let k = 0; k <= K; k++) {
      const u = x.data[at(row, k, a, C * H * W)]!;
      const v = x.data[at(row, k, b, C * H * W)]!;
      if (u !== v) return u > v;
    }
    return false;
  };
  for (let row = 0; row < x.rows; row++) {
    for (let c = 0; c < C; c++) {
      for (let oy = 0; oy < Ho; oy++) {
        for (let ox = 0; ox < Wo; ox++) {
          let best = -1;
          for (let dy = 0; dy < size; dy++) {
            for (let dx = 0; dx < size; dx++) {
              const f = (c * H + oy * stride + dy) * W + ox * stride + dx;
              if (best < 0 || greater(row, f, best)) best = f;
            }
          }
          const fo = (c * Ho + oy) * Wo + ox;
          for (let k = 0; k <= K; k++) y.data[at(row, k, fo, C * Ho * Wo)] = x.data[at(row, k, best, C * H * W)]!;
        }
      }
    }
  }
  return y;
}
