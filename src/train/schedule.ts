// Learning-rate schedules. `cosine` anneals from the base rate to 0 over the whole run
// (Loshchilov & Hutter's cosine annealing without restarts): a few epochs at a high rate, then
// the small steps that settle the weights. On MNIST it let the small CNN reach in 5 epochs what a
// constant 1e-3 had not reached in 2 at a third of the rate (README, training).
import type { Trainer } from './step.js';

export const SCHEDULES = ['constant', 'cosine'] as const;
export type LrSchedule = (typeof SCHEDULES)[number];

/** The rate of step `step` (0 for the first) of a run of `total` steps. */
export function scheduledRate(schedule: LrSchedule, lr: number, step: number, total: number): number {
  if (schedule === 'constant') return lr;
  return 0.5 * lr * (1 + Math.cos(Math.PI * Math.min(step, total) / total));
}

/** Sets the rate of the trainer's next step (all its Adam optimizers), from the steps taken so far. */
export function applySchedule(trainer: Trainer, schedule: LrSchedule, lr: number, total: number): void {
  const rate = scheduledRate(schedule, lr, trainer.steps, total);
  for (const o of trainer.optimizers) o.lr = rate;
}
