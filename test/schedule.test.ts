// The learning-rate schedules (src/train/schedule.ts): pure arithmetic, no GPU.
import { describe, expect, it } from 'vitest';
import { scheduledRate } from '../src/train/schedule.js';

describe('learning-rate schedules', () => {
  it('constant keeps the rate', () => {
    for (const step of [0, 10, 99, 100]) expect(scheduledRate('constant', 3e-3, step, 100)).toBe(3e-3);
  });

  it('cosine starts at the rate, halves it at mid-run, falls monotonically towards 0 at the end', () => {
    const total = 2345;
    expect(scheduledRate('cosine', 3e-3, 0, total)).toBe(3e-3);
    expect(scheduledRate('cosine', 3e-3, total / 2, total)).toBeCloseTo(1.5e-3, 15);
    expect(scheduledRate('cosine', 3e-3, total, total)).toBeCloseTo(0, 15);
    // Steps past the end (a run resumed with fewer --epochs) stay at 0, not back up the cosine.
    expect(scheduledRate('cosine', 3e-3, total + 50, total)).toBeCloseTo(0, 15);
    let previous = Infinity;
    for (let step = 0; step < total; step += 7) {
      const rate = scheduledRate('cosine', 3e-3, step, total);
      expect(rate).toBeLessThanOrEqual(previous);
      expect(rate).toBeGreaterThan(0);
      previous = rate;
    }
  });
});
