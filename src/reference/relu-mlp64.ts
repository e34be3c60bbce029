// A float64 one-hidden-layer ReLU MLP d-h-1 with the squared loss L = ½Σ(f(x_i) − y_i)², its
// Jacobian, gradient and EXACT Hessian written out by hand, and a damped Gauss–Newton trainer
// that reaches interpolation (N < P): the independent reference the curvature tests need.
//
// Parameters, in order: W1 (h×d, row-major), b1 (h), w2 (h), b2. f(x) = w2·relu(W1x + b1) + b2.
// ∂f/∂W1[j,k] = w2_j·1[z_j>0]·x_k, ∂f/∂b1[j] = w2_j·1[z_j>0], ∂f/∂w2[j] = relu(z_j), ∂f/∂b2 = 1.
// ∇²f is zero except ∂²f/∂w2_j∂W1[j,k] = 1[z_j>0]·x_k and ∂²f/∂w2_j∂b1_j = 1[z_j>0] (ReLU'' = 0
// away from kinks), so H = JᵀJ + Σ_i r_i·∇²f_i with r_i = f(x_i) − y_i.
import type { ParameterBlock } from '../curvature/operator.js';
import { Random } from '../util/random.js';

export class ReluMlp {
  readonly size: number;
  readonly blocks: ParameterBlock[];

  constructor(readonly d: number, readonly h: number, readonly x: Float64Array, readonly y: Float64Array) {
    this.size = h * d + 2 * h + 1;
    this.blocks = [
      { name: 'layer1.weight', offset: 0, size: h * d },
      { name: 'layer1.bias', offset: h * d, size: h },
      { name: 'layer2.weight', offset: h * d + h, size: h },
      { name: 'layer2.bias', offset: h * d + 2 * h, size: 1 },
    ];
  }

  get points(): number { return this.y.length; }

  init(seed: number, scale = 1): Float64Array {
    const random = new Random(seed);
    const theta = new Float64Array(this.size);
    for (let i = 0; i < this.h * this.d; i++) theta[i] = (scale * random.normal()) / Math.sqrt(this.d);
    for (let j = 0; j < this.h; j++) theta[this.h * this.d + j] = 0.1 * scale * random.normal();
    for (let j = 0; j < this.h; j++) theta[this.h * this.d + this.h + j] = (scale * random.normal()) / Math.sqrt(this.h);
    return theta;
  }

  private hidden(theta: Float64Array, i: number): Float64Array {
    const { d, h } = this;
    const z = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      let s = theta[h * d + j]!;
      for (let k = 0; k < d; k++) s += theta[j * d + k]! * this.x[i * d + k]!;
      z[j] = s;
    }
    return z;
  }

  outputs(theta: Float64Array, x: Float64Array = this.x): Float64Array {
    const other = x === this.x ? this : new ReluMlp(this.d, this.h, x, new Float64Array(x.length / this.d));
    return Float64Array.from({ length: other.points }, (_, i) => {
      const z = other.hidden(theta, i);
      let f = theta[this.size - 1]!;
      for (let j = 0; j < this.h; j++) f += theta[this.h * this.d + this.h + j]! * Math.max(z[j]!, 0);
      return f;
    });
  }

  residuals(theta: Float64Array): Float64Array {
    return this.outputs(theta).map((f, i) => f - this.y[i]!);
  }

  loss(theta: Float64Array): number {
    return 0.5 * this.residuals(theta).reduce((s, r) => s + r * r, 0);
  }

  /** Row-major [points][P]; at other points when `x` is given. */
  jacobian(theta: Float64Array, x: Float64Array = this.x): Float64Array {
    const { d, h, size } = this;
    const n = x.length / d;
    const other = new ReluMlp(d, h, x, new Float64Array(n));
    const jac = new Float64Array(n * size);
    for (let i = 0; i < n; i++) {
      const z = other.hidden(theta, i);
      const row = i * size;
      for (let j = 0; j < h; j++) {
        const on = z[j]! > 0 ? 1 : 0;
        const w2 = theta[h * d + h + j]!;
        for (let k = 0; k < d; k++) jac[row + j * d + k] = w2 * on * x[i * d + k]!;
        jac[row + h * d + j] = w2 * on;
        jac[row + h * d + h + j] = Math.max(z[j]!, 0);
      }
      jac[row + size - 1] = 1;
    }
    return jac;
  }

  gradient(theta: Float64Array): Float64Array {
    const r = this.residuals(theta);
    const jac = this.jacobian(theta);
    const g = new Float64Array(this.size);
    for (let i = 0; i < this.points; i++) for (let p = 0; p < this.size; p++) g[p]! += r[i]! * jac[i * this.size + p]!;
    return g;
  }

  /** The exact Hessian, row-major P×P. */
  hessian(theta: Float64Array): Float64Array {
    const { d, h, size } = this;
    const r = this.residuals(theta);
    const jac = this.jacobian(theta);
    const hess = new Float64Array(size * size);
    for (let i = 0; i < this.points; i++) {
      for (let p = 0; p < size; p++) {
        const jp = jac[i * size + p]!;
        if (jp === 0) continue;
        for (let q = 0; q < size; q++) hess[p * size + q]! += jp * jac[i * size + q]!;
      }
      const z = this.hidden(theta, i);
      for (let j = 0; j < h; j++) {
        if (!(z[j]! > 0)) continue;
        const w2 = h * d + h + j;
        const add = (p: number, v: number) => { hess[w2 * size + p]! += r[i]! * v; hess[p * size + w2]! += r[i]! * v; };
        for (let k = 0; k < d; k++) add(j * d + k, this.x[i * d + k]!);
        add(h * d + j, 1);
      }
    }
    return hess;
  }

  /**
   * Damped Gauss–Newton, minimum-norm steps δ = Jᵀ(JJᵀ + μI)⁻¹r (N < P), μ adapted; stops when
   * L < `target` or after `steps`. Returns the final parameters.
   */
  train(theta0: Float64Array, target = 1e-26, steps = 300): Float64Array {
    let theta = Float64Array.from(theta0);
    let loss = this.loss(theta);
    let mu = 1e-3;
    const n = this.points;
    for (let s = 0; s < steps && loss > target; s++) {
      const jac = this.jacobian(theta);
      const r = this.residuals(theta);
      const gram = new Float64Array(n * n);
      for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) {
        let t = a === b ? mu : 0;
        for (let p = 0; p < this.size; p++) t += jac[a * this.size + p]! * jac[b * this.size + p]!;
        gram[a * n + b] = t;
      }
      const c = choleskySolve(gram, r, n);
      const next = Float64Array.from(theta);
      for (let a = 0; a < n; a++) for (let p = 0; p < this.size; p++) next[p]! -= jac[a * this.size + p]! * c[a]!;
      const nextLoss = this.loss(next);
      if (nextLoss < loss) { theta = next; loss = nextLoss; mu = Math.max(mu / 10, 1e-15); } else mu *= 10;
    }
    return theta;
  }
}

function choleskySolve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
    let s = a[i * n + j]!;
    for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
    l[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-300)) : s / l[j * n + j]!;
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) { let s = b[i]!; for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!; y[i] = s / l[i * n + i]!; }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) { let s = y[i]!; for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!; x[i] = s / l[i * n + i]!; }
  return x;
}
