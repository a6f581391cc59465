import { setTimeout as sleep } from 'node:timers/promises';
import type { AuthClient } from './contender.js';

/** What a run of requests came to. */
export interface Traffic {
  /** Requests that rejected or did not end in 200: what the caller would have to handle. */
  failures: number;
  /** The message of the first failure, to tell a caller what went wrong. */
  firstFailure?: string;
  /** The latency of every request, in ms, in the order they started. */
  latenciesMs: number[];
}

/** One GET, timed; a rejection or a status other than 200 is a failure. */
async function timedGet(client: AuthClient, path: string, into: Traffic, index: number) {
  const started = performance.now();
  try {
    const status = await client.get(path);
    if (status !== 200) record(into, `status ${status}`);
  } catch (error) {
    record(into, error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  }
  into.latenciesMs[index] = performance.now() - started;
}

function record(into: Traffic, failure: string) {
  into.failures++;
  into.firstFailure ??= failure;
}

/** `count` GETs started at once. */
export async function burst(client: AuthClient, path: string, count: number): Promise<Traffic> {
  const traffic: Traffic = { failures: 0, latenciesMs: [] };
  await Promise.all(Array.from({ length: count }, (_, i) => timedGet(client, path, traffic, i)));
  return traffic;
}

/** `count` GETs with `concurrency` of them in flight at a time. */
export async function pooled(
  client: AuthClient,
  path: string,
  count: number,
  concurrency: number,
): Promise<Traffic> {
  const traffic: Traffic = { failures: 0, latenciesMs: [] };
  let next = 0;
  const worker = async () => {
    while (next < count) await timedGet(client, path, traffic, next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return traffic;
}

/**
 * Steady traffic: one GET every `intervalMs` for `durationMs`, each started on time
 * whether or not the ones before have finished (as independent callers would).
 */
export async function steady(
  client: AuthClient,
  path: string,
  { intervalMs, durationMs }: { intervalMs: number; durationMs: number },
): Promise<Traffic> {
  const traffic: Traffic = { failures: 0, latenciesMs: [] };
  const inFlight: Promise<void>[] = [];
  const started = performance.now();
  for (let i = 0; i * intervalMs < durationMs; i++) {
    const due = started + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    inFlight.push(timedGet(client, path, traffic, i));
  }
  await Promise.all(inFlight);
  return traffic;
}

/**
 * Polling callers: `callers` loops that each make a GET, wait `intervalMs` after it ends,
 * and go again, until `durationMs` has passed (as services that retry on a timer would).
 */
export async function polling(
  client: AuthClient,
  path: string,
  { callers, intervalMs, durationMs }: { callers: number; intervalMs: number; durationMs: number },
): Promise<Traffic> {
  const traffic: Traffic = { failures: 0, latenciesMs: [] };
  const endsAt = performance.now() + durationMs;
  let next = 0;
  const caller = async () => {
    while (performance.now() < endsAt) {
      await timedGet(client, path, traffic, next++);
      await sleep(intervalMs);
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  return traffic;
}
