// Item 1: directional derivatives d^n/dt^n u·f(x + t·v), n = 1..K, per second, on one model:
// jetcurve's jet pass against nested first-order forward mode on the same kernels and TF.js's
// nested tf.grad (WebGPU and CPU backends). Per order K, the methods that fit the budget are
// timed together, interleaved, after a warm-up; the others get the reason they were left out.
import type { Engine } from '../src/gpu/engine.js';
import { featureCount } from '../src/jet/layout.js';
import { Model } from '../src/model/model.js';
import { inferShapes } from '../src/model/shapes.js';
import { benchInputs, type BenchInputs, type BenchModel } from './models.js';
import { NestedDualNet } from './nested-dual.js';
import { interleavedBudget } from './timing.js';
import type * as TfBench from './tfjs.js';

export const METHODS = ['jets', 'nested-dual', 'tfjs-webgpu', 'tfjs-cpu'] as const;
export type Method = (typeof METHODS)[number];

export interface DerivativeCell {
  readonly model: string;
  readonly order: number;
  readonly method: Method;
  readonly status: 'ok' | 'skipped' | 'failed';
  readonly medianMs?: number;
  readonly runs?: number;
  /** batch·K derivatives per call, over the median time. */
  readonly derivativesPerSecond?: number;
  /** Largest error of any order n ≤ K against the jet pass, relative to that order's largest |value|. */
  readonly errorVsJets?: number;
  /** Jet passes the per-row scaling took (jets only). */
  readonly passes?: number;
  readonly reason?: string;
}

export interface DerivativeOptions {
  readonly orders: readonly number[];
  /** A baseline whose predicted time per call exceeds this is not run at that order. */
  readonly perCallLimitMs: number;
  /** Time for the timed runs of one (model, order) cell, after its warm-up. */
  readonly cellBudgetMs: number;
  readonly maxRuns: number;
  /** Largest activation a nested-dual pass may allocate. */
  readonly maxBufferBytes: number;
}

/** The TF.js side, when it loaded: the module and which backends run. */
export interface TfSide {
  readonly tf: typeof TfBench;
  readonly backends: readonly TfBench.TfBackend[];
  /** Why a backend is missing (e.g. WebGPU did not start). */
  readonly missing: Readonly<Partial<Record<TfBench.TfBackend, string>>>;
}

type Derivs = Float32Array[] | Float64Array[];

/** Derivatives of u·f from output jets/components: [n-1][point]. */
function project(perOrder: (n: number, point: number, output: number) => number, order: number, batch: number, u: Float32Array): Float64Array[] {
  return Array.from({ length: order }, (_, i) => {
    const d = new Float64Array(batch);
    for (let p = 0; p < batch; p++) {
      let s = 0;
      for (let o = 0; o < u.length; o++) s += u[o]! * perOrder(i + 1, p, o);
      d[p] = s;
    }
    return d;
  });
}

function relativeError(d: Derivs, ref: Derivs): number {
  let worst = 0;
  ref.forEach((r, n) => {
    let err = 0;
    let scale = 0;
    for (let p = 0; p < r.length; p++) {
      err = Math.max(err, Math.abs(d[n]![p]! - r[p]!));
      scale = Math.max(scale, Math.abs(r[p]!), Math.abs(d[n]![p]!));
    }
    worst = Math.max(worst, scale > 0 ? err / scale : 0);
  });
  return worst;
}

/** Time per call at `order` from the last two measured orders (growth per order), or null without history. */
function predictMs(history: readonly [number, number][], order: number): { ms: number; growth: number } | null {
  if (history.length === 0) return null;
  const [k1, t1] = history[history.length - 1]!;
  const [k0, t0] = history.length > 1 ? history[history.length - 2]! : [k1 - 1, t1 / 3];
  const growth = Math.max(1, (t1 / t0) ** (1 / (k1 - k0)));
  return { ms: t1 * growth ** (order - k1), growth };
}

const seconds = (ms: number) => (ms >= 1e5 ? `${ms.toExponential(1).replace('e+', '·10^')} ms` : `${(ms / 1000).toFixed(1)} s`);

export async function derivativeThroughput(engine: Engine, bench: BenchModel, tfSide: TfSide | null,
  options: DerivativeOptions, log: (line: string) => void): Promise<DerivativeCell[]> {
  const { spec, batch } = bench;
  const model = new Model(engine, spec);
  const outputs = featureCount(model.outputShape);
  const inputs: BenchInputs = benchInputs(spec, outputs, batch);
  const dual = new NestedDualNet(engine, spec);
  const widest = Math.max(...inferShapes(spec).map(featureCount));
  const tfSetups = new Map<TfBench.TfBackend, TfBench.TfSetup>();
  if (tfSide) {
    for (const b of tfSide.backends) tfSetups.set(b, await tfSide.tf.setUp(b, spec, inputs, batch));
  }
  const history = new Map<Method, [number, number][]>(METHODS.map((m) => [m, []]));
  const cells: DerivativeCell[] = [];
  try {
    for (const order of options.orders) {
      const base = { model: bench.name, order };
      const results = new Map<Method, Derivs>();
      let passes = 0;
      const variants: Partial<Record<Method, () => Promise<void>>> = {
        jets: async () => {
          const r = await model.jets({ points: inputs.points, directions: inputs.directions, order });
          passes = r.passes;
          let factorial = 1;
          const factorials = Array.from({ length: order + 1 }, (_, n) => (factorial *= Math.max(1, n)));
          results.set('jets', project((n, p, o) => factorials[n]! * r.coefficients[(p * (order + 1) + n) * outputs + o]!, order, batch, inputs.covector));
        },
      };
      const skipped = new Map<Method, string>();
      const dualBytes = 2 ** Math.min(order, 60) * batch * widest * 4;
      if (dualBytes > options.maxBufferBytes) {
        skipped.set('nested-dual', `infeasible (2^K passes): 2^${order} components × ${batch} points × ${widest} features = ${(dualBytes / 2 ** 30).toPrecision(3)} GiB per activation`);
      } else {
        variants['nested-dual'] = async () => {
          const x = dual.input(inputs.points, inputs.directions, batch, order);
          const out = await dual.derivatives(x, order);
          x.release();
          results.set('nested-dual', project((n, p, o) => out[n - 1]![p * outputs + o]!, order, batch, inputs.covector));
        };
      }
      for (const backend of ['webgpu', 'cpu'] as const) {
        const method: Method = `tfjs-${backend}`;
        const setup = tfSetups.get(backend);
        if (!tfSide || !setup) {
          skipped.set(method, tfSide?.missing[backend] ?? 'TF.js did not load');
          continue;
        }
        variants[method] = async () => {
          results.set(method, await tfSide.tf.nestedDerivatives(setup, order));
        };
      }
      for (const method of METHODS) {
        if (method === 'jets' || !variants[method]) continue;
        const p = predictMs(history.get(method)!, order);
        if (p && p.ms > options.perCallLimitMs) {
          skipped.set(method, `over budget: predicted ${seconds(p.ms)} per call (×${p.growth.toFixed(1)} per order, measured up to K = ${history.get(method)!.at(-1)![0]}) > ${seconds(options.perCallLimitMs)} limit`);
          delete variants[method];
        }
      }
      // Warm-up, one call each: a method that fails here is reported, not timed.
      const warm: Record<string, number> = {};
      const failed = new Map<Method, string>();
      for (const [method, call] of Object.entries(variants) as [Method, () => Promise<void>][]) {
        const t0 = performance.now();
        try {
          await call();
          await engine.finish();
          warm[method] = performance.now() - t0;
        } catch (e) {
          failed.set(method, e instanceof Error ? e.message.split('\n')[0]! : String(e));
          delete variants[method];
        }
      }
      const timings = await interleavedBudget(() => engine.finish(),
        variants as Record<string, () => Promise<void>>, { budgetMs: options.cellBudgetMs, maxRuns: options.maxRuns, warmedUp: warm });
      const reference = results.get('jets');
      for (const method of METHODS) {
        const t = timings[method];
        if (t) {
          history.get(method)!.push([order, t.medianMs]);
          const result = results.get(method);
          cells.push({
            ...base, method, status: 'ok', medianMs: t.medianMs, runs: t.runs,
            derivativesPerSecond: (batch * order) / (t.medianMs / 1000),
            ...(reference && result ? { errorVsJets: relativeError(result, reference) } : {}),
            ...(method === 'jets' ? { passes } : {}),
          });
        } else if (failed.has(method)) {
          cells.push({ ...base, method, status: 'failed', reason: failed.get(method)! });
        } else {
          cells.push({ ...base, method, status: 'skipped', reason: skipped.get(method) ?? 'not run' });
        }
      }
      log(`${bench.name} K=${order}: ${cells.filter((c) => c.order === order && c.model === bench.name)
        .map((c) => `${c.method} ${c.status === 'ok' ? `${c.medianMs!.toFixed(0)} ms×${c.runs}` : c.status}`).join(', ')}`);
    }
  } finally {
    for (const setup of tfSetups.values()) tfSide?.tf.tearDown(setup);
    dual.destroy();
    model.destroy();
  }
  return cells;
}
