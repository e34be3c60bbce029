// The `--exact` path for small networks: the dense Hessian from P products (column i is H·e_i),
// its asymmetry as a check of the product itself, and every figure of the estimators computed
// exactly from it (eigenvalues by Householder + QL), whole and per block.
import { blocksOf, type ParameterBlock, type SymmetricOperator } from './operator.js';
import { gradientTerms, scalarCurvatureFrom } from './scalar-curvature.js';
import { symmetricEigen } from './symmetric-eigen.js';

export interface DenseHessian {
  /** Row-major P×P, symmetrized: (H + Hᵀ)/2. */
  readonly matrix: Float64Array;
  readonly size: number;
  /** ‖H − Hᵀ‖_F / ‖H‖_F of the columns as computed: rounding-level for a correct product. */
  readonly asymmetry: number;
}

/** P products in batches of `batch` unit vectors. */
export async function denseHessian(op: SymmetricOperator, batch = 32): Promise<DenseHessian> {
  const n = op.size;
  const raw = new Float64Array(n * n);
  for (let start = 0; start < n; start += batch) {
    const count = Math.min(batch, n - start);
    const units = Array.from({ length: count }, (_, k) => {
      const e = new Float64Array(n);
      e[start + k] = 1;
      return e;
    });
    const cols = await op.apply(units);
    cols.forEach((col, k) => { for (let i = 0; i < n; i++) raw[i * n + start + k] = col[i]!; });
  }
  let diff = 0;
  let total = 0;
  const matrix = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = raw[i * n + j]!;
      const b = raw[j * n + i]!;
      diff += (a - b) ** 2;
      total += a * a;
      matrix[i * n + j] = (a + b) / 2;
    }
  }
  return { matrix, size: n, asymmetry: total > 0 ? Math.sqrt(diff / total) : 0 };
}

export interface ExactCurvature {
  readonly eigenvalues: Float64Array;
  readonly trace: number;
  readonly traceOfSquare: number;
  /** With a gradient. */
  readonly scalarCurvature?: number;
  readonly blocks: readonly (ParameterBlock & { readonly trace: number; readonly eigenvalues: Float64Array })[];
  readonly asymmetry: number;
}

/** Every curvature figure from the dense Hessian (P products, O(P³) work). */
export async function exactCurvature(op: SymmetricOperator, gradient?: Float64Array, batch = 32): Promise<ExactCurvature> {
  const h = await denseHessian(op, batch);
  const n = h.size;
  const eigenvalues = symmetricEigen(h.matrix, n).values;
  const trace = eigenvalues.reduce((s, x) => s + x, 0);
  const traceOfSquare = eigenvalues.reduce((s, x) => s + x * x, 0);
  let scalarCurvature: number | undefined;
  if (gradient) {
    const hg = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) hg[i]! += h.matrix[i * n + j]! * gradient[j]!;
    scalarCurvature = scalarCurvatureFrom(trace, traceOfSquare, gradientTerms(gradient, hg));
  }
  const blocks = blocksOf(op).map((b) => {
    const sub = new Float64Array(b.size * b.size);
    for (let i = 0; i < b.size; i++) for (let j = 0; j < b.size; j++) sub[i * b.size + j] = h.matrix[(b.offset + i) * n + b.offset + j]!;
    const values = symmetricEigen(sub, b.size).values;
    return { ...b, trace: values.reduce((s, x) => s + x, 0), eigenvalues: values };
  });
  return { eigenvalues, trace, traceOfSquare, scalarCurvature, blocks, asymmetry: h.asymmetry };
}
