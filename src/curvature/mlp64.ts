// An independent float64 Hessian-vector product for MLP model specs (dense layers with tanh,
// relu or sigmoid, softmax cross-entropy averaged over the points, as training uses): the
// reference the GPU product is to be checked against, and an operator for the estimators.
//
// The product is Pearlmutter's R-operator: the forward pass and the backward pass are
// differentiated once more along the direction v (forward-over-reverse), which gives H·v exactly
// (to float64 rounding) at the cost of about two gradients. Parameters are ordered as the
// GPU model's (Model.parameters): layer by layer, weight ([out][in], row-major) then bias; one block per tensor,
// named `layer<i>.weight` / `layer<i>.bias` like the model's Parameters.
import { JetcurveError } from '../errors.js';
import type { ActivationType, ModelSpec } from '../model/spec.js';
import type { ParameterBlock, SymmetricOperator } from './operator.js';

type Step =
  | { readonly kind: 'dense'; readonly inputs: number; readonly outputs: number; readonly weight: number; readonly bias: number }
  | { readonly kind: ActivationType };

export interface MlpLoss extends SymmetricOperator {
  readonly blocks: readonly ParameterBlock[];
  /** The parameters θ (float64 copies of the spec's weights). */
  readonly parameters: Float64Array;
  /** Outputs (classes) per point. */
  readonly outputs: number;
  /** Mean cross-entropy at θ. */
  loss(): number;
  gradient(): Float64Array;
  /**
   * J_Z of the network's outputs (logits) at the points (default: the loss's own), row-major
   * [points·outputs][P], for the batch functional rank.
   */
  jacobian(points?: ArrayLike<number>): Float64Array;
  /** The outputs (logits) at the points, row-major [points][outputs]. */
  predict(points?: ArrayLike<number>): Float64Array;
}

function wholePoints(values: number, inputSize: number): number {
  if (values % inputSize !== 0) throw new JetcurveError(`${values} input values are not whole points of ${inputSize}`, `pass [points][${inputSize}] row-major`);
  return values / inputSize;
}

/**
 * `inputs` row-major [points][features], `labels` class indices. `parameters` (float64, in the
 * operator's order) replaces the spec's float32 weights, e.g. to differentiate numerically.
 */
export function mlpLoss(spec: ModelSpec, inputs: ArrayLike<number>, labels: ArrayLike<number>, parameters?: Float64Array): MlpLoss {
  const compiled = compile(spec);
  const { steps, blocks, inputSize, classes } = compiled;
  if (parameters && parameters.length !== compiled.parameters.length) {
    throw new JetcurveError(`${parameters.length} parameters given for a model with ${compiled.parameters.length}`, 'pass one value per weight and bias, in layer order');
  }
  const theta = parameters ? Float64Array.from(parameters) : compiled.parameters;
  const n = labels.length;
  if (inputs.length !== n * inputSize) {
    throw new JetcurveError(`${n} labels need ${n * inputSize} input values (${inputSize} per point), got ${inputs.length}`, 'pass one row of inputs per label');
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isInteger(labels[i]) || labels[i]! < 0 || labels[i]! >= classes) throw new JetcurveError(`label ${labels[i]} at point ${i} is not a class of 0..${classes - 1}`, 'pass class indices');
  }
  const x = Float64Array.from(inputs);
  const size = theta.length;
  const run = (v: Float64Array | null) => pass(steps, theta, v, x, labels, n, classes, size);
  return {
    size,
    blocks,
    parameters: theta,
    outputs: classes,
    loss: () => run(null).loss,
    gradient: () => run(null).gradient,
    predict(points = x) {
      return forward(steps, theta, null, Float64Array.from(points), wholePoints(points.length, inputSize)).output;
    },
    jacobian(points = x) {
      return outputJacobian(steps, theta, Float64Array.from(points), wholePoints(points.length, inputSize), inputSize, classes);
    },
    async apply(vectors) {
      return vectors.map((v) => {
        if (v.length !== size) throw new JetcurveError(`a vector of length ${v.length} for ${size} parameters`, `pass vectors of length ${size}`);
        return run(v).hv!;
      });
    },
  };
}

function compile(spec: ModelSpec) {
  const steps: Step[] = [];
  const blocks: ParameterBlock[] = [];
  const values: number[] = [];
  let width = spec.input.reduce((a, b) => a * b, 1);
  const inputSize = width;
  spec.layers.forEach((layer, i) => {
    switch (layer.type) {
      case 'dense': {
        const [outputs, inputs] = layer.weight.shape as [number, number];
        if (inputs !== width) throw new JetcurveError(`layer ${i} (dense) takes ${inputs} inputs but receives ${width}`, 'fix the model spec');
        const weight = values.length;
        blocks.push({ name: `layer${i}.weight`, offset: weight, size: outputs * inputs });
        values.push(...layer.weight.data);
        const bias = values.length;
        blocks.push({ name: `layer${i}.bias`, offset: bias, size: outputs });
        values.push(...layer.bias.data);
        steps.push({ kind: 'dense', inputs, outputs, weight, bias });
        width = outputs;
        break;
      }
      case 'flatten':
        break;
      case 'tanh':
      case 'relu':
      case 'sigmoid':
        steps.push({ kind: layer.type });
        break;
      default:
        throw new JetcurveError(`layer ${i} (${layer.type}) is not supported by the float64 MLP Hessian`, 'use dense layers with tanh, relu or sigmoid (a flatten first is fine)');
    }
  });
  return { steps, blocks, parameters: Float64Array.from(values), inputSize, classes: width };
}

/** σ(z), σ'(z), σ''(z) elementwise. */
function activation(kind: ActivationType, z: Float64Array): [Float64Array, Float64Array, Float64Array] {
  const a = new Float64Array(z.length);
  const d1 = new Float64Array(z.length);
  const d2 = new Float64Array(z.length);
  for (let i = 0; i < z.length; i++) {
    if (kind === 'tanh') {
      const t = Math.tanh(z[i]!);
      a[i] = t; d1[i] = 1 - t * t; d2[i] = -2 * t * (1 - t * t);
    } else if (kind === 'sigmoid') {
      const s = 1 / (1 + Math.exp(-z[i]!));
      a[i] = s; d1[i] = s * (1 - s); d2[i] = s * (1 - s) * (1 - 2 * s);
    } else {
      a[i] = Math.max(z[i]!, 0); d1[i] = z[i]! > 0 ? 1 : 0; d2[i] = 0;
    }
  }
  return [a, d1, d2];
}

interface Saved {
  readonly input: Float64Array;
  readonly rInput: Float64Array | null;
  readonly d1?: Float64Array;
  readonly d2?: Float64Array;
}

/**
 * The forward pass over n points (activations [points][width], row-major), with its R-pass
 * along v when given; keeps what the backward pass needs: each layer's input and its R, each
 * activation's σ' and σ''.
 */
function forward(steps: readonly Step[], theta: Float64Array, v: Float64Array | null, x: Float64Array, n: number) {
  let a = x;
  let ra: Float64Array | null = v ? new Float64Array(x.length) : null;
  const saved: Saved[] = [];
  for (const step of steps) {
    if (step.kind === 'dense') {
      const { inputs, outputs, weight, bias } = step;
      saved.push({ input: a, rInput: ra });
      const z = new Float64Array(n * outputs);
      const rz = v ? new Float64Array(n * outputs) : null;
      for (let p = 0; p < n; p++) {
        for (let o = 0; o < outputs; o++) {
          let s = theta[bias + o]!;
          let r = v ? v[bias + o]! : 0;
          for (let k = 0; k < inputs; k++) {
            const w = weight + o * inputs + k;
            s += theta[w]! * a[p * inputs + k]!;
            if (v) r += v[w]! * a[p * inputs + k]! + theta[w]! * ra![p * inputs + k]!;
          }
          z[p * outputs + o] = s;
          if (rz) rz[p * outputs + o] = r;
        }
      }
      a = z;
      ra = rz;
    } else {
      const [out, d1, d2] = activation(step.kind, a);
      saved.push({ input: a, rInput: ra, d1, d2 });
      ra = ra ? ra.map((r, i) => r * d1[i]!) : null;
      a = out;
    }
  }
  return { output: a, rOutput: ra, saved };
}

/**
 * The backward pass from δ = ∂(objective)/∂(output) (and its R, for H·v), accumulating the
 * gradient (and H·v) over the n points into `gradient` (and `hv`).
 */
function backward(steps: readonly Step[], theta: Float64Array, v: Float64Array | null, saved: readonly Saved[], outputDelta: Float64Array, outputRDelta: Float64Array | null, n: number, gradient: Float64Array, hv: Float64Array | null): void {
  let delta = outputDelta;
  let rDelta = outputRDelta;
  for (let s = steps.length - 1; s >= 0; s--) {
    const step = steps[s]!;
    const { input, rInput, d1, d2 } = saved[s]!;
    if (step.kind === 'dense') {
      const { inputs, outputs, weight, bias } = step;
      const prev = new Float64Array(n * inputs);
      const rPrev = hv ? new Float64Array(n * inputs) : null;
      for (let p = 0; p < n; p++) {
        for (let o = 0; o < outputs; o++) {
          const d = delta[p * outputs + o]!;
          const rd = rDelta ? rDelta[p * outputs + o]! : 0;
          gradient[bias + o]! += d;
          if (hv) hv[bias + o]! += rd;
          for (let k = 0; k < inputs; k++) {
            const w = weight + o * inputs + k;
            gradient[w]! += d * input[p * inputs + k]!;
            prev[p * inputs + k]! += theta[w]! * d;
            if (hv) {
              hv[w]! += rd * input[p * inputs + k]! + d * rInput![p * inputs + k]!;
              rPrev![p * inputs + k]! += v![w]! * d + theta[w]! * rd;
            }
          }
        }
      }
      delta = prev;
      rDelta = rPrev;
    } else {
      // δ_z = δ_a ⊙ σ'(z);  R(δ_z) = R(δ_a) ⊙ σ'(z) + δ_a ⊙ σ''(z) ⊙ R(z).
      const current = delta;
      if (rDelta) rDelta = rDelta.map((rd, i) => rd * d1![i]! + current[i]! * d2![i]! * rInput![i]!);
      delta = current.map((d, i) => d * d1![i]!);
    }
  }
}

/** Mean softmax cross-entropy over all points, its gradient and (with v) H·v. */
function pass(steps: readonly Step[], theta: Float64Array, v: Float64Array | null, x: Float64Array, labels: ArrayLike<number>, n: number, classes: number, size: number) {
  const { output, rOutput, saved } = forward(steps, theta, v, x, n);
  // δ = (p − onehot)/n, R(δ) = p ⊙ (R(logits) − pᵀR(logits))/n.
  let loss = 0;
  const delta = new Float64Array(n * classes);
  const rDelta: Float64Array | null = v ? new Float64Array(n * classes) : null;
  for (let p = 0; p < n; p++) {
    const row = output.subarray(p * classes, (p + 1) * classes);
    const max = row.reduce((m, t) => Math.max(m, t), -Infinity);
    let sum = 0;
    for (const t of row) sum += Math.exp(t - max);
    const label = labels[p]!;
    loss += -(row[label]! - max - Math.log(sum));
    const prob = Array.from(row, (t) => Math.exp(t - max) / sum);
    let pr = 0;
    if (rOutput) for (let c = 0; c < classes; c++) pr += prob[c]! * rOutput[p * classes + c]!;
    for (let c = 0; c < classes; c++) {
      delta[p * classes + c] = (prob[c]! - (c === label ? 1 : 0)) / n;
      if (rDelta) rDelta[p * classes + c] = (prob[c]! * (rOutput![p * classes + c]! - pr)) / n;
    }
  }
  const gradient = new Float64Array(size);
  const hv = v ? new Float64Array(size) : null;
  backward(steps, theta, v, saved, delta, rDelta, n, gradient, hv);
  return { loss: loss / n, gradient, hv };
}

/** J_Z: row (point p, output c) is ∇_θ f_c(x_p); one backward pass per row. */
function outputJacobian(steps: readonly Step[], theta: Float64Array, x: Float64Array, n: number, inputSize: number, classes: number): Float64Array {
  const size = theta.length;
  const jac = new Float64Array(n * classes * size);
  for (let p = 0; p < n; p++) {
    const { saved } = forward(steps, theta, null, x.subarray(p * inputSize, (p + 1) * inputSize), 1);
    for (let c = 0; c < classes; c++) {
      const seed = new Float64Array(classes);
      seed[c] = 1;
      backward(steps, theta, null, saved, seed, null, 1, jac.subarray((p * classes + c) * size, (p * classes + c + 1) * size), null);
    }
  }
  return jac;
}
