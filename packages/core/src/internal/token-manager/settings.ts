import type { TokenManagerOptions } from '../../token-manager-options.js';
import type { TokenProvider } from '../../token-provider.js';
import { type RetryPolicy, retryPolicy } from './retry-policy.js';
import type { TimingPolicy } from './token-timing.js';

/** A manager's options, checked, with the defaults filled in. */
export interface ManagerSettings {
  provider: TokenProvider;
  key: string;
  timing: TimingPolicy;
  lockTtlMs: number;
  retry: RetryPolicy;
  serviceName: string;
  now: () => number;
}

/**
 * Checks a manager's options and fills in the defaults.
 *
 * @throws {TypeError} A missing provider or key, or an invalid duration.
 */
export function managerSettings(options: TokenManagerOptions): ManagerSettings {
  const { provider } = options;
  if (typeof provider?.fetchToken !== 'function')
    throw new TypeError('TokenManager needs a provider with fetchToken()');
  const key = options.key ?? provider.cacheKey;
  if (typeof key !== 'string' || key === '')
    throw new TypeError('TokenManager needs a non-empty key or provider.cacheKey');
  const timing = {
    expirySkewMs: duration('expirySkewMs', options.expirySkewMs, 30_000),
    refreshAheadMs: duration('refreshAheadMs', options.refreshAheadMs, 60_000),
  };
  return {
    provider,
    key,
    timing,
    lockTtlMs: duration('lockTtlMs', options.lockTtlMs, 30_000),
    retry: retryPolicy(options.retry),
    serviceName: options.serviceName ?? key,
    now: options.now ?? Date.now,
  };
}

function duration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new TypeError(`${name} must be a non-negative number of milliseconds`);
  return value;
}
