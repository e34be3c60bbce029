// `jetcurve import net.onnx --out model.json`: a network exported to ONNX (PyTorch, JAX, Keras)
// as a jetcurve model file, layer for layer, weights exactly as stored (src/onnx/import.ts).
import { Option, type Command } from 'commander';
import { featureCount } from '../../jet/layout.js';
import { readBytesFile, saveModel } from '../../model/file-node.js';
import { inferShapes } from '../../model/shapes.js';
import { importOnnx, SUPPORTED_OPERATORS } from '../../onnx/index.js';

interface ImportOptions { out: string; weights: 'base64' | 'inline' }

export function register(program: Command): void {
  program.command('import')
    .description('read an ONNX network and write it as a jetcurve-model/1 file')
    .argument('<model.onnx>', 'an .onnx file, e.g. from torch.onnx.export')
    .requiredOption('--out <model.json>', 'the jetcurve model file to write')
    .addOption(new Option('--weights <form>', 'weights as base64 little-endian f32 (compact) or nested arrays (readable); both exact').choices(['base64', 'inline']).default('base64'))
    .addHelpText('after', `\nSupported ONNX operators: ${SUPPORTED_OPERATORS.join(', ')}.`)
    .action(async (path: string, options: ImportOptions) => {
      const spec = importOnnx(await readBytesFile(path), path);
      await saveModel(options.out, spec, { weights: options.weights });
      const shapes = inferShapes(spec);
      console.log(`${path} -> ${options.out}: input ${spec.input.join('×')}, ${spec.layers.length} layers (${spec.layers.map((l) => l.type).join(', ')}), ` +
        `${featureCount(shapes[shapes.length - 1]!)} outputs`);
    });
}
