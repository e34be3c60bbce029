// `jetcurve export model.json --out net.onnx`: a jetcurve model (trained here, plain, CRR or SAM)
// as an ONNX graph for PyTorch or any ONNX runtime (src/onnx/export.ts).
import type { Command } from 'commander';
import { writeBytesFile } from '../../model/file-node.js';
import { loadModel } from '../../model/source.js';
import { EXPORT_OPSET, exportOnnx } from '../../onnx/index.js';

interface ExportOptions { out: string; inputName?: string; outputName?: string }

export function register(program: Command): void {
  program.command('export')
    .description(`write a jetcurve model as an ONNX file (opset ${EXPORT_OPSET}, dynamic batch axis)`)
    .argument('<model.json>', 'a jetcurve-model/1 file')
    .requiredOption('--out <net.onnx>', 'the .onnx file to write')
    .option('--input-name <name>', 'name of the graph input (default: the imported name, else "input")')
    .option('--output-name <name>', 'name of the graph output (default: the imported name, else "output")')
    .action(async (path: string, options: ExportOptions) => {
      const spec = await loadModel(path);
      const bytes = exportOnnx(spec, {
        ...(options.inputName ? { inputName: options.inputName } : {}),
        ...(options.outputName ? { outputName: options.outputName } : {}),
      });
      await writeBytesFile(options.out, bytes);
      console.log(`${path} -> ${options.out}: ${spec.layers.length} layers, ONNX opset ${EXPORT_OPSET}, ${bytes.length} bytes`);
    });
}
