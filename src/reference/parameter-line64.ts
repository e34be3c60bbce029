// The float64 oracle of parameter-space curvature for any model: the loss along a line θ + t·v in
// parameter space as a Taylor series, from the reference ops of this folder walked by the same
// interpret() as the GPU. Each layer with parameters is linear in them, so along the line it is
// f(x; θ) + t·f(x; v) exactly (t· shifts a series up one order); no reverse mode is involved.
// From the series: c₁ = ∇L·v, 2c₂ = vᵀHv, and the dense Hessian by polarization,
//   H_ij = ½(D²(eᵢ + eⱼ) − D²eᵢ − D²eⱼ),  D²v = 2c₂ along v,
// symmetric by construction. Slow and obvious on purpose: P(P + 1)/2 forward passes.
import { activation } from '../../kernels/index.js';
import { featureCount } from '../jet/layout.js';
import { interpret } from '../model/interpret.js';
import { layerSlices, parameterLayout, type ParameterLayout } from '../model/parameter-layout.js';
import { inferShapes } from '../model/shapes.js';
import type { ModelSpec } from '../model/spec.js';
import { batchnormEval64 } from './batchnorm64.js';
import { conv2d64, maxpool2d64 } from './conv64.js';
import { dense64, jet64, mapSeries, mulSeries, type Jet64 } from './jet64.js';
import { softmaxCrossEntropy64 } from './loss64.js';

/** a + t·b, order by order (b's top coefficient falls off). */
function plusShifted(a: Jet64, b: Jet64): Jet64 {
  const F = featureCount(a.shape);
  const K = a.order;
  const y = jet64(a.rows, K, a.shape, Float64Array.from(a.data));
  for (let r = 0; r < a.rows; r++) {
    for (let k = 1; k <= K; k++) {
      const to = (r * (K + 1) + k) * F;
      const from = (r * (K + 1) + k - 1) * F;
      for (let f = 0; f < F; f++) y.data[to + f]! += b.data[from + f]!;
    }
  }
  return y;
}

/** The logits at `inputs` (row-major [points][features]) along θ + t·v, to order K. */
export function logitsAlongLine64(spec: ModelSpec, theta: Float64Array, v: Float64Array, inputs: ArrayLike<number>, order: number,
  layout: ParameterLayout = parameterLayout(spec)): Jet64 {
  const shapes = inferShapes(spec);
  const size = featureCount(spec.input);
  const rows = inputs.length / size;
  const x = jet64(rows, order, spec.input);
  for (let r = 0; r < rows; r++) for (let i = 0; i < size; i++) x.data[r * (order + 1) * size + i] = inputs[r * size + i]!;
  const line = (i: number, apply: (p: { weight: Float64Array; bias: Float64Array }) => Jet64): Jet64 => {
    const at = layerSlices(layout, i, theta) as { weight: Float64Array; bias: Float64Array };
    const along = layerSlices(layout, i, v) as { weight: Float64Array; bias: Float64Array };
    return plusShifted(apply(at), apply(along));
  };
  return interpret<Jet64>(spec, shapes, x, {
    dense: (h, layer, i) => {
      const [outputs, inputsOf] = layer.weight.shape as [number, number];
      return line(i, (p) => dense64(h, p.weight, p.bias, inputsOf, outputs));
    },
    conv2d: (h, layer, i) => {
      const [outChannels, inChannels, kernelH, kernelW] = layer.weight.shape as [number, number, number, number];
      return line(i, (p) => conv2d64(h, p.weight, p.bias, { inChannels, outChannels, kernelH, kernelW, stride: layer.stride, padding: layer.padding }));
    },
    batchnorm: (h, layer, i) => line(i, (p) => batchnormEval64(h, {
      ...p, runningMean: Float64Array.from(layer.runningMean.data), runningVar: Float64Array.from(layer.runningVar.data), eps: Math.fround(layer.eps),
    })),
    maxpool2d: (h, layer) => maxpool2d64(h, layer.size, layer.stride),
    flatten: (h, shape) => ({ ...h, shape }),
    activation: (h, type) => { const op = activation(type); return mapSeries(h, (c) => op.series64(c)); },
  });
}

/** What the loss compares the logits with: class labels (xent, or one-hot mse) or real targets [points][outputs] (mse). */
export interface LossTargets64 {
  readonly loss: 'xent' | 'mse';
  readonly labels?: ArrayLike<number>;
  readonly targets?: ArrayLike<number>;
}

/** The mean loss's series c₀..c_K from the logits' series. */
export function meanLossSeries64(logits: Jet64, t: LossTargets64): Float64Array {
  const { rows, order: K } = logits;
  const outputs = featureCount(logits.shape);
  const c = new Float64Array(K + 1);
  if (t.loss === 'xent') {
    const l = softmaxCrossEntropy64(logits, Uint32Array.from(t.labels!));
    for (let r = 0; r < rows; r++) for (let k = 0; k <= K; k++) c[k]! += l.data[r * (K + 1) + k]! / rows;
    return c;
  }
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outputs; o++) {
      const y = t.targets ? t.targets[r * outputs + o]! : (t.labels![r] === o ? 1 : 0);
      const d = Float64Array.from({ length: K + 1 }, (_, k) => logits.data[(r * (K + 1) + k) * outputs + o]! - (k === 0 ? y : 0));
      const sq = mulSeries(d, d);
      for (let k = 0; k <= K; k++) c[k]! += (0.5 * sq[k]!) / rows;
    }
  }
  return c;
}

/** The float64 loss of a model as a function of its parameters, with its series along lines. */
export class ParameterLoss64 {
  readonly layout: ParameterLayout;
  readonly size: number;

  constructor(readonly spec: ModelSpec, readonly theta: Float64Array, readonly inputs: ArrayLike<number>, readonly targets: LossTargets64) {
    this.layout = parameterLayout(spec);
    this.size = this.layout.size;
    if (theta.length !== this.size) throw new Error(`θ of length ${theta.length} for a model of ${this.size} parameters`);
  }

  /** c₀..c_K of t ↦ L(θ + t·v). */
  series(v: Float64Array, order: number): Float64Array {
    return meanLossSeries64(logitsAlongLine64(this.spec, this.theta, v, this.inputs, order, this.layout), this.targets);
  }

  /** L at θ + h (order 0: the plain float64 loss, for difference quotients). */
  lossAt(shift: Float64Array): number {
    const moved = this.theta.map((x, i) => x + shift[i]!);
    return meanLossSeries64(logitsAlongLine64(this.spec, moved, new Float64Array(this.size), this.inputs, 0, this.layout), this.targets)[0]!;
  }

  gradient(): Float64Array {
    return Float64Array.from({ length: this.size }, (_, i) => this.series(unit(this.size, i), 1)[1]!);
  }

  /** The dense Hessian, row-major P×P, by polarization of D²v = 2c₂ along v. */
  hessian(): Float64Array {
    const n = this.size;
    const d2 = (v: Float64Array) => 2 * this.series(v, 2)[2]!;
    const diagonal = Float64Array.from({ length: n }, (_, i) => d2(unit(n, i)));
    const h = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      h[i * n + i] = diagonal[i]!;
      for (let j = i + 1; j < n; j++) {
        const e = unit(n, i);
        e[j] = 1;
        h[i * n + j] = h[j * n + i] = 0.5 * (d2(e) - diagonal[i]! - diagonal[j]!);
      }
    }
    return h;
  }

  /**
   * J_Z, the Jacobian of every logit at every point with respect to θ, row-major
   * [points·outputs][P]: column j is c₁ of the logits along eⱼ.
   */
  jacobian(): Float64Array {
    const n = this.size;
    let out: Float64Array | null = null;
    for (let j = 0; j < n; j++) {
      const logits = logitsAlongLine64(this.spec, this.theta, unit(n, j), this.inputs, 1, this.layout);
      const outputs = featureCount(logits.shape);
      out ??= new Float64Array(logits.rows * outputs * n);
      for (let r = 0; r < logits.rows; r++) for (let o = 0; o < outputs; o++) out[(r * outputs + o) * n + j] = logits.data[(r * 2 + 1) * outputs + o]!;
    }
    return out!;
  }
}

function unit(n: number, i: number): Float64Array {
  const e = new Float64Array(n);
  e[i] = 1;
  return e;
}
