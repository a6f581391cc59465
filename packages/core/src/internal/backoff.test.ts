import { describe, expect, it } from 'vitest';
import { backoffMs } from './backoff.js';

describe('backoffMs', () => {
  const schedule = { firstMs: 25, maxMs: 1_000 };

  it('doubles from the first delay up to the longest', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffMs(attempt, schedule));
    expect(delays).toEqual([25, 50, 100, 200, 400, 800, 1_000, 1_000]);
  });

  it('grows by the multiplier given', () => {
    expect(backoffMs(3, { firstMs: 100, maxMs: 10_000, multiplier: 3 })).toBe(900);
  });

  it('with jitter, waits between half and all of the delay, the cap included', () => {
    expect(backoffMs(3, schedule, 0)).toBe(50);
    expect(backoffMs(3, schedule, 0.5)).toBe(75);
    expect(backoffMs(3, schedule, 0.999_999)).toBeCloseTo(100, 3);
    expect(backoffMs(20, schedule, 0)).toBe(500);
  });
});
