// The shape of bench/results.json: what a run measured, shared by the runner (run.ts), the
// report (report.ts) and the command line (main.ts).
import type { LayerFigure } from './breakdown.js';
import type { DerivativeCell, DerivativeOptions } from './derivatives.js';
import type { KernelReport } from './kernels.js';
import type { MemoryFigure } from './memory.js';
import type { PeakFigure } from './peak.js';
import type { TrainingReport } from './training.js';

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** 1-minute load average when the run started and ended: the machine may be shared. */
  readonly load: readonly [number, number];
}

export interface BenchResults {
  readonly format: 'jetcurve-bench/1';
  readonly measuredAt: string;
  readonly durationSeconds: number;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly adapter: string;
  readonly tfjs: { readonly adapter: string | null; readonly missing: Readonly<Record<string, string>> };
  readonly models: readonly { readonly name: string; readonly description: string; readonly batch: number }[];
  /**
   * When section 1 (derivatives and the per-layer breakdown) was measured and under what load:
   * with the full run, or alone (`--only derivatives`) into an older results.json.
   */
  readonly derivativesRun?: SectionRun;
  readonly derivativeOptions: DerivativeOptions;
  readonly derivatives: readonly DerivativeCell[];
  /** Per-layer times of the jet and nested-dual passes at K = 4. */
  readonly breakdown: readonly LayerFigure[];
  readonly kernels: KernelReport;
  readonly peak: PeakFigure;
  readonly memory: readonly MemoryFigure[];
  readonly training: TrainingReport;
}

export interface SectionRun {
  readonly measuredAt: string;
  readonly durationSeconds: number;
  /** 1-minute load average when the section started and ended. */
  readonly load: readonly [number, number];
  readonly alone: boolean;
}

/** Section 1's part of the results. */
export type DerivativesSection = Pick<BenchResults, 'tfjs' | 'models' | 'derivativesRun' | 'derivativeOptions' | 'derivatives' | 'breakdown'>;
