import { describe, expect, it } from 'vitest';
import { median, percentile } from './measure.js';

describe('the statistics of the benchmark', () => {
  it('takes the median of odd and even lists', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('takes percentiles by nearest rank, the maximum at 100', () => {
    const latencies = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(latencies, 50)).toBe(50);
    expect(percentile(latencies, 99)).toBe(99);
    expect(percentile(latencies, 100)).toBe(100);
    expect(percentile([7], 50)).toBe(7);
  });
});
