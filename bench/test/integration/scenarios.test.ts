import { describe, expect, it } from 'vitest';
import type { Contender } from '../../src/contender.js';
import { thisProject } from '../../src/contenders/this-project.js';
import type { Scenario } from '../../src/scenario.js';
import { outageScenario } from '../../src/scenarios/outage.js';
import { backoffSteps, permanentFailureScenario } from '../../src/scenarios/permanent-failure.js';
import { revocationScenario } from '../../src/scenarios/revocation.js';

type FleetModule = typeof import('../../src/scenarios/fleet.js');
type TenantFleetModule = typeof import('../../src/scenarios/tenant-fleet.js');
// The fleets fork their built workers, so they run from dist/ (built before the tests).
const builtFleet = '../../dist/scenarios/fleet.js';
const builtTenantFleet = '../../dist/scenarios/tenant-fleet.js';

async function run(scenario: Scenario, contenders: readonly Contender[]) {
  const log: string[] = [];
  const cells = await scenario.run(contenders, (line) => log.push(line));
  return { cells, log };
}

describe('the scenarios, on this project', () => {
  it('revocation: no failure reaches the caller, and one token request', async () => {
    const { cells, log } = await run(revocationScenario({ count: 64, concurrency: 16 }), [
      thisProject,
    ]);
    expect(cells.get('auth')).toEqual(['0 / 1']);
    expect(log).toEqual([]);
  });

  it('fleet: processes sharing Redis make one token request between them', async () => {
    const { fleetScenario } = (await import(builtFleet)) as FleetModule;
    const { cells } = await run(fleetScenario({ workers: 3, requestsPerWorker: 20 }), [
      thisProject,
    ]);
    expect(cells.get('auth')).toEqual(['1']);
  });

  it('outage at 8 s tokens: no failure reaches the caller in any run', async () => {
    const { cells, log } = await run(
      outageScenario({ outageMs: 2000, tokenLifetimesSeconds: [8], runs: 2, intervalMs: 20 }),
      [thisProject],
    );
    expect(log).toEqual([]);
    expect(cells.get('auth')).toEqual(['0, 0']);
  });

  it('permanent failure: at most one token request per backoff step while the endpoint answers invalid_client', async () => {
    const durationMs = 3000;
    const { cells } = await run(
      permanentFailureScenario({ tokenLifetimeSeconds: 1, callers: 8, intervalMs: 20, durationMs }),
      [thisProject],
    );
    const total = Number(/\((\d+)\)$/.exec(cells.get('auth')?.[0] ?? '')?.[1]);
    expect(total).toBeGreaterThanOrEqual(1);
    expect(total).toBeLessThanOrEqual(backoffSteps(durationMs));
  });

  it('multi-tenant fleet: one token request per key cold and per lifetime, and no caller waits after the cold start', async () => {
    const { tenantFleetScenario } = (await import(builtTenantFleet)) as TenantFleetModule;
    const { cells, log } = await run(
      tenantFleetScenario({ workers: 2, keys: 20, tokenLifetimeSeconds: 6, pollMs: 100 }),
      [thisProject],
    );
    const [requests, waited] = cells.get('auth') ?? [];
    expect(requests).toBe('20 / 20 / 20');
    expect(waited).toMatch(/^0 of \d/);
    expect(log.filter((line) => line.includes('failed'))).toEqual([]);
  });
});
