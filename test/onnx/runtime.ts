// ONNX Runtime (onnxruntime-node, CPU) as the oracle of the ONNX tests: the outputs of an .onnx
// file for a batch of inputs.
import * as ort from 'onnxruntime-node';

export async function runtimeOutputs(bytes: Uint8Array, inputs: ArrayLike<number>, inputShape: readonly number[]): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'disabled' });
  try {
    const size = inputShape.reduce((a, b) => a * b, 1);
    const feeds = { [session.inputNames[0]!]: new ort.Tensor('float32', Float32Array.from(inputs), [inputs.length / size, ...inputShape]) };
    const result = await session.run(feeds);
    return result[session.outputNames[0]!]!.data as Float32Array;
  } finally {
    await session.release();
  }
}
