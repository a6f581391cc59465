import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTokenStore, type FileTokenStoreEvent } from '../../src/index.js';
import { exited, nextMessage, startFixture } from './child-processes.js';

const KEY = 'client_credentials|https://issuer.example/token|cli';

let root: string;
let path: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'store-file-locks-'));
  path = join(root, 'tokens.json');
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function lockFile(): Promise<string> {
  const names = (await readdir(root)).filter((name) => name.endsWith('.lock'));
  expect(names).toHaveLength(1);
  return join(root, names[0]!);
}

describe('FileTokenStore locks across processes', () => {
  it('takes over at once a lock left by a SIGKILLed holder on this host, without moving the clock', async () => {
    const holder = startFixture('lock-holder.mjs', [path, KEY, '60000']);
    expect(await nextMessage(holder)).toBe('locked');
    const events: FileTokenStoreEvent[] = [];
    const store = new FileTokenStore({ path, onEvent: (event) => events.push(event) });
    expect(await store.acquireLock(KEY, 1_000)).toBeUndefined();
    holder.process.kill('SIGKILL');
    expect((await exited(holder)).signal).toBe('SIGKILL');

    const lock = await store.acquireLock(KEY, 1_000);
    expect(lock).toBeDefined();
    expect(events).toEqual([{ type: 'stale-lock-removed', lock: 'token', path: await lockFile() }]);
    await lock?.release();
    expect(await readdir(root)).toEqual([]);
  });

  it('recovers a lock left by a SIGKILLed holder on another host once its TTL has passed, not before', async () => {
    const ttlMs = 60_000;
    // Its pid means nothing here: only the TTL tells when its lock is free.
    const holder = startFixture(
      'lock-holder.mjs',
      [path, KEY, String(ttlMs)],
      undefined,
      'nfs-peer',
    );
    expect(await nextMessage(holder)).toBe('locked');
    const lockedAt = Date.now();
    holder.process.kill('SIGKILL');
    expect((await exited(holder)).signal).toBe('SIGKILL');

    const events: FileTokenStoreEvent[] = [];
    let now = lockedAt;
    const store = new FileTokenStore({
      path,
      now: () => now,
      onEvent: (event) => events.push(event),
    });
    expect(await store.acquireLock(KEY, 1_000)).toBeUndefined();
    now = lockedAt + ttlMs - 1_000;
    expect(await store.acquireLock(KEY, 1_000)).toBeUndefined();
    now = lockedAt + ttlMs + 1_000;
    const lock = await store.acquireLock(KEY, 1_000);
    expect(lock).toBeDefined();
    expect(events).toEqual([{ type: 'stale-lock-removed', lock: 'token', path: await lockFile() }]);
    await lock?.release();
    expect((await readdir(root)).filter((name) => name.includes('.lock'))).toEqual([]);
  });

  it('never lets a process release a lock another process took over', async () => {
    const holder = startFixture('lock-holder.mjs', [path, KEY, '1000']);
    expect(await nextMessage(holder)).toBe('locked');
    // The holder overran its TTL: this process takes the lock over.
    const store = new FileTokenStore({ path, now: () => Date.now() + 5_000 });
    const takenOver = await store.acquireLock(KEY, 60_000);
    expect(takenOver).toBeDefined();
    const ours = await readFile(await lockFile(), 'utf8');

    holder.process.send('release');
    expect(await nextMessage(holder)).toBe('released');
    await exited(holder);
    expect(await readFile(await lockFile(), 'utf8')).toBe(ours);
    expect(await store.acquireLock(KEY, 60_000)).toBeUndefined();
    await takenOver?.release();
    expect(await store.acquireLock(KEY, 60_000)).toBeDefined();
  });
});
