// The whole benchmark, shared by `npm run bench` (bench/main.ts) and `jetcurve bench`: kernel
// efficiency, derivatives per second against nested autodiff, memory, and the training hook;
// results.json and the Markdown tables are written from what this returns, never by hand.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, platform, release, totalmem } from 'node:os';
import { create } from 'webgpu';
import type { Engine } from '../src/gpu/engine.js';
import { layerBreakdown, type LayerFigure } from './breakdown.js';
import { derivativeThroughput, type DerivativeCell, type DerivativeOptions, type TfSide } from './derivatives.js';
import { kernelEfficiency } from './kernels.js';
import { jetPassMemory, type MemoryFigure } from './memory.js';
import { benchModels } from './models.js';
import { adapterPeak } from './peak.js';
import { renderReport, replaceGenerated } from './report.js';
import type { BenchResults, DerivativesSection, Machine } from './results.js';
import { trainingStepCost, type TrainingOptions } from './training.js';

export interface BenchOptions {
  /** A few seconds' smoke run: orders 1, 2, 4, tiny budgets. */
  readonly quick: boolean;
}


export function trainingOptions(quick: boolean): TrainingOptions {
  return quick ? { budgetMs: 3000, maxRuns: 3 } : { budgetMs: 40000, maxRuns: 30 };
}

function derivativeOptions(quick: boolean): DerivativeOptions {
  return quick
    ? { orders: [1, 2, 4], perCallLimitMs: 4000, cellBudgetMs: 2000, maxRuns: 2, maxBufferBytes: 2 ** 30 }
    : { orders: [1, 2, 4, 8, 16, 60], perCallLimitMs: 45000, cellBudgetMs: 20000, maxRuns: 5, maxBufferBytes: 2 ** 31 };
}

/** TF.js and its WebGPU backend on a device of the engine's adapter; what fails is said, not fatal. */
export async function loadTf(log: (line: string) => void): Promise<{ side: TfSide | null; adapter: string | null; close: () => void }> {
  let tf: TfSide['tf'];
  try {
    tf = await import('./tfjs.js');
  } catch (e) {
    return { side: null, adapter: null, close: () => undefined };
  }
  const missing: Partial<Record<'webgpu' | 'cpu', string>> = {};
  let device: GPUDevice | null = null;
  let adapter: string | null = null;
  // Dawn's instance must outlive its device: held here until close().
  let gpu: GPU | null = create([]) as GPU;
  try {
    const r = await tf.registerTfWebgpu(gpu);
    device = r.device;
    adapter = [r.adapter.description || r.adapter.device, r.adapter.vendor, r.adapter.architecture].filter(Boolean).join(', ');
  } catch (e) {
    missing.webgpu = `TF.js's WebGPU backend did not start in Node: ${e instanceof Error ? e.message : String(e)}`;
    log(missing.webgpu);
  }
  const backends = (['webgpu', 'cpu'] as const).filter((b) => !missing[b]);
  const close = () => {
    tf.disposeTf();
    device?.destroy();
    gpu = null;
    void gpu;
  };
  return { side: { tf, backends, missing }, adapter, close };
}

/**
 * Section 1: derivatives per second of every method on both bench models, then the per-layer
 * times at K = 4. `alone`: run by `--only derivatives`, outside a full run.
 */
export async function derivativesSection(engine: Engine, quick: boolean, alone: boolean, log: (line: string) => void): Promise<DerivativesSection> {
  const start = performance.now();
  const load0 = loadavg()[0]!;
  const tf = await loadTf(log);
  const models = benchModels();
  const opts = derivativeOptions(quick);
  const derivatives: DerivativeCell[] = [];
  try {
    for (const m of models) derivatives.push(...await derivativeThroughput(engine, m, tf.side, opts, log));
  } finally {
    tf.close();
  }
  log('per-layer times at K = 4…');
  const breakdown: LayerFigure[] = [];
  for (const m of models) breakdown.push(...await layerBreakdown(engine, m, 4, quick ? 2 : 5));
  return {
    tfjs: { adapter: tf.adapter, missing: { ...(tf.side?.missing ?? { webgpu: 'TF.js did not load', cpu: 'TF.js did not load' }) } },
    models: models.map(({ name, description, batch }) => ({ name, description, batch })),
    derivativesRun: { measuredAt: new Date().toISOString(), durationSeconds: (performance.now() - start) / 1000, load: [load0, loadavg()[0]!], alone },
    derivativeOptions: opts, derivatives, breakdown,
  };
}

/** The engine's adapter as the reports name it. */
export function adapterName(engine: Engine): string {
  const a = engine.adapter;
  return `${a.description || a.device || a.vendor} (${[a.vendor, a.architecture].filter(Boolean).join(', ')}${a.isSoftware ? ', software' : ''})`;
}

function machine(load0: number): Machine {
  const c = cpus();
  return {
    cpu: c[0]?.model ?? 'unknown', cores: c.length, memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${platform()} ${release()}`, node: process.version, load: [load0, loadavg()[0]!],
  };
}

export async function runBench(engine: Engine, options: BenchOptions, log: (line: string) => void): Promise<BenchResults> {
  const start = performance.now();
  const load0 = loadavg()[0]!;
  const adapter = adapterName(engine);
  log(`adapter: ${adapter}`);
  log('kernel efficiency (dense, conv2d, their VJPs, matmul variants)…');
  const kernels = await kernelEfficiency(engine, options.quick ? 2 : 5);
  const section1 = await derivativesSection(engine, options.quick, false, log);
  const models = benchModels();
  log('memory of K = 60 passes…');
  const memory: MemoryFigure[] = [];
  for (const m of models) {
    const batches = m.name === 'mlp' ? (options.quick ? [256] : [256, 1024, 4096]) : (options.quick ? [16] : [16, 64, 256]);
    memory.push(...await jetPassMemory(engine, m, batches));
  }
  const training = await trainingStepCost(engine, trainingOptions(options.quick), log);
  return {
    format: 'jetcurve-bench/1', measuredAt: new Date().toISOString(), durationSeconds: (performance.now() - start) / 1000,
    quick: options.quick, machine: machine(load0), adapter,
    ...section1, kernels, peak: adapterPeak(engine.adapter), memory, training,
  };
}

/** Writes results.json and, when given, the generated part of a README; returns the Markdown. */
export function writeOutputs(results: BenchResults, resultsPath: string, readmePath: string | null): string {
  const markdown = renderReport(results);
  writeFileSync(resultsPath, `${JSON.stringify(results, null, 2)}\n`);
  if (readmePath && existsSync(readmePath)) writeFileSync(readmePath, replaceGenerated(readFileSync(readmePath, 'utf8'), markdown));
  return markdown;
}
