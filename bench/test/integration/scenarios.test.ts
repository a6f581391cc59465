import { describe, expect, it } from 'vitest';
import type { Contender } from '../../src/contender.js';
import { thisProject } from '../../src/contenders/this-project.js';
import type { Scenario } from '../../src/scenario.js';
import { revocationScenario } from '../../src/scenarios/revocation.js';

type FleetModule = typeof import('../../src/scenarios/fleet.js');
// The fleet forks its built worker, so it runs from dist/ (built before the tests).
const builtFleet = '../../dist/scenarios/fleet.js';

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
});
