// TF.js's Hessian-vector product of the mean cross-entropy, the baseline of the curvature bench:
// double backward, Hv = ∇_θ ⟨∇L(θ), v⟩ (TF.js has no forward mode, so forward-over-reverse is
// not on offer). The weights are TF.js tensors made from a model spec; vectors come and go in our
// parameter layout (src/model/parameter-layout.ts), conv2d filters transposed on the way, so the
// same vector means the same direction on both sides.
import * as tf from '@tensorflow/tfjs-core';
import type { SymmetricOperator, ParameterBlock } from '../src/curvature/operator.js';
import { layoutBlocks, parameterLayout, type ParameterLayout } from '../src/model/parameter-layout.js';
import type { ModelSpec } from '../src/model/spec.js';
import { ourFilter, tfFilter, tfInput, tfNetwork, type TfNetworkOptions, type TfNetworkParts } from './tfjs.js';

// exp's gradient reuses the op's output, which a second tf.grad cannot follow (see tanhN in
// tfjs.ts); this one recomputes it from the saved input.
const expN: (z: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [z, save] = args as [tf.Tensor, tf.GradSaveFunc];
  save([z]);
  return { value: tf.exp(z), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, expN(saved[0]!)) };
});

// The row maximum that keeps exp from overflowing, as a constant: log-sum-exp does not depend on
// it, so its derivative (of any order) is zero, and TF.js's max gradient (through Equal, which
// has none of its own) never enters the tape.
const constantMax: (z: tf.Tensor) => tf.Tensor = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const z = args[0] as tf.Tensor;
  return { value: tf.max(z, 1, true), gradFunc: () => tf.zerosLike(z) };
});

/** Mean over rows of log Σ exp(z) − z_label, from ops whose gradients nest. */
export function meanCrossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  const m = constantMax(logits);
  const lse = tf.add(tf.squeeze(m, [1]), tf.log(tf.sum(expN(tf.sub(logits, m)), 1)));
  return tf.mean(tf.sub(lse, tf.sum(tf.mul(logits, oneHot), 1))) as tf.Scalar;
}

export class TfHessian implements SymmetricOperator {
  readonly size: number;
  readonly blocks: readonly ParameterBlock[];
  private readonly layout: ParameterLayout;
  private readonly parts: TfNetworkParts;
  private readonly x: tf.Tensor;
  private readonly oneHot: tf.Tensor2D;

  /** `inputs` row-major [points][input size] (C,H,W for images), `labels` one class per point; on the current backend. */
  constructor(spec: ModelSpec, inputs: Float32Array, labels: Uint32Array, options: TfNetworkOptions = {}) {
    this.layout = parameterLayout(spec);
    this.size = this.layout.size;
    this.blocks = layoutBlocks(this.layout);
    this.parts = tfNetwork(spec, options);
    this.x = tfInput(spec, inputs, labels.length);
    const classes = tf.tidy(() => this.parts.net(tf.zeros([1, ...this.x.shape.slice(1)])).shape[1]);
    this.oneHot = tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), classes, 1, 0, 'float32') as tf.Tensor2D);
  }

  private loss(weights: readonly tf.Tensor[]): tf.Scalar {
    return meanCrossEntropy(this.parts.netWith(this.x, weights), this.oneHot);
  }

  /** The network's tensors with the trainable ones replaced by `trainable` (parameter-layout order). */
  private withTrainable(trainable: readonly tf.Tensor[]): tf.Tensor[] {
    const all = [...this.parts.weights];
    this.parts.parameters.forEach((at, i) => { all[at] = trainable[i]!; });
    return all;
  }

  private trainable(): tf.Tensor[] {
    return this.parts.parameters.map((at) => this.parts.weights[at]!);
  }

  /** L and ∇L (TF.js's layouts) by one backward pass, recorded, not read. */
  private valueAndGradients(): { value: tf.Scalar; grads: tf.Tensor[] } {
    return tf.valueAndGrads((...w: tf.Tensor[]) => this.loss(this.withTrainable(w)))(this.trainable());
  }

  /** L and ∇L by one backward pass, waiting for the GPU; ∇L in our layout. */
  async gradient(): Promise<{ loss: number; gradient: Float64Array }> {
    const { value, grads } = tf.tidy(() => {
      const r = this.valueAndGradients();
      return { value: r.value, grads: this.toOurs(r.grads) };
    });
    try {
      return { loss: (await value.data())[0]!, gradient: await this.read(grads) };
    } finally {
      tf.dispose([value, ...grads]);
    }
  }

  /** One gradient pass, waiting only for the loss (what our gradient row waits for). */
  async gradientOnly(): Promise<void> {
    const { value, grads } = tf.tidy(() => this.valueAndGradients());
    try {
      await value.data();
    } finally {
      tf.dispose([value, ...grads]);
    }
  }

  /** H·v by double backward for each v, all recorded before anything is read back. */
  async apply(vectors: readonly Float64Array[]): Promise<Float64Array[]> {
    const results = vectors.map((v) => tf.tidy(() => {
      const dirs = this.fromOurs(v);
      const grads = tf.grads((...w: tf.Tensor[]) => this.loss(this.withTrainable(w)));
      // A chain of adds, not tf.addN: the WebGPU backend's AddN program binds every input at once,
      // and with the CNN's 8 tensors it exceeds the adapter's storage buffers per stage (an invalid pipeline, silently wrong values).
      const directional = (...w: tf.Tensor[]) => grads(w).map((g, i) => tf.sum(tf.mul(g, dirs[i]!))).reduce((a, b) => tf.add(a, b)) as tf.Scalar;
      return this.toOurs(tf.grads(directional)(this.trainable()));
    }));
    try {
      return await Promise.all(results.map((r) => this.read(r)));
    } finally {
      for (const r of results) tf.dispose(r);
    }
  }

  /** A vector of our layout as tensors in TF.js's layouts, one per trainable tensor. */
  private fromOurs(v: Float64Array): tf.Tensor[] {
    return this.layout.tensors.map((t) => {
      const part = tf.tensor(Float32Array.from(v.subarray(t.offset, t.offset + t.size)), [...t.shape]);
      return t.shape.length === 4 ? tfFilter(part as tf.Tensor4D) : part;
    });
  }

  private toOurs(tensors: readonly tf.Tensor[]): tf.Tensor[] {
    return tensors.map((t) => (t.rank === 4 ? ourFilter(t as tf.Tensor4D) : t));
  }

  private async read(tensors: readonly tf.Tensor[]): Promise<Float64Array> {
    const out = new Float64Array(this.size);
    const values = await Promise.all(tensors.map((t) => t.data() as Promise<Float32Array>));
    this.layout.tensors.forEach((t, i) => out.set(values[i]!, t.offset));
    return out;
  }

  dispose(): void {
    tf.dispose([...this.parts.weights, this.x, this.oneHot]);
  }
}

/** Peak bytes of live TF.js tensors during `body` beyond those live before it (tf.profile's figure). */
export async function tfPeakBytes(body: () => Promise<unknown>): Promise<number> {
  const before = tf.memory().numBytes;
  const info = await tf.profile(async () => {
    await body();
  });
  return Math.max(0, info.peakBytes - before);
}
