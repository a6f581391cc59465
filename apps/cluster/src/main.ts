import { type FleetResult, FleetSetupError, runFleet } from './fleet.js';
import { parseFleetOptions, USAGE, UsageError } from './fleet-options.js';

const EXIT = { ok: 0, failures: 1, usage: 2, setup: 3 } as const;

process.exitCode = await main(process.argv.slice(2));

async function main(args: string[]): Promise<number> {
  let options: ReturnType<typeof parseFleetOptions>;
  try {
    options = parseFleetOptions(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`cluster: ${error.message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  if (options === 'help') {
    console.log(USAGE);
    return EXIT.ok;
  }
  console.log(
    `Starting ${options.workers} workers on 127.0.0.1: ${options.requestsPerWorker} requests each over ` +
      `${options.durationMs} ms; tokens live ${options.tokenLifetimeSeconds} s ` +
      `(refresh ahead ${options.refreshAheadMs} ms, expiry skew ${options.expirySkewMs} ms).`,
  );
  let result: FleetResult;
  try {
    result = await runFleet(options, process.env);
  } catch (error) {
    if (!(error instanceof FleetSetupError)) throw error;
    console.error(`cluster: could not start the fleet: ${error.message}`);
    return EXIT.setup;
  }
  printResult(result);
  return result.failures === 0 ? EXIT.ok : EXIT.failures;
}

function printResult(result: FleetResult): void {
  console.log(`Redis: ${result.redis === 'REDIS_URL' ? 'REDIS_URL' : 'a throwaway redis-server'}`);
  for (const [index, report] of result.workers.entries()) {
    if (!report) {
      console.log(`  worker ${index + 1}: died before reporting`);
      continue;
    }
    const { fetched, refreshed, adopted, storeErrors } = report.tokenEvents;
    console.log(
      `  worker ${report.worker}: ${report.served} served, ${report.failures} failed; tokens: ` +
        `${fetched} fetched, ${refreshed} refreshed, ${adopted} taken from Redis` +
        `${storeErrors > 0 ? `, ${storeErrors} store errors` : ''}`,
    );
    for (const sample of report.failureSamples) console.log(`    failure: ${sample}`);
  }
  console.log(
    `Requests served: ${result.requestsServed} of ${result.requestsTotal}; failures: ${result.failures}`,
  );
  console.log(
    `Token requests by the whole fleet: ${result.tokenRequests} ` +
      `(token lifetimes spanned: ${result.lifetimesSpanned}; one shared token per renewal period: ${range(result.expectedTokenRequests)}; ` +
      `without a shared store every worker would make its own: at least ${result.options.workers * result.expectedTokenRequests.min})`,
  );
  console.log(
    JSON.stringify({
      workers: result.options.workers,
      requestsPerWorker: result.options.requestsPerWorker,
      durationMs: result.options.durationMs,
      tokenLifetimeSeconds: result.options.tokenLifetimeSeconds,
      lifetimesSpanned: result.lifetimesSpanned,
      expectedTokenRequests: result.expectedTokenRequests,
      tokenRequests: result.tokenRequests,
      requestsTotal: result.requestsTotal,
      requestsServed: result.requestsServed,
      failures: result.failures,
      elapsedMs: result.elapsedMs,
      redis: result.redis,
    }),
  );
}

function range({ min, max }: { min: number; max: number }): string {
  return min === max ? `${min}` : `${min} to ${max}`;
}
