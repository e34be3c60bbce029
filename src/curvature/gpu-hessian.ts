// Hessian-vector products of a network's mean loss (cross-entropy or squared error) on the GPU, by reverse mode through
// an order-1 jet in PARAMETER space. With every weight a jet W(t) = W + t·V (V the direction's
// part for that tensor) and the inputs constant, the loss along the line is
//   L(θ + t·v) = L(θ) + t·∇L(θ)·v + …,   so c₁ = ∇L·v.
// The cotangent of c₁ alone, taken back through the same jet kernels, lands in each weight's
// order-0 slot as ∂c₁/∂W = (H·v)_W and in its order-1 slot as ∂c₁/∂V = ∇L_W: one pass gives the
// product and the gradient, exactly (no difference quotient), with f32 rounding only.
//
// Every layer of the model file is covered (src/curvature/parameter-line.ts runs it along the
// line): dense, conv2d, max-pool, flatten, BatchNorm in eval mode and every activation.
import { uploadLabels } from '../../kernels/softmax-xent.js';
import { differentiable } from '../autodiff/ops.js';
import { Streaming, Tape, type Recorder } from '../autodiff/tape.js';
import { JetcurveError } from '../errors.js';
import type { Engine } from '../gpu/engine.js';
import { Jet } from '../jet/jet.js';
import { featureCount } from '../jet/layout.js';
import type { Model } from '../model/model.js';
import { layoutBlocks, parameterLayout, type ParameterLayout } from '../model/parameter-layout.js';
import type { ParameterBlock, SymmetricOperator } from './operator.js';
import { readParameterLine, recordParameterLine } from './parameter-line.js';

/**
 * `xent`: the mean softmax cross-entropy with the labels; `mse`: the squared error
 * (1/2N)·Σ‖f(x) − y‖² of the logits against the targets (one-hot labels when none are given).
 */
export type HessianLoss = 'xent' | 'mse';

/** Targets as a jet of the logits' shape: c₀ = y, every higher order 0 (they do not move with t). */
function targetJet(engine: Engine, targets: Float32Array, rows: number, order: number, outputs: number): Jet {
  const data = new Float32Array(rows * (order + 1) * outputs);
  for (let r = 0; r < rows; r++) data.set(targets.subarray(r * outputs, (r + 1) * outputs), r * (order + 1) * outputs);
  return Jet.fromArray(engine, data, rows, order, [outputs]);
}

/** ½‖z − y‖² per row, from the registry's ops (sub, mul, sumFeatures, scale); y gets no cotangent. */
function squaredError(recorder: Recorder, z: Jet, y: Jet): Jet {
  const d = differentiable.sub(recorder, z, y);
  return differentiable.scale(recorder, differentiable.sumFeatures(recorder, differentiable.mul(recorder, d, d)), 0.5);
}

export interface HessianPass {
  /** H·v. */
  readonly hv: Float64Array;
  /** ∇L (the same for every v). */
  readonly gradient: Float64Array;
  /** L(θ), the mean loss. */
  readonly loss: number;
}

/** What the loss compares the logits with. */
export interface HessianTargets {
  /** Class indices, one per point: the cross-entropy's labels, and mse's one-hot targets when `targets` is absent. */
  readonly labels?: ArrayLike<number> | null;
  /** Real targets for mse, row-major [points][outputs]. */
  readonly targets?: ArrayLike<number> | null;
}

/**
 * The Hessian of the mean loss of `model` over the points `inputs` (row-major [points][input
 * size]), as an operator on the model's parameter vector (src/model/parameter-layout.ts: layer
 * by layer, weight then bias, the order of Model.parameters).
 */
export class GpuHessian implements SymmetricOperator {
  readonly size: number;
  readonly blocks: readonly ParameterBlock[];
  readonly layout: ParameterLayout;
  private readonly engine: Engine;
  private readonly outputs: number;

  private constructor(private readonly model: Model, private readonly theta: Float32Array, private readonly inputs: Float32Array,
    private readonly points: number, private readonly labels: Uint32Array | null, private readonly targets: Float32Array | null, readonly loss: HessianLoss) {
    this.engine = model.engine;
    this.layout = parameterLayout(model.spec);
    this.size = theta.length;
    this.blocks = layoutBlocks(this.layout);
    this.outputs = featureCount(model.outputShape);
  }

  /**
   * Reads the model's weights once (they stay as they are while the operator is used). `labels`
   * are class indices, or { labels, targets }: mse compares the logits with `targets`
   * (row-major [points][outputs]) where given, with one-hot labels otherwise.
   */
  static async of(model: Model, inputs: ArrayLike<number>, labels: ArrayLike<number> | HessianTargets | null, loss: HessianLoss = 'xent'): Promise<GpuHessian> {
    const given: HessianTargets = labels === null ? {} : 'length' in labels ? { labels } : labels;
    const size = featureCount(model.inputShape);
    const outputs = featureCount(model.outputShape);
    const n = inputs.length / size;
    if (n === 0 || !Number.isInteger(n)) {
      throw new JetcurveError(`${inputs.length} input values are not whole points of ${size} values`, `pass [points][${size}] row-major, at least one point`);
    }
    const classes = given.labels ? Uint32Array.from(given.labels) : null;
    if (classes && classes.length !== n) {
      throw new JetcurveError(`${classes.length} labels need ${classes.length * size} input values (${size} per point), got ${inputs.length}`, 'pass one row of inputs per label');
    }
    const targets = loss === 'mse' && given.targets ? Float32Array.from(given.targets) : null;
    if (targets && targets.length !== n * outputs) {
      throw new JetcurveError(`the targets hold ${targets.length} values; ${n} points of a model with ${outputs} outputs need ${n * outputs}`,
        `give each point ${outputs} target values, one per output of the model`);
    }
    if (!classes && !targets) {
      throw new JetcurveError(loss === 'xent' ? 'the cross-entropy needs class labels' : 'the squared error needs targets or class labels (one-hot targets)',
        loss === 'xent' ? 'pass one label per point' : 'pass targets [points][outputs] or one label per point');
    }
    const values = await model.readParameters();
    const theta = new Float32Array(values.reduce((s, v) => s + v.length, 0));
    let at = 0;
    for (const v of values) {
      theta.set(v, at);
      at += v.length;
    }
    const oneHot = (c: Uint32Array) => {
      const y = new Float32Array(n * outputs);
      c.forEach((label, r) => {
        if (label >= outputs) throw new JetcurveError(`label ${label} of point ${r} is not below the model's ${outputs} outputs`, 'number the classes 0..outputs−1');
        y[r * outputs + label] = 1;
      });
      return y;
    };
    return new GpuHessian(model, theta, Float32Array.from(inputs), n, classes, loss === 'mse' ? targets ?? oneHot(classes!) : null, loss);
  }

  async apply(vectors: readonly Float64Array[]): Promise<Float64Array[]> {
    return (await this.passes(vectors)).map((p) => p.hv);
  }

  /** H·v, ∇L and L from one pass. */
  async pass(v: Float64Array): Promise<HessianPass> {
    return (await this.passes([v]))[0]!;
  }

  /**
   * One pass per vector, all recorded before anything is read back: the GPU runs them back to
   * back and the host waits once. Each pass's buffers go back to the pool as soon as its reads
   * are queued (the pool hands them only to later work, which the queue orders after).
   */
  async passes(vectors: readonly Float64Array[]): Promise<HessianPass[]> {
    const n = this.points;
    // The cotangent of c₁ of the mean loss: 1/n on every row's order-1 coefficient.
    const seedData = new Float32Array(n * 2);
    for (let r = 0; r < n; r++) seedData[r * 2 + 1] = 1 / n;
    const pending = vectors.map((v) => {
      const tape = new Tape();
      const run = this.record(tape, v, 1, true);
      try {
        const values = run.loss.read();
        const seed = Jet.fromArray(this.engine, seedData, n, 1, [1]);
        tape.backward(run.loss, seed);
        seed.release();
        return { values, parts: readParameterLine(this.engine, run.readbacks, this.size) };
      } finally {
        tape.release();
        run.release();
      }
    });
    const out: HessianPass[] = [];
    for (const { values, parts } of pending) {
      const { hv, gradient } = await parts;
      const loss = await values;
      let sum = 0;
      for (let r = 0; r < n; r++) sum += loss[r * 2]!;
      out.push({ hv, gradient, loss: sum / n });
    }
    return out;
  }

  /**
   * The normalized Taylor coefficients c₀..c_K of t ↦ L(θ + t·s·v) (the mean loss), computed
   * with the weights as order-1 jets and the inputs as order-K jets with only c₀ (every
   * coefficient comes out of the jet kernels); the host divides by sᵏ.
   */
  async lossSeries(v: Float64Array, order: number, scale = 1): Promise<Float64Array> {
    const recorder = new Streaming();
    const run = this.record(recorder, Float64Array.from(v, (x) => x * scale), order, false);
    try {
      const values = await run.loss.read();
      run.loss.release();
      const n = this.points;
      const c = new Float64Array(order + 1);
      for (let r = 0; r < n; r++) for (let k = 0; k <= order; k++) c[k]! += values[r * (order + 1) + k]! / n;
      for (let k = 1; k <= order; k++) c[k]! /= scale ** k;
      return c;
    } finally {
      run.release();
    }
  }

  /** The pass along v on `recorder`: inputs of order `order` (c₀ only), weights θ + t·v. */
  private record(recorder: Recorder, v: Float64Array, order: number, withGrads: boolean) {
    if (v.length !== this.size) throw new JetcurveError(`a vector of length ${v.length} for ${this.size} parameters`, `pass vectors of length ${this.size}`);
    const engine = this.engine;
    const n = this.points;
    const size = featureCount(this.model.inputShape);
    const x = new Float32Array(n * (order + 1) * size);
    for (let r = 0; r < n; r++) x.set(this.inputs.subarray(r * size, (r + 1) * size), r * (order + 1) * size);
    const input = Jet.fromArray(engine, x, n, order, this.model.inputShape);
    const line = recordParameterLine(recorder, this.model, this.layout, this.theta, Float32Array.from(v), input, withGrads);
    const labels = this.loss === 'xent' ? uploadLabels(engine, this.labels!, this.outputs) : null;
    const targets = this.targets ? targetJet(engine, this.targets, n, order, this.outputs) : null;
    const loss = targets ? squaredError(recorder, line.output, targets) : differentiable.softmaxCrossEntropy(recorder, line.output, labels!);
    return {
      loss, readbacks: line.readbacks,
      release: () => {
        input.release();
        targets?.release();
        if (labels) engine.pool.release(labels);
        line.release();
      },
    };
  }
}
