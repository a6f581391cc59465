import type { TokenServer } from '@auth/testing/http';
import { describe, expect, it } from 'vitest';
import type { Fleet } from './fleet.js';

/** Every worker served one and the same token to all of its callers; returns its fingerprint. */
export function expectOneTokenFleetWide(fingerprints: string[][]): string {
  for (const served of fingerprints) expect(served).toHaveLength(1);
  const distinct = new Set(fingerprints.flat());
  expect(distinct.size).toBe(1);
  return [...distinct][0]!;
}

/** What {@link describeFleetContract} runs against. */
export interface FleetContract {
  /** Names the Redis setup, e.g. "on a 3-master Redis Cluster". */
  setup: string;
  /** The fleet and the token server, started by the file's `beforeAll`. */
  fleet: () => Fleet;
  tokenServer: () => TokenServer;
  workers: number;
  callsEach: number;
  /** The token lifetime, in ms: the clocks move past it for the second phase. */
  lifetimeMs: number;
  /** Store faults the setup must not produce (a proxy without pub/sub may fail waits). */
  unexpectedStoreErrors: () => unknown[];
  /** Prints the measured times of a phase (not asserted). */
  report: (phase: string, bursts: { durationsMs: number[] }[]) => void;
}

/**
 * The promise every Redis setup keeps: a fleet starting cold makes exactly 1 token request,
 * exactly 1 more once that token has expired, and every worker closes cleanly.
 *
 * @param contract - The setup.
 */
export function describeFleetContract(contract: FleetContract): void {
  const { workers, callsEach } = contract;
  describe(`a fleet of ${workers} processes sharing one RedisTokenStore ${contract.setup}`, () => {
    let firstToken: string;

    it(`makes exactly 1 token request when all start cold at once with ${callsEach} concurrent callers each`, async () => {
      const fleet = contract.fleet();
      const bursts = await fleet.timedBurst(callsEach);
      contract.report('cold start', bursts);
      expect(contract.tokenServer().requestCount).toBe(1);
      firstToken = expectOneTokenFleetWide(bursts.map((burst) => burst.fingerprints));
      expect(contract.unexpectedStoreErrors()).toEqual([]);
      const fetched = fleet.workers.flatMap((worker) =>
        worker.log.events.filter((event) => event.type === 'token-fetched'),
      );
      expect(fetched).toHaveLength(1);
    });

    it('makes exactly 1 token request again once that token has expired', async () => {
      const fleet = contract.fleet();
      await fleet.advance(contract.lifetimeMs + 60_000);
      const bursts = await fleet.timedBurst(callsEach);
      contract.report('after expiry', bursts);
      expect(contract.tokenServer().requestCount).toBe(2);
      const renewed = expectOneTokenFleetWide(bursts.map((burst) => burst.fingerprints));
      expect(renewed).not.toBe(firstToken);
      expect(contract.unexpectedStoreErrors()).toEqual([]);
    });

    it('closes every store and client cleanly (each worker exits with code 0)', async () => {
      const exits = await contract.fleet().stop();
      expect(exits.map(({ exit }) => exit)).toEqual(Array(workers).fill(0));
    });
  });
}
