import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { bearerTokenCheck, startProtectedApi, startTokenServer } from '@auth/testing/http';
import type { TestRedis } from '@auth/testing/redis';
import type { FleetOptions } from './fleet-options.js';
import { openFleetRedis } from './fleet-redis.js';
import type { WorkerReport } from './messages.js';
import { forkWorker, type WorkerProcess } from './worker-process.js';

/** What a fleet run did. */
export interface FleetResult {
  options: FleetOptions;
  /** Where Redis came from: `REDIS_URL`, or a throwaway `redis-server`. */
  redis: 'REDIS_URL' | 'redis-server';
  /** Token requests the token server received from the whole fleet. */
  tokenRequests: number;
  /** Token lifetimes the run spans: `ceil(durationMs / lifetime)`, at least 1. */
  lifetimesSpanned: number;
  /** The token requests one shared token per renewal period makes: see {@link expectedTokenRequests}. */
  expectedTokenRequests: { min: number; max: number };
  /** API requests the workers were asked to make. */
  requestsTotal: number;
  /** API requests answered 2xx. */
  requestsServed: number;
  /** API requests that failed, plus those of workers that died. */
  failures: number;
  /** Wall time from `go` to the last report, in ms. */
  elapsedMs: number;
  /** Each worker's report (`undefined` for one that died). */
  workers: (WorkerReport | undefined)[];
}

/** The fleet could not be set up (no Redis, a worker that never got ready). */
export class FleetSetupError extends Error {
  override readonly name = 'FleetSetupError';
}

const READY_TIMEOUT_MS = 30_000;
/** Time a run may take beyond `durationMs` before its workers are killed. */
const RUN_GRACE_MS = 60_000;

/**
 * Runs the fleet: a counting token server and a protected API on 127.0.0.1, Redis
 * (`REDIS_URL` or a throwaway `redis-server`), and `options.workers` forked workers that
 * start together and each make `requestsPerWorker` API requests over `durationMs`.
 * Everything it started is stopped before it returns.
 *
 * @param options - See {@link FleetOptions}.
 * @param env - Where `REDIS_URL` is read.
 * @returns The counts.
 * @throws {FleetSetupError} No Redis (none on PATH, or REDIS_URL does not answer), or a worker that did not get ready.
 * @example
 * ```ts
 * const result = await runFleet(parseFleetOptions([]) as FleetOptions, process.env);
 * console.log(result.tokenRequests);
 * ```
 */
export async function runFleet(
  options: FleetOptions,
  env: Record<string, string | undefined>,
): Promise<FleetResult> {
  let redis: TestRedis;
  try {
    redis = await openFleetRedis(env);
  } catch (error) {
    throw new FleetSetupError((error as Error).message, { cause: error });
  }
  const clientSecret = randomBytes(18).toString('base64url');
  const started: { close(): Promise<void> }[] = [redis];
  let tokenServer: Awaited<ReturnType<typeof startTokenServer>>;
  let api: Awaited<ReturnType<typeof startProtectedApi>>;
  try {
    tokenServer = await startTokenServer({
      lifetimeSeconds: options.tokenLifetimeSeconds,
      issueRefreshTokens: false,
      clients: { 'fleet-worker': clientSecret },
    });
    started.unshift(tokenServer);
    api = await startProtectedApi({
      authorize: bearerTokenCheck((token) => tokenServer.isActive(token)),
    });
    started.unshift(api);
  } catch (error) {
    for (const server of started) await server.close();
    throw new FleetSetupError((error as Error).message, { cause: error });
  }
  const workerPath = fileURLToPath(new URL('./worker.js', import.meta.url));
  const keyPrefix = `auth-cluster:${randomBytes(6).toString('hex')}:`;
  const workers: WorkerProcess[] = [];
  try {
    for (let worker = 1; worker <= options.workers; worker++) {
      workers.push(
        forkWorker(workerPath, {
          type: 'setup',
          worker,
          redisUrl: redis.url,
          keyPrefix,
          tokenUrl: tokenServer.tokenUrl,
          clientId: 'fleet-worker',
          clientSecret,
          apiUrl: api.url,
          requests: options.requestsPerWorker,
          durationMs: options.durationMs,
          refreshAheadMs: options.refreshAheadMs,
          expirySkewMs: options.expirySkewMs,
        }),
      );
    }
    await withDeadline(
      Promise.all(workers.map((worker) => worker.ready)),
      READY_TIMEOUT_MS,
      `the workers were not ready within ${READY_TIMEOUT_MS} ms`,
    ).catch((error: Error) => {
      throw new FleetSetupError(error.message, { cause: error });
    });
    const startedAt = Date.now();
    for (const worker of workers) worker.go();
    const killer = setTimeout(() => {
      for (const worker of workers) worker.kill();
    }, options.durationMs + RUN_GRACE_MS);
    const reports = await Promise.all(workers.map((worker) => worker.report));
    clearTimeout(killer);
    const elapsedMs = Date.now() - startedAt;
    const requestsServed = reports.reduce((sum, report) => sum + (report?.served ?? 0), 0);
    const requestsTotal = options.workers * options.requestsPerWorker;
    return {
      options,
      redis: env.REDIS_URL ? 'REDIS_URL' : 'redis-server',
      tokenRequests: tokenServer.requestCount,
      lifetimesSpanned: Math.max(
        1,
        Math.ceil(options.durationMs / (options.tokenLifetimeSeconds * 1000)),
      ),
      expectedTokenRequests: expectedTokenRequests(options),
      requestsTotal,
      requestsServed,
      failures: requestsTotal - requestsServed,
      elapsedMs,
      workers: reports,
    };
  } finally {
    for (const worker of workers) worker.kill();
    for (const server of started) await server.close();
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * How many token requests a fleet sharing one token makes over the run: the first fetch,
 * then one renewal each time the token reaches the refresh-ahead window. As the
 * `TokenManager` schedules it, a token of lifetime `L` stops being served at
 * `L - skew` (skew clamped to `L / 2`) and is renewed at a jittered point in the first
 * half of the window before that (window clamped to half the usable lifetime), so the
 * renewal period lies between `L - skew - window` and `L - skew - window / 2`.
 *
 * @param options - The run's settings.
 * @returns The fewest and most token requests the whole fleet should make.
 * @example
 * ```ts
 * expectedTokenRequests({ ...options, tokenLifetimeSeconds: 5, durationMs: 6000 }); // { min: 2, max: 2 }
 * ```
 */
export function expectedTokenRequests(options: FleetOptions): { min: number; max: number } {
  const lifetimeMs = options.tokenLifetimeSeconds * 1000;
  const usableMs = lifetimeMs - Math.min(options.expirySkewMs, lifetimeMs / 2);
  const windowMs = Math.min(options.refreshAheadMs, usableMs / 2);
  const shortestPeriodMs = usableMs - windowMs;
  const longestPeriodMs = usableMs - windowMs / 2;
  return {
    min: 1 + Math.floor(options.durationMs / longestPeriodMs),
    max: 1 + Math.floor(options.durationMs / shortestPeriodMs),
  };
}
