// The abstract symmetric operator every curvature estimator works against: a Hessian (or any
// symmetric matrix) seen only through products H·v. The GPU engine will supply batched
// Hessian-vector products; the tests supply dense matrices. Nothing here holds on to vectors it
// was given or returned, so an estimator's memory is what it keeps itself.
import { JetcurveError } from '../errors.js';

/** A named contiguous range of parameters (one layer's weights, or its bias). */
export interface ParameterBlock {
  readonly name: string;
  readonly offset: number;
  readonly size: number;
}

export interface SymmetricOperator {
  /** The dimension P (number of parameters). */
  readonly size: number;
  /** Per-layer ranges for per-layer figures; absent means one block, the whole. */
  readonly blocks?: readonly ParameterBlock[];
  /**
   * H·v for each v, in one call (the GPU batches them). Must not keep or modify its inputs;
   * every returned array is fresh.
   */
  apply(vectors: readonly Float64Array[]): Promise<Float64Array[]>;
}

/** H·v for a single v. */
export async function applyOne(op: SymmetricOperator, v: Float64Array): Promise<Float64Array> {
  const [out] = await op.apply([v]);
  return out!;
}

/** The operator's blocks (checked), or one block named `all` covering everything. */
export function blocksOf(op: SymmetricOperator): readonly ParameterBlock[] {
  if (!op.blocks?.length) return [{ name: 'all', offset: 0, size: op.size }];
  checkBlocks(op.blocks, op.size);
  return op.blocks;
}

/** Blocks must lie inside 0..size, be non-empty and not overlap (gaps are allowed). */
export function checkBlocks(blocks: readonly ParameterBlock[], size: number): void {
  const sorted = [...blocks].sort((a, b) => a.offset - b.offset);
  let end = 0;
  for (const b of sorted) {
    if (!Number.isInteger(b.offset) || !Number.isInteger(b.size) || b.size < 1 || b.offset < 0 || b.offset + b.size > size) {
      throw new JetcurveError(`parameter block '${b.name}' (offset ${b.offset}, size ${b.size}) does not fit in 0..${size}`,
        'give each block a positive integer size and an offset such that offset + size ≤ the number of parameters');
    }
    if (b.offset < end) {
      throw new JetcurveError(`parameter block '${b.name}' overlaps the block before it`, 'make the blocks disjoint ranges');
    }
    end = b.offset + b.size;
  }
}

/** A dense symmetric matrix (row-major, n×n) as an operator; for tests and `--exact` checks. */
export class DenseOperator implements SymmetricOperator {
  readonly blocks?: readonly ParameterBlock[];

  constructor(readonly size: number, readonly matrix: Float64Array, blocks?: readonly ParameterBlock[]) {
    if (matrix.length !== size * size) {
      throw new JetcurveError(`a ${size}×${size} operator needs ${size * size} entries, got ${matrix.length}`, 'pass the matrix row-major');
    }
    if (blocks) checkBlocks(blocks, size);
    this.blocks = blocks;
  }

  async apply(vectors: readonly Float64Array[]): Promise<Float64Array[]> {
    const n = this.size;
    return vectors.map((v) => {
      checkLength(v, n);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) s += this.matrix[row + j]! * v[j]!;
        out[i] = s;
      }
      return out;
    });
  }
}

/**
 * Counts products (and calls) passing through to an inner operator, so that a test can assert
 * "at most 30 HVPs" and a report can say what an estimate cost.
 */
export class CountingOperator implements SymmetricOperator {
  products = 0;
  calls = 0;

  constructor(readonly inner: SymmetricOperator) {}

  get size(): number { return this.inner.size; }
  get blocks(): readonly ParameterBlock[] | undefined { return this.inner.blocks; }

  apply(vectors: readonly Float64Array[]): Promise<Float64Array[]> {
    this.products += vectors.length;
    this.calls += 1;
    return this.inner.apply(vectors);
  }
}

/**
 * The diagonal block H_BB of an operator, as an operator of size block.size: v is padded with
 * zeros outside the block and the block's part of H·v is kept. One product of the whole per
 * product of the block; lets Lanczos and SLQ give per-layer spectra.
 */
export function restrictToBlock(op: SymmetricOperator, block: ParameterBlock): SymmetricOperator {
  checkBlocks([block], op.size);
  return {
    size: block.size,
    async apply(vectors) {
      const padded = vectors.map((v) => {
        checkLength(v, block.size);
        const full = new Float64Array(op.size);
        full.set(v, block.offset);
        return full;
      });
      const out = await op.apply(padded);
      return out.map((w) => w.slice(block.offset, block.offset + block.size));
    },
  };
}

/**
 * Runs `estimate` on each block's H_BB (see restrictToBlock), one block after the other: per-layer
 * Lanczos, spectral densities or curvatures with the whole-network code.
 */
export async function byBlock<T>(op: SymmetricOperator, estimate: (sub: SymmetricOperator, block: ParameterBlock) => Promise<T>): Promise<(ParameterBlock & { readonly result: T })[]> {
  const out: (ParameterBlock & { readonly result: T })[] = [];
  for (const block of blocksOf(op)) out.push({ ...block, result: await estimate(restrictToBlock(op, block), block) });
  return out;
}

function checkLength(v: Float64Array, n: number): void {
  if (v.length !== n) throw new JetcurveError(`a vector of length ${v.length} was given to an operator of size ${n}`, `pass vectors of length ${n}`);
}
