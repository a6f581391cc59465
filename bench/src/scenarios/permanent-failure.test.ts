import { describe, expect, it } from 'vitest';
import { backoffSteps } from './permanent-failure.js';

describe('the backoff steps of a shared permanent failure', () => {
  it('counts attempts at 0, 1 s, 3 s, 7 s, … inside the polling time', () => {
    expect(backoffSteps(500)).toBe(1);
    expect(backoffSteps(3000)).toBe(2);
    expect(backoffSteps(5000)).toBe(3);
    expect(backoffSteps(7001)).toBe(4);
  });
});
