// The yardstick: the fastest plain matrix product we can write for the adapter (matmul.wgsl),
// each variant checked against a float64 product before it is timed.
import type { Engine } from '../src/gpu/engine.js';
import { Random } from '../src/util/random.js';
import wgsl from './matmul.wgsl';
import { gflops, type Timing } from './timing.js';

export const MATMUL_VARIANTS = ['mm_scalar_4x4', 'mm_vec4_4x4', 'mm_vec4_8x4', 'mm_vec4_4x8', 'mm_vec4_8x8', 'mm_tiled'] as const;
export type MatmulVariant = (typeof MATMUL_VARIANTS)[number];

/** Output elements per thread, and whether the variant binds vec4 views. */
const shape: Record<MatmulVariant, { rows: number; cols: number; vec4: boolean }> = {
  mm_scalar_4x4: { rows: 4, cols: 4, vec4: false },
  mm_vec4_4x4: { rows: 4, cols: 4, vec4: true },
  mm_vec4_8x4: { rows: 8, cols: 4, vec4: true },
  mm_vec4_4x8: { rows: 4, cols: 8, vec4: true },
  mm_vec4_8x8: { rows: 8, cols: 8, vec4: true },
  mm_tiled: { rows: 4, cols: 4, vec4: false },
};

export interface MatmulFigure {
  readonly variant: MatmulVariant;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly medianMs: number;
  readonly gflops: number;
  /** Largest |error| against the float64 product over sampled entries, relative to the largest |entry|. */
  readonly error: number;
}

function dispatch(engine: Engine, variant: MatmulVariant, a: GPUBuffer, b: GPUBuffer, c: GPUBuffer, m: number, k: number, n: number): void {
  const s = shape[variant];
  const source = { name: 'matmul', wgsl, entryPoint: variant };
  const buffers: Record<string, GPUBuffer> = s.vec4 ? { a4: a, b4: b, c4: c } : { a, b, c };
  // The tiled variant dispatches one 256-thread workgroup per 64×64 tile.
  const threads = variant === 'mm_tiled' ? (m / 64) * (n / 64) * 256 : (m / s.rows) * (n / s.cols);
  engine.dispatch(source, buffers, { M: m, K: k, N: n }, threads);
}

/** The variants on one shape, ready to be timed alongside other kernels; each is checked first. */
export interface MatmulBench {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly variants: Record<MatmulVariant, () => void>;
  /** Largest |error| against the float64 product over sampled entries, relative to the largest |entry|. */
  readonly errors: Readonly<Record<MatmulVariant, number>>;
  release(): void;
}

/** C[m][n] = A[m][k]·B[k][n]; m a multiple of 64, k and n of 16. */
export async function matmulBench(engine: Engine, m: number, k: number, n: number): Promise<MatmulBench> {
  const random = new Random(7);
  const av = Float32Array.from(random.normals(m * k, 1));
  const bv = Float32Array.from(random.normals(k * n, 1));
  const a = engine.upload(av);
  const b = engine.upload(bv);
  const c = engine.pool.acquire(m * n * 4);
  const errors = {} as Record<MatmulVariant, number>;
  for (const variant of MATMUL_VARIANTS) {
    engine.clear(c);
    dispatch(engine, variant, a, b, c, m, k, n);
    errors[variant] = sampledError(await engine.read(c, m * n * 4), av, bv, m, k, n, random);
  }
  const variants = Object.fromEntries(MATMUL_VARIANTS.map((v) => [v, () => dispatch(engine, v, a, b, c, m, k, n)])) as Record<MatmulVariant, () => void>;
  return { m, k, n, variants, errors, release: () => [a, b, c].forEach((x) => engine.pool.release(x)) };
}

/** The figures of a bench's variants from timings taken under their names. */
export function matmulFigures(bench: MatmulBench, timings: Readonly<Record<string, Timing>>): MatmulFigure[] {
  const { m, k, n } = bench;
  return MATMUL_VARIANTS.map((variant) => ({
    variant, m, k, n, medianMs: timings[variant]!.medianMs, gflops: gflops(2 * m * k * n, timings[variant]!), error: bench.errors[variant],
  }));
}

function sampledError(c: Float32Array, a: Float32Array, b: Float32Array, m: number, k: number, n: number, random: Random): number {
  let err = 0;
  let scale = 0;
  for (let s = 0; s < 256; s++) {
    const i = random.int(m);
    const j = random.int(n);
    let exact = 0;
    for (let p = 0; p < k; p++) exact += a[i * k + p]! * b[p * n + j]!;
    err = Math.max(err, Math.abs(c[i * n + j]! - exact));
    scale = Math.max(scale, Math.abs(exact));
  }
  return err / (scale || 1);
}
