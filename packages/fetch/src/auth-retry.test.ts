import { describe, expect, it } from 'vitest';
import { type AuthRetryState, authRetry } from './auth-retry.js';

const state = (attempt: number): AuthRetryState => ({
  attempt,
  request: { method: 'GET', url: new URL('https://api.example.com/'), headers: new Headers() },
  response: new Response(null, { status: 401 }),
});

describe('authRetry', () => {
  it('once() retries one time without delay', () => {
    const policy = authRetry.once();
    expect(policy.maxRetries).toBe(1);
    expect(policy.delayMs).toBeUndefined();
    expect(policy.shouldRetry).toBeUndefined();
  });

  it('once({ delayMs }) waits delayMs before its one retry', () => {
    const policy = authRetry.once({ delayMs: 250 });
    expect(policy.maxRetries).toBe(1);
    expect(policy.delayMs!(state(1))).toBe(250);
    expect(policy.shouldRetry).toBeUndefined();
    expect(authRetry.once({}).delayMs).toBeUndefined();
    expect(authRetry.once({ delayMs: 0 }).delayMs).toBeUndefined();
  });

  it('exponential() grows the delay by the multiplier up to maxDelayMs', () => {
    const policy = authRetry.exponential({
      maxRetries: 5,
      baseDelayMs: 100,
      multiplier: 3,
      maxDelayMs: 1_000,
      jitter: false,
    });
    expect(policy.maxRetries).toBe(5);
    expect([1, 2, 3, 4].map((attempt) => policy.delayMs!(state(attempt)))).toEqual([
      100, 300, 900, 1_000,
    ]);
  });

  it('exponential() jitters each delay between half and all of it', () => {
    const policy = authRetry.exponential({ baseDelayMs: 200 });
    for (let i = 0; i < 50; i++) {
      const delay = policy.delayMs!(state(1));
      expect(delay).toBeGreaterThanOrEqual(100);
      expect(delay).toBeLessThanOrEqual(200);
    }
  });

  it('exponential() has documented defaults', () => {
    const policy = authRetry.exponential({ jitter: false });
    expect(policy.maxRetries).toBe(3);
    expect(policy.delayMs!(state(1))).toBe(100);
    expect(policy.delayMs!(state(10))).toBe(5_000);
  });

  it('when() retries what the predicate accepts, once by default', async () => {
    const policy = authRetry.when(({ attempt }) => attempt < 2, { maxRetries: 4 });
    expect(policy.maxRetries).toBe(4);
    expect(await policy.shouldRetry!(state(1))).toBe(true);
    expect(await policy.shouldRetry!(state(2))).toBe(false);
    expect(authRetry.when(() => true).maxRetries).toBe(1);
  });

  it('rejects bad settings with TypeError at construction', () => {
    expect(() => authRetry.exponential({ maxRetries: -1 })).toThrow(TypeError);
    expect(() => authRetry.exponential({ maxRetries: 1.5 })).toThrow(TypeError);
    expect(() => authRetry.exponential({ baseDelayMs: Number.NaN })).toThrow(TypeError);
    expect(() => authRetry.exponential({ maxDelayMs: -5 })).toThrow(TypeError);
    expect(() => authRetry.exponential({ multiplier: 0.5 })).toThrow(TypeError);
    expect(() => authRetry.when('yes' as never)).toThrow(TypeError);
    expect(() => authRetry.once({ delayMs: -1 })).toThrow(TypeError);
    expect(() => authRetry.once({ delayMs: Number.POSITIVE_INFINITY })).toThrow(TypeError);
    expect(() => authRetry.when(() => true, { maxRetries: -2 })).toThrow(TypeError);
  });
});
