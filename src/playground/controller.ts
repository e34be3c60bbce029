// Play, pause, step and reset of the two runs. Each epoch awaits the GPU at every step, and the
// loop hands the browser a frame between epochs, so the page keeps answering while it trains.
import type { Engine } from '../gpu/engine.js';
import { loadMoonsData, type TrainingData } from '../train/data-split.js';
import type { EpochRecord } from '../train/run-folder.js';
import { PlaygroundRun, mapGrid } from './run.js';
import type { Settings } from './settings.js';

export type Phase = 'idle' | 'playing' | 'stepping' | 'done' | 'error';

export class Controller {
  runs: PlaygroundRun[] = [];
  data: TrainingData | null = null;
  phase: Phase = 'idle';
  error: unknown = null;
  private playing = false;
  /** The work in progress (an epoch of both runs, or a reset); the next command waits for it. */
  private busy: Promise<void> = Promise.resolve();

  constructor(readonly engine: Engine, private settings: Settings, private readonly onChange: (epochDone: boolean) => void) {}

  /** New runs from `settings` (the networks at their initialisation, with their maps). */
  reset(settings: Settings = this.settings): Promise<void> {
    this.playing = false;
    this.settings = settings;
    return this.queue(async () => {
      for (const r of this.runs) r.release();
      this.runs = [];
      this.data = loadMoonsData({ seed: settings.seed, labelNoise: settings.noise, trainSize: settings.trainSize });
      const grid = mapGrid(this.data);
      this.runs = [settings.left, settings.right].map((reg) => new PlaygroundRun(this.engine, settings, reg, this.data!, grid));
      for (const r of this.runs) await r.start();
      this.phase = 'idle';
      this.error = null;
    });
  }

  get finished(): boolean {
    return this.runs.length > 0 && this.runs.every((r) => r.done);
  }

  /** One epoch of each run that has epochs left. */
  step(): Promise<void> {
    if (this.playing) return this.busy;
    this.phase = 'stepping';
    return this.queue(() => this.epoch()).then(() => { if (this.phase === 'stepping') this.phase = this.finished ? 'done' : 'idle'; });
  }

  async play(): Promise<void> {
    if (this.playing) return;
    this.playing = true;
    this.phase = 'playing';
    this.onChange(false);
    while (this.playing && !this.finished && (this.phase as Phase) !== 'error') {
      await this.queue(() => this.epoch());
      await nextFrame();
    }
    if (this.phase === 'playing') this.phase = this.finished ? 'done' : 'idle';
    this.playing = false;
    this.onChange(false);
  }

  pause(): void {
    this.playing = false;
  }

  private async epoch(): Promise<void> {
    const records: EpochRecord[] = [];
    for (const r of this.runs) if (!r.done) records.push(await r.epoch());
    this.onChange(records.length > 0);
  }

  private queue(work: () => Promise<void>): Promise<void> {
    const next = this.busy.then(work).catch((e: unknown) => {
      this.playing = false;
      this.phase = 'error';
      this.error = e;
      this.onChange(false);
    });
    this.busy = next;
    return next;
  }
}

function nextFrame(): Promise<void> {
  // requestAnimationFrame does not fire in a hidden tab; the timeout keeps training going there.
  return new Promise((resolve) => {
    const t = setTimeout(resolve, 50);
    requestAnimationFrame(() => { clearTimeout(t); resolve(); });
  });
}
