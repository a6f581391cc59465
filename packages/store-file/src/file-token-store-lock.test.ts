import { mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { TokenSet, TokenStoreError } from '@auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTokenStore } from './file-token-store.js';
import type { FileTokenStoreEvent } from './file-token-store-events.js';

const T0 = 1_700_000_000_000;
/** Above Linux's largest pid (2^22): no process has it. */
const DEAD_PID = 99_999_999;

let root: string;
let path: string;
let now: number;
let events: FileTokenStoreEvent[];
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'store-file-lock-'));
  path = join(root, 'tokens.json');
  now = T0;
  events = [];
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function store(options: { writeLockTimeoutMs?: number } = {}) {
  return new FileTokenStore({
    path,
    now: () => now,
    onEvent: (event) => events.push(event),
    ...options,
  });
}

async function lockFiles(): Promise<string[]> {
  return (await readdir(root)).filter((name) => name.endsWith('.lock'));
}

describe('FileTokenStore.acquireLock', () => {
  it('gives the lock to one holder at a time, per key', async () => {
    const lock = await store().acquireLock('key-a', 10_000);
    expect(lock).toBeDefined();
    expect(await store().acquireLock('key-a', 10_000)).toBeUndefined();
    const other = await store().acquireLock('key-b', 10_000);
    expect(other).toBeDefined();
    await lock?.release();
    expect(await store().acquireLock('key-a', 10_000)).toBeDefined();
  });

  it('names the lock file by a hash of the key, not the key', async () => {
    await store().acquireLock('https://issuer/token|client-id|scope', 10_000);
    const [name] = await lockFiles();
    expect(name).toMatch(/^tokens\.json\.[0-9a-f]{16}\.lock$/);
  });

  it('takes over a lock past its TTL and reports the stale lock', async () => {
    const first = await store().acquireLock('key', 1_000);
    now = T0 + 999;
    expect(await store().acquireLock('key', 1_000)).toBeUndefined();
    now = T0 + 1_000;
    expect(await store().acquireLock('key', 1_000)).toBeDefined();
    expect(events).toEqual([
      { type: 'stale-lock-removed', lock: 'token', path: join(root, (await lockFiles())[0]!) },
    ]);
    expect(first).toBeDefined();
  });

  it('never frees a lock another holder took over', async () => {
    const first = await store().acquireLock('key', 1_000);
    now = T0 + 5_000;
    const second = await store().acquireLock('key', 60_000);
    expect(second).toBeDefined();
    const lockPath = join(root, (await lockFiles())[0]!);
    const secondContent = await readFile(lockPath, 'utf8');
    await first?.release();
    await first?.release();
    expect(await readFile(lockPath, 'utf8')).toBe(secondContent);
    expect(await store().acquireLock('key', 60_000)).toBeUndefined();
    await second?.release();
    expect(await lockFiles()).toEqual([]);
    expect((await readdir(root)).filter((name) => name.includes('.release'))).toEqual([]);
  });

  it('gives an expired lock to exactly one of many simultaneous takers', async () => {
    await store().acquireLock('key', 1_000);
    now = T0 + 5_000;
    const takers = Array.from({ length: 24 }, () => store());
    const locks = await Promise.all(takers.map((taker) => taker.acquireLock('key', 60_000)));
    expect(locks.filter(Boolean)).toHaveLength(1);
    expect(events).toHaveLength(1);
  });

  it('treats an empty lock file (its creator died while writing it) as stale once it is older than the TTL', async () => {
    const probe = await store().acquireLock('key', 1_000);
    const lockPath = join(root, (await lockFiles())[0]!);
    await probe?.release();
    await writeFile(lockPath, '');
    await utimes(lockPath, new Date(T0), new Date(T0));
    now = T0 + 500;
    expect(await store().acquireLock('key', 1_000)).toBeUndefined();
    now = T0 + 1_000;
    expect(await store().acquireLock('key', 1_000)).toBeDefined();
  });
});

describe('FileTokenStore.acquireLock when the holder is gone', () => {
  async function writeTokenLock(record: Record<string, unknown>): Promise<string> {
    const probe = await store().acquireLock('key', 1_000);
    const lockPath = join(root, (await lockFiles())[0]!);
    await probe?.release();
    await writeFile(lockPath, JSON.stringify(record));
    return lockPath;
  }

  it('takes over at once a lock whose holder no longer runs on this host, long before its TTL', async () => {
    const lockPath = await writeTokenLock({
      owner: 'crashed',
      pid: DEAD_PID,
      host: hostname(),
      expiresAt: T0 + 60_000,
    });
    const lock = await store().acquireLock('key', 60_000);
    expect(lock).toBeDefined();
    expect(events).toEqual([{ type: 'stale-lock-removed', lock: 'token', path: lockPath }]);
    expect(await store().acquireLock('key', 60_000)).toBeUndefined();
  });

  it('takes over a lock whose pid now belongs to another process (the pid was reused)', async () => {
    // pid 1 runs, but it is not the process that wrote this lock: its start differs.
    await writeTokenLock({
      owner: 'reused',
      pid: 1,
      host: hostname(),
      processStart: 'not-the-start-of-pid-1',
      expiresAt: T0 + 60_000,
    });
    expect(await store().acquireLock('key', 60_000)).toBeDefined();
  });

  it('never judges a holder on another host by its pid: its lock holds until the TTL', async () => {
    await writeTokenLock({
      owner: 'elsewhere',
      pid: DEAD_PID,
      host: `not-${hostname()}`,
      expiresAt: T0 + 60_000,
    });
    expect(await store().acquireLock('key', 60_000)).toBeUndefined();
    now = T0 + 60_000;
    expect(await store().acquireLock('key', 60_000)).toBeDefined();
  });

  it('records the holder: pid, process start, host', async () => {
    await store().acquireLock('key', 60_000);
    const record = JSON.parse(await readFile(join(root, (await lockFiles())[0]!), 'utf8'));
    expect(record).toMatchObject({ pid: process.pid, host: hostname(), expiresAt: T0 + 60_000 });
    expect(typeof record.processStart).toBe('string');
  });

  it("gives a dead holder's lock to exactly one of many simultaneous takers", async () => {
    await writeTokenLock({
      owner: 'crashed',
      pid: DEAD_PID,
      host: hostname(),
      expiresAt: T0 + 60_000,
    });
    const takers = Array.from({ length: 24 }, () => store());
    const locks = await Promise.all(takers.map((taker) => taker.acquireLock('key', 60_000)));
    expect(locks.filter(Boolean)).toHaveLength(1);
    expect(await lockFiles()).toHaveLength(1);
    await locks.find(Boolean)?.release();
    expect(await readdir(root)).toEqual([]);
  });
});

describe('FileTokenStore.waitForUpdate', () => {
  const tokens = new TokenSet({ accessToken: 'waited-for-token' });

  it('returns at once when nobody holds the lock', async () => {
    await store().waitForUpdate('key', { timeoutMs: 60_000 });
  });

  it('wakes when the holder releases the lock', async () => {
    const lock = await store().acquireLock('key', 60_000);
    const waiting = store().waitForUpdate('key', { timeoutMs: 60_000 });
    await lock?.release();
    await waiting;
  });

  it('wakes when the entry of its key lands, the lock still held', async () => {
    await store().acquireLock('key', 60_000);
    const waiting = store().waitForUpdate('key', { timeoutMs: 60_000 });
    await store().set('key', tokens);
    await waiting;
  });

  it('wakes when a sealed record of its key lands, the lock still held', async () => {
    await store().acquireLock('key', 60_000);
    const waiting = store().waitForUpdate('key', { timeoutMs: 60_000 });
    await store().setSealed('key', { data: 'opaque' });
    await waiting;
  });

  it('ends when its signal aborts', async () => {
    await store().acquireLock('key', 60_000);
    const controller = new AbortController();
    const waiting = store().waitForUpdate('key', { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    await waiting;
  });
});

describe('FileTokenStore write lock', () => {
  const tokens = new TokenSet({ accessToken: 'write-lock-token' });

  it('breaks a write lock left by a process that no longer runs', async () => {
    const lockPath = `${path}.lock`;
    const record = { owner: 'crashed', pid: DEAD_PID, host: hostname(), expiresAt: T0 + 60_000 };
    await writeFile(lockPath, JSON.stringify(record));
    await store().set('a', tokens);
    expect((await store().get('a'))?.accessToken).toBe('write-lock-token');
    expect(events).toContainEqual({ type: 'stale-lock-removed', lock: 'write', path: lockPath });
    expect(await lockFiles()).toEqual([]);
  });

  it('waits for a live writer and gives up with TokenStoreError after writeLockTimeoutMs', async () => {
    // pid 1 always runs: this lock belongs to a live holder.
    const record = { owner: 'live', pid: 1, host: hostname(), expiresAt: T0 + 60_000 };
    await writeFile(`${path}.lock`, JSON.stringify(record));
    const error = await store({ writeLockTimeoutMs: 20 })
      .set('a', tokens)
      .catch((caught: unknown) => caught);
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect((error as TokenStoreError).operation).toBe('set');
    expect((error as Error).message).toContain('timed out');
    expect(await readFile(`${path}.lock`, 'utf8')).toBe(JSON.stringify(record));
  });

  it('removes temporary files a killed writer left behind on the next write', async () => {
    await store().set('a', tokens);
    await writeFile(`${path}.0b7e4c7e-dead-4bee-8f00-000000000000.tmp`, '{"version":1,"entr');
    await store().set('b', tokens);
    expect(await readdir(root)).toEqual(['tokens.json']);
  });

  it('removes lock drafts and half-released locks once they are a minute old', async () => {
    now = Date.now();
    await store().set('a', tokens);
    const leftovers = [`${path}.lock.0b7e4c7e.draft`, `${path}.0123456789abcdef.lock.5d1e.release`];
    for (const leftover of leftovers) await writeFile(leftover, '{}');
    await store().set('b', tokens);
    expect((await readdir(root)).length).toBe(3);
    now = Date.now() + 60_000;
    await store().set('c', tokens);
    expect(await readdir(root)).toEqual(['tokens.json']);
  });
});
