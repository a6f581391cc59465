import { describe, expect, it } from 'vitest';
import { callsBetween, commandCalls, describeCalls, totalCalls } from './redis-stats.js';

const INFO = [
  '# Commandstats',
  'cmdstat_get:calls=12,usec=40,usec_per_call=3.33,rejected_calls=0,failed_calls=0',
  'cmdstat_evalsha:calls=3,usec=90,usec_per_call=30.00,rejected_calls=0,failed_calls=0',
  'cmdstat_info:calls=7,usec=700,usec_per_call=100.00,rejected_calls=0,failed_calls=0',
  'cmdstat_memory|usage:calls=5,usec=50,usec_per_call=10.00,rejected_calls=0,failed_calls=0',
  '',
].join('\r\n');

describe("the Redis server's counts", () => {
  it("reads calls per command from INFO commandstats, without the observer's own", () => {
    expect(commandCalls(INFO)).toEqual(
      new Map([
        ['get', 12],
        ['evalsha', 3],
      ]),
    );
  });

  it('takes the calls between two readings, the busiest first, and sums them', () => {
    const between = callsBetween(
      new Map([
        ['get', 2],
        ['set', 4],
      ]),
      new Map([
        ['get', 5],
        ['set', 4],
        ['publish', 9],
      ]),
    );
    expect([...between]).toEqual([
      ['publish', 9],
      ['get', 3],
    ]);
    expect(totalCalls(between)).toBe(12);
    expect(describeCalls(between)).toBe('publish 9, get 3');
    expect(describeCalls(new Map())).toBe('none');
  });
});
