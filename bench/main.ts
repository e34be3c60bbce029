// `npm run bench`: measures, prints a Markdown table, and writes bench/results.json.
import { writeFileSync } from 'node:fs';
import { createEngine } from '../src/node.js';
import { kernelThroughput, onePassVersusSixty } from './kernels.js';

const engine = await createEngine();
try {
  const adapter = `${engine.adapter.description || engine.adapter.vendor} (${engine.adapter.architecture}${engine.adapter.isSoftware ? ', software' : ''})`;
  console.log(`adapter: ${adapter}\n`);
  const kernels = await kernelThroughput(engine);
  console.log('| kernel | order K | shape | median ms | GFLOP/s |\n|---|---|---|---|---|');
  for (const f of kernels) console.log(`| ${f.kernel} | ${f.order} | ${f.shape} | ${f.medianMs.toFixed(2)} | ${f.gflops.toFixed(3)} |`);
  const onePass = await onePassVersusSixty(engine);
  console.log(`\n2-64-64-1 tanh MLP, 64 points: one K=60 pass ${onePass.onePassMs.toFixed(1)} ms; ` +
    `60 separate passes of order n = 1..60 ${onePass.separatePassesMs.toFixed(1)} ms (ratio ${onePass.ratio.toFixed(1)}×); ` +
    `60 first-order passes ${onePass.sixtyFirstOrderMs.toFixed(1)} ms`);
  const results = { measuredAt: new Date().toISOString(), adapter, kernels, onePass };
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
} finally {
  engine.destroy();
}
