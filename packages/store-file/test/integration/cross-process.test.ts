import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTokenServer, type TokenServer } from '@auth/testing/http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Child, exited, nextMessage, startFixture } from './child-processes.js';

const WORKERS = 6;

let root: string;
let server: TokenServer;
let children: Child[] = [];
beforeAll(async () => {
  server = await startTokenServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'store-file-cross-'));
  server.resetCount();
});
afterEach(async () => {
  for (const child of children) child.process.kill('SIGKILL');
  await Promise.all(children.map(exited));
  children = [];
  await rm(root, { recursive: true, force: true });
});

function start(name: string, args: string[]): Child {
  const child = startFixture(name, args);
  children.push(child);
  return child;
}

interface WorkerReport {
  fingerprints: string[];
  events: Array<{ type: string; operation?: string; message?: string }>;
}

describe('FileTokenStore shared by several processes', () => {
  it(`lets ${WORKERS} cold TokenManager processes share one token request`, async () => {
    // A slow token endpoint keeps the winner's lock held while the others arrive.
    server.setDelayMs(200);
    const path = join(root, 'tokens.json');
    const workers = Array.from({ length: WORKERS }, () =>
      start('manager-worker.mjs', [path, server.tokenUrl]),
    );
    // The barrier: every process is up with its manager built before any asks for a token.
    expect(await Promise.all(workers.map((worker) => nextMessage(worker)))).toEqual(
      Array(WORKERS).fill('ready'),
    );
    const reports = workers.map((worker) => nextMessage<WorkerReport>(worker));
    for (const worker of workers) worker.process.send('go');
    const results = await Promise.all(reports);

    expect(server.requestCount).toBe(1);
    const fingerprints = new Set(results.flatMap((report) => report.fingerprints));
    expect(fingerprints.size).toBe(1);
    const types = results.flatMap((report) => report.events.map((event) => event.type));
    expect(types.filter((type) => type === 'token-fetched')).toHaveLength(1);
    expect(types.filter((type) => type === 'token-adopted')).toHaveLength(WORKERS - 1);
    expect(types).not.toContain('store-error');
    server.setDelayMs(0);
  });

  it('never loses an entry when processes write different keys at once', async () => {
    const path = join(root, 'tokens.json');
    const perWriter = 25;
    const writers = ['alpha', 'bravo', 'charlie', 'delta'].map((prefix) =>
      start('key-writer.mjs', [path, prefix, String(perWriter)]),
    );
    await Promise.all(writers.map((writer) => nextMessage(writer)));
    const done = writers.map((writer) => nextMessage(writer));
    for (const writer of writers) writer.process.send('go');
    expect(await Promise.all(done)).toEqual(Array(writers.length).fill('done'));

    const document = JSON.parse(await readFile(path, 'utf8'));
    const expected = ['alpha', 'bravo', 'charlie', 'delta'].flatMap((prefix) =>
      Array.from({ length: perWriter }, (_, i) => `${prefix}-${i}`),
    );
    expect(Object.keys(document.entries).sort()).toEqual(expected.sort());
    for (const key of expected) {
      const [prefix, index] = key.split('-');
      expect(document.entries[key].accessToken).toBe(`${prefix}-token-${index}`);
    }
  });
});
