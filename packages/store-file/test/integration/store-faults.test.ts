import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { TokenManager, type TokenManagerEvent, TokenSet, TokenStoreError } from '@auth/core';
import { startTokenServer, type TokenServer, testClientProvider } from '@auth/testing/http';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FileTokenStore, type FileTokenStoreEvent } from '../../src/index.js';
import { exited, nextMessage, startFixture } from './child-processes.js';

let root: string;
let server: TokenServer;
let mounts: string[] = [];
beforeAll(async () => {
  server = await startTokenServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'store-file-faults-'));
  server.resetCount();
});
afterEach(async () => {
  for (const mount of mounts.reverse()) execFileSync('umount', [mount]);
  mounts = [];
  await rm(root, { recursive: true, force: true });
});

/** Mounts with `mount(8)`: these tests need root with CAP_SYS_ADMIN (as in CI). */
function mount(args: string[], target: string): void {
  try {
    execFileSync('mount', [...args, target], { stdio: 'pipe' });
  } catch (error) {
    throw new Error(
      `this test needs root with CAP_SYS_ADMIN to run "mount ${args.join(' ')} ${target}": ${String((error as { stderr?: Buffer }).stderr ?? error)}`,
    );
  }
  mounts.push(target);
}

function managerOver(store: FileTokenStore, events: TokenManagerEvent[]): TokenManager {
  return new TokenManager({
    provider: testClientProvider(server.tokenUrl),
    store,
    onEvent: (event) => events.push(event),
  });
}

/** Two getToken calls: one token request, the second served from memory despite the store. */
async function expectServedFromMemory(manager: TokenManager, events: TokenManagerEvent[]) {
  const first = await manager.getToken();
  const second = await manager.getToken();
  expect(second.accessToken).toBe(first.accessToken);
  expect(server.requestCount).toBe(1);
  const storeErrors = events.filter((event) => event.type === 'store-error');
  expect(storeErrors.map((event) => event.operation)).toContain('set');
  for (const event of storeErrors) expect(TokenStoreError.isInstance(event.error)).toBe(true);
  const shown = `${JSON.stringify(events)} ${inspect(events, { depth: 6 })} ${storeErrors.map((event) => `${event.error.message} ${String(event.error.cause)}`).join(' ')}`;
  expect(shown).not.toContain(first.accessToken);
  return { first, storeErrors };
}

describe('FileTokenStore when the disk fails', () => {
  it('a path under a regular file (ENOTDIR): TokenStoreError, and the TokenManager works from memory', async () => {
    await writeFile(join(root, 'plain-file'), 'not a folder');
    const events: TokenManagerEvent[] = [];
    const store = new FileTokenStore({ path: join(root, 'plain-file', 'app', 'tokens.json') });
    const { storeErrors } = await expectServedFromMemory(managerOver(store, events), events);
    // The manager rides out two lock faults, reading the store between, before going unlocked.
    expect(storeErrors.map((event) => event.operation)).toEqual([
      'get',
      'lock',
      'get',
      'lock',
      'get',
      'lock',
      'set',
    ]);
    expect(storeErrors[2]?.error.message).toContain('ENOTDIR');
  });

  it('a file size limit (EFBIG) in a child process: the write fails cleanly, the old file stays whole', async () => {
    const path = join(root, 'tokens.json');
    const seeded = new FileTokenStore({ path });
    const scope = Array.from({ length: 3_000 }, (_, i) => `scope:${i}`).join(' ');
    await seeded.set('existing', new TokenSet({ accessToken: 'existing-token', scope }));
    const before = await readFile(path, 'utf8');
    // 8 blocks (4 or 8 KiB, by shell) is less than the ~30 KiB document: every rewrite fails.
    const child = startFixture('manager-once.mjs', [path, server.tokenUrl], 'ulimit -f 8');
    const report = await nextMessage<{
      sameToken: boolean;
      accessToken: string;
      events: Array<{ type: string; operation?: string; message?: string }>;
    }>(child);
    await exited(child);
    expect(report.sameToken).toBe(true);
    expect(server.requestCount).toBe(1);
    const failed = report.events.filter((event) => event.type === 'store-error');
    expect(failed).toEqual([
      expect.objectContaining({ operation: 'set', message: expect.stringContaining('EFBIG') }),
    ]);
    expect(JSON.stringify(report.events)).not.toContain(report.accessToken);
    expect(await readFile(path, 'utf8')).toBe(before);
    expect((await seeded.get('existing'))?.accessToken).toBe('existing-token');
  });

  it('a full disk (ENOSPC on a tiny tmpfs): TokenStoreError, the old file stays whole, the manager works from memory', async () => {
    const folder = join(root, 'full');
    await mkdir(folder);
    mount(['-t', 'tmpfs', '-o', 'size=64k,mode=0700', 'tmpfs'], folder);
    const path = join(folder, 'tokens.json');
    const store = new FileTokenStore({ path });
    await store.set('existing', new TokenSet({ accessToken: 'existing-token' }));
    const before = await readFile(path, 'utf8');
    await fillDisk(join(folder, 'filler'));

    const events: TokenManagerEvent[] = [];
    const { storeErrors } = await expectServedFromMemory(managerOver(store, events), events);
    expect(storeErrors.map((event) => event.error.message).join(' ')).toContain('ENOSPC');
    expect(await readFile(path, 'utf8')).toBe(before);
    expect((await store.get('existing'))?.accessToken).toBe('existing-token');
  });

  it('a read-only folder (EROFS bind mount): reads work, writes are TokenStoreError, the manager works from memory', async () => {
    const folder = join(root, 'ro');
    const path = join(folder, 'tokens.json');
    const writable = new FileTokenStore({ path });
    await writable.set('existing', new TokenSet({ accessToken: 'existing-token' }));
    await chmod(path, 0o644);
    mount(['--bind', folder], folder);
    execFileSync('mount', ['-o', 'remount,bind,ro', folder]);

    const storeEvents: FileTokenStoreEvent[] = [];
    const store = new FileTokenStore({ path, onEvent: (event) => storeEvents.push(event) });
    const error = await store
      .set('other', new TokenSet({ accessToken: 'x' }))
      .catch((caught: unknown) => caught);
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('EROFS');
    expect((await store.get('existing'))?.accessToken).toBe('existing-token');
    // The 0644 file cannot be tightened on a read-only mount: read anyway, reported.
    expect(storeEvents).toContainEqual({
      type: 'permissions-insecure',
      target: 'file',
      path,
      mode: 0o644,
    });

    const events: TokenManagerEvent[] = [];
    await expectServedFromMemory(managerOver(store, events), events);
  });
});

/** Writes to `path` until the file system is full. */
async function fillDisk(path: string): Promise<void> {
  const chunk = Buffer.alloc(4096, 1);
  const { open } = await import('node:fs/promises');
  const handle = await open(path, 'w');
  try {
    for (;;) await handle.write(chunk);
  } catch (error) {
    expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
  } finally {
    await handle.close();
  }
}
