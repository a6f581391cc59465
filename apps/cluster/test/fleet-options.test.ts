import { describe, expect, it } from 'vitest';
import { expectedTokenRequests } from '../src/fleet.js';
import { parseFleetOptions, UsageError } from '../src/fleet-options.js';

describe('fleet options', () => {
  it('defaults to 4 workers, 40 requests each over 6 s, 5 s tokens', () => {
    expect(parseFleetOptions([])).toEqual({
      workers: 4,
      requestsPerWorker: 40,
      tokenLifetimeSeconds: 5,
      durationMs: 6000,
      refreshAheadMs: 1000,
      expirySkewMs: 500,
    });
  });

  it('rejects values out of bounds, fractions, unknown flags and stray arguments', () => {
    for (const args of [['--workers', '65'], ['--requests', '1.5'], ['--bogus'], ['extra']])
      expect(() => parseFleetOptions(args)).toThrow(UsageError);
  });

  it('skips the `--` that `pnpm cluster -- <args>` passes on', () => {
    expect(parseFleetOptions(['--', '--workers', '2'])).toMatchObject({ workers: 2 });
    expect(parseFleetOptions(['--', '--help'])).toBe('help');
  });

  it('expects one token request per renewal period of the shared token', () => {
    const defaults = parseFleetOptions([]) as Exclude<ReturnType<typeof parseFleetOptions>, 'help'>;
    expect(expectedTokenRequests(defaults)).toEqual({ min: 2, max: 2 });
    expect(
      expectedTokenRequests({ ...defaults, tokenLifetimeSeconds: 60, durationMs: 1000 }),
    ).toEqual({ min: 1, max: 1 });
    // 3 s tokens are renewed every 1.5 to 2 s: over 8 s that is 5 or 6 requests.
    expect(
      expectedTokenRequests({ ...defaults, tokenLifetimeSeconds: 3, durationMs: 8000 }),
    ).toEqual({ min: 5, max: 6 });
  });
});
