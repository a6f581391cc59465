import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { encryptedStore, TokenSet, TokenStoreError } from '@auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTokenStore } from './file-token-store.js';
import type { FileTokenStoreEvent } from './file-token-store-events.js';

const SECRET = 'access-secret-7f3a9c';
const REFRESH_SECRET = 'refresh-secret-41bd02';
const T0 = 1_700_000_000_000;

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'store-file-unit-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function tokens(
  accessToken = SECRET,
  init: Partial<ConstructorParameters<typeof TokenSet>[0]> = {},
) {
  return new TokenSet({ accessToken, expiresAt: T0 + 3_600_000, ...init });
}

function storeAt(
  path: string,
  options: { now?: () => number; events?: FileTokenStoreEvent[] } = {},
) {
  const events = options.events;
  return new FileTokenStore({
    path,
    now: options.now ?? (() => T0),
    onEvent: events ? (event) => events.push(event) : undefined,
  });
}

describe('FileTokenStore', () => {
  it('round-trips tokens through TokenSet.serialize and TokenSet.deserialize', async () => {
    const store = storeAt(join(root, 'app', 'tokens.json'));
    const stored = tokens(SECRET, { refreshToken: REFRESH_SECRET, scope: 'read write' });
    await store.set('key-a', stored);
    const read = await store.get('key-a');
    expect(read?.serialize()).toEqual(stored.serialize());
    expect(await store.get('absent')).toBeUndefined();
  });

  it('keeps many keys in one JSON document with a format version', async () => {
    const path = join(root, 'tokens.json');
    const store = storeAt(path);
    await store.set('a', tokens('token-a'));
    await store.set('b', tokens('token-b'));
    const document = JSON.parse(await readFile(path, 'utf8'));
    expect(document.version).toBe(1);
    expect(Object.keys(document.entries).sort()).toEqual(['a', 'b']);
    expect(document.entries.a).toEqual(tokens('token-a').serialize());
  });

  it('reads a key stored by another instance over the same file', async () => {
    const path = join(root, 'tokens.json');
    await storeAt(path).set('shared', tokens());
    expect((await storeAt(path).get('shared'))?.accessToken).toBe(SECRET);
  });

  it('reads entries past keepUntil as absent and drops them on the next write', async () => {
    const path = join(root, 'tokens.json');
    let now = T0;
    const store = storeAt(path, { now: () => now });
    await store.set('short', tokens('short-lived', { expiresAt: T0 + 1_000 }));
    await store.set(
      'refreshable',
      tokens('with-refresh', { expiresAt: T0 + 1_000, refreshToken: REFRESH_SECRET }),
    );
    now = T0 + 2_000;
    expect(await store.get('short')).toBeUndefined();
    // A refresh token of unknown lifetime outlives its access token (core's keepUntil).
    expect((await store.get('refreshable'))?.refreshToken).toBe(REFRESH_SECRET);
    await store.set('other', tokens('other'));
    const document = JSON.parse(await readFile(path, 'utf8'));
    expect(Object.keys(document.entries).sort()).toEqual(['other', 'refreshable']);
  });

  it('deletes one key and keeps the others; deleting from a missing file creates nothing', async () => {
    const path = join(root, 'tokens.json');
    const store = storeAt(path);
    await store.set('a', tokens('token-a'));
    await store.set('b', tokens('token-b'));
    await store.delete('a');
    expect(await store.get('a')).toBeUndefined();
    expect((await store.get('b'))?.accessToken).toBe('token-b');

    const missing = storeAt(join(root, 'nowhere', 'tokens.json'));
    await missing.delete('a');
    await expect(stat(join(root, 'nowhere'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('creates the file 0600 in a folder 0700 and leaves no temporary file behind', async () => {
    const folder = join(root, 'state', 'my-app');
    const store = storeAt(join(folder, 'tokens.json'));
    await store.set('a', tokens());
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect(await readdir(folder)).toEqual(['tokens.json']);
  });

  it('tightens a file and folder open to others, and reports it', async () => {
    const folder = join(root, 'loose');
    const path = join(folder, 'tokens.json');
    await storeAt(path).set('a', tokens());
    await chmod(folder, 0o755);
    await chmod(path, 0o644);
    const events: FileTokenStoreEvent[] = [];
    const store = storeAt(path, { events });
    expect((await store.get('a'))?.accessToken).toBe(SECRET);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    await store.set('b', tokens('token-b'));
    expect((await stat(folder)).mode & 0o777).toBe(0o700);
    expect(events).toEqual([
      { type: 'permissions-tightened', target: 'file', path, previousMode: 0o644, mode: 0o600 },
      {
        type: 'permissions-tightened',
        target: 'folder',
        path: folder,
        previousMode: 0o755,
        mode: 0o700,
      },
    ]);
  });

  it('leaves a shared sticky folder (like /tmp) alone and reports it as insecure', async () => {
    const shared = join(root, 'shared');
    await mkdir(shared);
    await chmod(shared, 0o1777);
    const events: FileTokenStoreEvent[] = [];
    const store = storeAt(join(shared, 'tokens.json'), { events });
    await store.set('a', tokens());
    expect((await stat(shared)).mode & 0o7777).toBe(0o1777);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
    expect(events).toContainEqual({
      type: 'permissions-insecure',
      target: 'folder',
      path: shared,
      mode: 0o1777,
    });
  });

  it('rejects bad arguments with TypeError', async () => {
    expect(() => new FileTokenStore({ path: '' })).toThrow(TypeError);
    expect(() => new FileTokenStore({ appName: '../escape' })).toThrow(TypeError);
    expect(
      () => new FileTokenStore({ path: join(root, 't.json'), writeLockTimeoutMs: -1 }),
    ).toThrow(TypeError);
    const store = storeAt(join(root, 'tokens.json'));
    await expect(store.get('')).rejects.toThrow(TypeError);
    await expect(store.set('a', { accessToken: SECRET } as unknown as TokenSet)).rejects.toThrow(
      TypeError,
    );
    await expect(store.acquireLock('a', 0)).rejects.toThrow(TypeError);
  });

  it('derives its default path from XDG_STATE_HOME and appName', () => {
    const store = new FileTokenStore({
      appName: 'my-cli',
      env: { XDG_STATE_HOME: join(root, 'xdg') },
    });
    expect(store.path).toBe(join(root, 'xdg', 'my-cli', 'tokens.json'));
  });

  it('shows no token in JSON.stringify, String or util.inspect', async () => {
    const store = storeAt(join(root, 'tokens.json'));
    await store.set('a', tokens(SECRET, { refreshToken: REFRESH_SECRET }));
    for (const shown of [JSON.stringify(store), String(store), inspect(store, { depth: 5 })]) {
      expect(shown).not.toContain(SECRET);
      expect(shown).not.toContain(REFRESH_SECRET);
    }
    expect(JSON.parse(JSON.stringify(store))).toEqual({ type: 'file', path: store.path });
  });

  it('works under encryptedStore: the raw bytes of the file hold no token in clear', async () => {
    const path = join(root, 'tokens.json');
    const key = new Uint8Array(32).fill(7);
    const store = encryptedStore(storeAt(path), { key });
    await store.set(
      'a',
      tokens(SECRET, { refreshToken: REFRESH_SECRET, idToken: 'id-token-secret-9' }),
    );
    const raw = await readFile(path);
    for (const secret of [SECRET, REFRESH_SECRET, 'id-token-secret-9']) {
      expect(raw.includes(Buffer.from(secret))).toBe(false);
    }
    const read = await store.get('a');
    expect([read?.accessToken, read?.refreshToken]).toEqual([SECRET, REFRESH_SECRET]);
    const lock = await store.acquireLock?.('a', 1_000);
    expect(lock).toBeDefined();
    await lock?.release();
  });
});

describe('FileTokenStore sealed records', () => {
  it('round-trips a sealed record as { data, keepUntil }, drops it past keepUntil and prunes it on the next write', async () => {
    const path = join(root, 'tokens.json');
    let now = T0;
    const store = storeAt(path, { now: () => now });
    await store.setSealed('short', { data: 'opaque-1', keepUntil: T0 + 1_000 });
    await store.setSealed('forever', { data: 'opaque-2' });
    expect(await storeAt(path, { now: () => now }).getSealed('short')).toEqual({
      data: 'opaque-1',
      keepUntil: T0 + 1_000,
    });
    expect(JSON.parse(await readFile(path, 'utf8')).entries.forever).toEqual({ data: 'opaque-2' });
    now = T0 + 1_000;
    expect(await store.getSealed('short')).toBeUndefined();
    expect(await store.getSealed('forever')).toEqual({ data: 'opaque-2' });
    await store.set('other', tokens('other'));
    const document = JSON.parse(await readFile(path, 'utf8'));
    expect(Object.keys(document.entries).sort()).toEqual(['forever', 'other']);
    await store.delete('forever');
    expect(await store.getSealed('forever')).toBeUndefined();
  });

  it('tells tokens and sealed records apart with a typed TokenStoreError', async () => {
    const store = storeAt(join(root, 'tokens.json'));
    await store.setSealed('sealed', { data: 'opaque' });
    await store.set('tokens', tokens());
    const onGet = await store.get('sealed').catch((e: unknown) => e);
    expect(TokenStoreError.isInstance(onGet)).toBe(true);
    expect(onGet).toMatchObject({ operation: 'get', found: 'sealed' });
    const onGetSealed = await store.getSealed('tokens').catch((e: unknown) => e);
    expect(TokenStoreError.isInstance(onGetSealed)).toBe(true);
    expect(onGetSealed).toMatchObject({ operation: 'get', found: 'tokens' });
    expect(inspect(onGetSealed, { depth: 10 })).not.toContain(SECRET);
  });

  it('rejects a record that is not a SealedRecord with a TypeError, writing nothing', async () => {
    const path = join(root, 'tokens.json');
    const store = storeAt(path);
    await expect(store.setSealed('a', { data: 5 } as never)).rejects.toThrow(TypeError);
    await expect(store.setSealed('', { data: 'x' })).rejects.toThrow(TypeError);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('FileTokenStore under encryptedStore', () => {
  const key = new Uint8Array(32).fill(7);

  it('keeps a sealed record in the file, never a TokenSet', async () => {
    const path = join(root, 'tokens.json');
    const inner = storeAt(path);
    await encryptedStore(inner, { key }).set('a', tokens(SECRET, { expiresAt: T0 + 5_000 }));
    const entry = JSON.parse(await readFile(path, 'utf8')).entries.a;
    expect(Object.keys(entry).sort()).toEqual(['data', 'keepUntil']);
    expect(entry.keepUntil).toBe(T0 + 5_000);
    await expect(inner.get('a')).rejects.toMatchObject({ found: 'sealed' });
  });

  it('fails with a TokenStoreError under the wrong key or on tampered data', async () => {
    const path = join(root, 'tokens.json');
    const inner = storeAt(path);
    await encryptedStore(inner, { key }).set('a', tokens(SECRET));
    const wrongKey = await encryptedStore(inner, { key: new Uint8Array(32) })
      .get('a')
      .catch((e: unknown) => e);
    expect(TokenStoreError.isInstance(wrongKey)).toBe(true);
    expect((wrongKey as Error).message).toMatch(/wrong key/);
    const { data } = (await inner.getSealed('a'))!;
    const flipped = data.at(-2) === 'A' ? 'B' : 'A';
    await inner.setSealed('a', { data: `${data.slice(0, -2)}${flipped}${data.at(-1)}` });
    const tampered = await encryptedStore(inner, { key })
      .get('a')
      .catch((e: unknown) => e);
    expect(TokenStoreError.isInstance(tampered)).toBe(true);
    expect(inspect(tampered, { depth: 10 })).not.toContain(SECRET);
  });
});
