// Weight layouts between ONNX's operators and jetcurve's layers: exact rearrangements of the
// stored float32 values (a transpose; a grouped convolution as a full one with zero blocks).
import { JetcurveError } from '../errors.js';
import type { Tensor } from '../model/tensor.js';

/** [rows][cols] -> [cols][rows]. */
export function transpose(t: Tensor, where: string): Tensor {
  if (t.shape.length !== 2) throw new JetcurveError(`${where}: weight is ${t.shape.join('×') || 'a scalar'}, expected a matrix`, 'the file is inconsistent: export it again');
  const [rows, cols] = t.shape as [number, number];
  const data = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) data[c * rows + r] = t.data[r * cols + c]!;
  return { shape: [cols, rows], data };
}

/**
 * A Conv weight [out][in/group][kh][kw] as jetcurve's [out][in][kh][kw]. A grouped convolution
 * is the full one whose weights across groups are zero: each output sums the same products plus
 * exact zeros, so nothing is approximated.
 */
export function convWeight(w: Tensor, channels: number, group: number, where: string): Tensor {
  const [out, perGroup, kh, kw] = w.shape as [number, number, number, number];
  if (group < 1 || perGroup * group !== channels || out % group !== 0) {
    throw new JetcurveError(`${where}: weight ${w.shape.join('×')} with group = ${group} does not fit the ${channels} channels of the previous layer`,
      'the file is inconsistent: export it again');
  }
  if (group === 1) return w;
  const window = kh * kw;
  const outPerGroup = out / group;
  const data = new Float32Array(out * channels * window);
  for (let o = 0; o < out; o++) {
    const g = Math.floor(o / outPerGroup);
    for (let c = 0; c < perGroup; c++) {
      data.set(w.data.subarray((o * perGroup + c) * window, (o * perGroup + c + 1) * window), (o * channels + g * perGroup + c) * window);
    }
  }
  return { shape: [out, channels, kh, kw], data };
}

/** The padding per side of auto_pad SAME along one axis, or null when the two sides differ. */
export function samePadding(size: number, kernel: number, stride: number): number | null {
  const total = Math.max(0, (Math.ceil(size / stride) - 1) * stride + kernel - size);
  return total % 2 === 0 ? total / 2 : null;
}
