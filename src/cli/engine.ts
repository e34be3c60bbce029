// The engine of one CLI command: created from --adapter, always destroyed (a Node process that
// holds a Dawn device does not exit).
import { Option, type Command } from 'commander';
import type { Engine } from '../gpu/engine.js';
import { createEngine, type AdapterChoice } from '../node.js';

export function addAdapterOption(command: Command): Command {
  return command.addOption(new Option('--adapter <kind>', 'GPU adapter').choices(['auto', 'swiftshader', 'hardware']).default('auto'));
}

export async function withEngine<T>(adapter: AdapterChoice, body: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await createEngine({ adapter });
  try {
    return await body(engine);
  } finally {
    await engine.destroy();
  }
}

export function adapterText(engine: Engine): string {
  const a = engine.adapter;
  const name = [a.description || a.device, a.vendor && `(${a.vendor})`].filter(Boolean).join(' ') || 'unnamed adapter';
  return `${name}, ${a.isSoftware ? 'software (CPU)' : 'hardware'}`;
}
