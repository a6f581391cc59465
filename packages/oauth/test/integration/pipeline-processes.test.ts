import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startRedis, type TestRedis } from '@auth/testing/redis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { APP_KEY, type LoginApi, startLoginApi } from './login-api.js';

// Runs the built package (dist/): build it first (turbo's `test` task does).
const WORKER = fileURLToPath(new URL('./fixtures/pipeline-worker.mjs', import.meta.url));
const PROCESSES = 4;
const CALLS_EACH = 25;

interface WorkerReport {
  fingerprints?: string[];
  failed?: string;
  events: { type: string; key: string; operation?: string }[];
}

let api: LoginApi;
let redis: TestRedis;
let root: string;
let children: ChildProcess[] = [];
beforeAll(async () => {
  [api, redis] = await Promise.all([startLoginApi(), startRedis()]);
  root = await mkdtemp(join(tmpdir(), 'oauth-pipeline-processes-'));
}, 60_000);
afterAll(async () => {
  await api?.close();
  await redis?.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => api.reset());
afterEach(async () => {
  await Promise.all(children.map(exited));
  children = [];
});

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  if (!child.connected) child.kill('SIGKILL');
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

function nextMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`worker exited (${code}) early`));
    child.once('exit', onExit);
    child.once('message', (message: T) => {
      child.off('exit', onExit);
      resolve(message);
    });
  });
}

/** Forks the workers, holds them at a barrier until all are up, then sends them all at once. */
async function runFleet(store: { filePath: string } | { redisUrl: string }) {
  const settings = JSON.stringify({
    apiUrl: api.url,
    appKey: APP_KEY,
    keyPrefix: `acme-${randomUUID()}`,
    callsEach: CALLS_EACH,
    ...store,
  });
  children = Array.from({ length: PROCESSES }, () =>
    fork(WORKER, [settings], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
  expect(await Promise.all(children.map((child) => nextMessage(child)))).toEqual(
    Array(PROCESSES).fill('ready'),
  );
  const replies = children.map((child) => nextMessage<WorkerReport>(child));
  for (const child of children) child.send('go');
  return Promise.all(replies);
}

function expectOneRequestPerStep(reports: WorkerReport[]): void {
  for (const report of reports) {
    expect(report.failed).toBeUndefined();
    // Each process served one user and one admin token to its callers...
    expect(report.fingerprints).toHaveLength(2);
    expect(report.events.filter((event) => event.type === 'store-error')).toEqual([]);
  }
  // ...the same two in every process, from one request per step.
  expect(new Set(reports.flatMap((report) => report.fingerprints)).size).toBe(2);
  expect(api.counts).toEqual({ app: 1, user: 1, admin: 1 });
  const fetched = reports.flatMap((report) =>
    report.events.filter((event) => event.type === 'token-fetched'),
  );
  expect(fetched.map((event) => event.key.replace(/^acme-[^:]*/, '')).sort()).toEqual([
    ':admin',
    ':app',
    ':user',
  ]);
}

describe(`${PROCESSES} cold processes, two pipelines each sharing their app step`, () => {
  it('make exactly one request per step through a shared FileTokenStore', async () => {
    expectOneRequestPerStep(await runFleet({ filePath: join(root, 'tokens.json') }));
  });

  it('make exactly one request per step through a shared RedisTokenStore', async () => {
    expectOneRequestPerStep(await runFleet({ redisUrl: redis.url }));
  });
});
