/**
 * Benchmark of this project against the libraries users would pick instead, on 127.0.0.1
 * only: cold and expiry bursts, overhead against bare fetch, refresh latency, revocation,
 * an outage of the token endpoint at three token lifetimes, a permanent failure, a fleet
 * of processes, and a multi-tenant fleet on one Redis. Prints one Markdown table,
 * the machine, and the details behind the numbers (noise floor, first failures), and
 * writes the same with `--out`. Every scenario is bounded in count and time.
 *
 * Usage: node dist/main.js [--only auth,openid-client] [--scenario bursts,overhead]
 *                          [--out results.md] [--quick]
 *
 * `--quick` shrinks every count and duration, to check that the suite runs; its numbers
 * are not for reporting.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { CONTENDERS } from './contenders/index.js';
import { describeMachine } from './machine.js';
import type { Scenario } from './scenario.js';
import { burstScenario } from './scenarios/bursts.js';
import { fleetScenario } from './scenarios/fleet.js';
import { outageScenario } from './scenarios/outage.js';
import { overheadScenario } from './scenarios/overhead.js';
import { permanentFailureScenario } from './scenarios/permanent-failure.js';
import { refreshLatencyScenario } from './scenarios/refresh-latency.js';
import { revocationScenario } from './scenarios/revocation.js';
import { tenantFleetScenario } from './scenarios/tenant-fleet.js';
import { markdownTable, type ScenarioOutcome } from './table.js';

const { values } = parseArgs({
  args: process.argv.slice(2).filter((arg) => arg !== '--'),
  options: {
    only: { type: 'string' },
    scenario: { type: 'string' },
    out: { type: 'string' },
    quick: { type: 'boolean', default: false },
  },
});
const quick = values.quick;

const SCENARIOS: readonly Scenario[] = [
  burstScenario({ count: quick ? 100 : 1000, tokenLifetimeSeconds: 2 }),
  overheadScenario({
    rounds: quick ? 4 : 100,
    batch: quick ? 50 : 200,
    concurrency: 32,
    forks: quick ? 2 : 4,
    budgetMs: 300_000,
  }),
  refreshLatencyScenario({
    tokenLifetimeSeconds: 4,
    tokenDelayMs: 300,
    intervalMs: 10,
    durationMs: quick ? 5_000 : 10_000,
  }),
  revocationScenario({ count: 256, concurrency: 32 }),
  outageScenario({
    outageMs: 2000,
    tokenLifetimesSeconds: quick ? [8] : [8, 20, 60],
    runs: quick ? 2 : 5,
    intervalMs: 20,
  }),
  permanentFailureScenario({
    tokenLifetimeSeconds: 2,
    callers: 8,
    intervalMs: 20,
    durationMs: quick ? 3000 : 5000,
  }),
  fleetScenario({ workers: 4, requestsPerWorker: quick ? 50 : 250 }),
  tenantFleetScenario({
    workers: quick ? 2 : 8,
    keys: quick ? 100 : 1000,
    tokenLifetimeSeconds: quick ? 10 : 20,
    pollMs: 250,
  }),
];

const pick = <T extends { id: string }>(all: readonly T[], list: string | undefined): T[] => {
  if (!list) return [...all];
  const ids = list.split(',');
  const unknown = ids.filter((id) => !all.some((item) => item.id === id));
  if (unknown.length > 0)
    throw new Error(
      `unknown: ${unknown.join(', ')}; known: ${all.map((item) => item.id).join(', ')}`,
    );
  return all.filter((item) => ids.includes(item.id));
};
const contenders = pick(CONTENDERS, values.only);
const scenarios = pick(SCENARIOS, values.scenario);

const machine = describeMachine();
console.log(`machine: ${machine}`);
for (const contender of contenders) console.log(`${contender.packageName}: ${contender.usage}`);

const started = performance.now();
const outcomes: ScenarioOutcome[] = [];
const details: string[] = [];
for (const scenario of scenarios) {
  const scenarioStarted = performance.now();
  console.log(`\n${scenario.id} …`);
  const cells = await scenario.run(contenders, (line) => {
    console.log(`  ${line}`);
    details.push(`- ${line}`);
  });
  console.log(`  ${((performance.now() - scenarioStarted) / 1000).toFixed(1)} s`);
  outcomes.push({ scenario, cells });
}

const table = markdownTable(contenders, outcomes, installedVersions());
const minutes = ((performance.now() - started) / 60_000).toFixed(1);
const report = [
  table,
  `${quick ? 'QUICK RUN, not for reporting. ' : ''}Ran in ${minutes} min on ${machine}, ${new Date().toISOString().slice(0, 10)}.`,
  details.join('\n'),
].join('\n\n');
console.log(`\n${report}`);
if (values.out) writeFileSync(values.out, `${report}\n`);
// Done: some peers leave timers behind with no way to cancel them (@badgateway/oauth2-client
// schedules a refresh a minute before expiry), which would keep the process alive for an hour.
process.exit(0);

/** The version of each contender's package: the peers as pinned here, this project from its manifest. */
function installedVersions(): Map<string, string> {
  const manifest = JSON.parse(
    readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
  ) as {
    devDependencies: Record<string, string>;
  };
  const versions = new Map(Object.entries(manifest.devDependencies));
  const require = createRequire(import.meta.url);
  const ours = require('@auth/fetch/package.json') as { version: string };
  versions.set('@auth/fetch', ours.version);
  return versions;
}
