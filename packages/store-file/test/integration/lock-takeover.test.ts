import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTokenServer, type TokenServer } from '@auth/testing/http';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Child, exited, nextMessage, startFixture } from './child-processes.js';

const WORKERS = 8;
/** Far above the test's own timeout: a survivor that waited for the TTL fails the test. */
const LOCK_TTL_MS = 60_000;
const TAKEOVER_TEST_TIMEOUT_MS = 20_000;

interface WorkerReport {
  fingerprint: string;
  events: Array<{ type: string; operation?: string; message?: string }>;
}

let root: string;
let server: TokenServer;
let workers: Child[] = [];
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'store-file-takeover-'));
  server = await startTokenServer();
  const path = join(root, 'tokens.json');
  workers = Array.from({ length: WORKERS }, () =>
    startFixture('takeover-worker.mjs', [path, server.tokenUrl, String(LOCK_TTL_MS)]),
  );
  expect(await Promise.all(workers.map((worker) => nextMessage(worker)))).toEqual(
    Array(WORKERS).fill('ready'),
  );
}, 60_000);
afterAll(async () => {
  for (const worker of workers) worker.process.kill('SIGKILL');
  await Promise.all(workers.map(exited));
  await server.close();
  await rm(root, { recursive: true, force: true });
});

describe('FileTokenStore when the lock holder dies', () => {
  it(
    `lets ${WORKERS - 1} survivors take over a SIGKILLed holder's lock without waiting for lockTtlMs, with one token request between them`,
    async () => {
      // The first token request never gets an answer: its sender holds the lock until killed.
      server.failNext({ kind: 'hang' });
      const roles = workers.map((worker) => nextMessage<string>(worker));
      for (const worker of workers) worker.process.send('go');
      const settled = await Promise.all(roles);
      expect(settled.filter((role) => role === 'holding')).toHaveLength(1);
      const holder = workers[settled.indexOf('holding')]!;
      const survivors = workers.filter((worker) => worker !== holder);
      const reports = survivors.map((worker) => nextMessage<WorkerReport>(worker));
      await vi.waitFor(() => expect(server.requestCount).toBe(1), { timeout: 10_000 });

      holder.process.kill('SIGKILL');
      expect((await exited(holder)).signal).toBe('SIGKILL');
      const results = await Promise.all(reports);

      expect(server.requestCount).toBe(2);
      expect(new Set(results.map((report) => report.fingerprint)).size).toBe(1);
      const types = results.flatMap((report) => report.events.map((event) => event.type));
      expect(types.filter((type) => type === 'token-fetched')).toHaveLength(1);
      expect(types).not.toContain('store-error');
      const left = (await readdir(root)).filter((name) => name !== 'tokens.json');
      expect(left).toEqual([]);
    },
    TAKEOVER_TEST_TIMEOUT_MS,
  );
});
