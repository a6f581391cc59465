import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { TokenSet, TokenStoreError } from '@auth/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileTokenStore } from './file-token-store.js';
import type { FileTokenStoreEvent } from './file-token-store-events.js';

const SECRET = 'access-secret-c0rrupt';
const T0 = 1_700_000_000_000;

let root: string;
let path: string;
let events: FileTokenStoreEvent[];
let store: FileTokenStore;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'store-file-corrupt-'));
  path = join(root, 'tokens.json');
  events = [];
  store = new FileTokenStore({ path, now: () => T0, onEvent: (event) => events.push(event) });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const tokens = (accessToken = SECRET) => new TokenSet({ accessToken, expiresAt: T0 + 60_000 });

const CORRUPT_FILES: Array<[string, string, string]> = [
  ['an empty file', '', 'empty'],
  ['a file of whitespace', '  \n', 'empty'],
  [
    'a truncated file',
    `{"version":1,"entries":{"a":{"version":1,"accessToken":"${SECRET}`,
    'unparseable',
  ],
  ['a file of garbage bytes', '\u0000\u0001garbage', 'unparseable'],
  ['a JSON array', '[1,2,3]', 'invalid-format'],
  ['a document without a version', '{"entries":{}}', 'invalid-format'],
  ['a document of version 0', '{"version":0,"entries":{}}', 'invalid-format'],
  ['a document whose version is a string', '{"version":"1","entries":{}}', 'invalid-format'],
  ['a document whose entries are not an object', '{"version":1,"entries":[]}', 'invalid-format'],
];

describe('FileTokenStore with a file it cannot read', () => {
  it.each(CORRUPT_FILES)(
    'moves %s aside on get, reports it, and reads as empty',
    async (_, content, reason) => {
      await writeFile(path, content, { mode: 0o600 });
      expect(await store.get('a')).toBeUndefined();
      const movedTo = `${path}.corrupt-${T0}`;
      expect(events).toEqual([{ type: 'file-moved-aside', path, movedTo, reason }]);
      expect(await readFile(movedTo, 'utf8')).toBe(content);
      expect(await readdir(root)).toEqual([`tokens.json.corrupt-${T0}`]);
    },
  );

  it.each(CORRUPT_FILES)(
    'moves %s aside on set, then writes a fresh document',
    async (_, content, reason) => {
      await writeFile(path, content, { mode: 0o600 });
      await store.set('a', tokens());
      expect(events).toEqual([
        { type: 'file-moved-aside', path, movedTo: `${path}.corrupt-${T0}`, reason },
      ]);
      expect(await readFile(`${path}.corrupt-${T0}`, 'utf8')).toBe(content);
      expect((await store.get('a'))?.accessToken).toBe(SECRET);
    },
  );

  it('refuses a file of a newer format version with TokenStoreError and leaves it untouched', async () => {
    const newer = '{"version":2,"entries":{"a":{"shape":"unknown"}}}';
    await writeFile(path, newer, { mode: 0o600 });
    const errors = await Promise.all([
      store.get('a').catch((error: unknown) => error),
      store.set('a', tokens()).catch((error: unknown) => error),
      store.delete('a').catch((error: unknown) => error),
    ]);
    for (const error of errors) {
      expect(TokenStoreError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('version 2');
    }
    expect(errors.map((error) => (error as TokenStoreError).operation)).toEqual([
      'get',
      'set',
      'delete',
    ]);
    expect(await readFile(path, 'utf8')).toBe(newer);
    expect(events).toEqual([]);
  });

  it('refuses a path that is a folder with TokenStoreError and leaves it untouched', async () => {
    await mkdir(path);
    await writeFile(join(path, 'inside'), 'kept');
    for (const call of [
      () => store.get('a'),
      () => store.set('a', tokens()),
      () => store.delete('a'),
    ]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(TokenStoreError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('not a regular file');
    }
    expect(await readFile(join(path, 'inside'), 'utf8')).toBe('kept');
  });

  it('answers get of a malformed entry with TokenStoreError and keeps it through writes of other keys', async () => {
    const malformed = { version: 1, accessToken: 'has spaces in it', tokenType: 'Bearer' };
    await writeFile(path, JSON.stringify({ version: 1, entries: { bad: malformed } }), {
      mode: 0o600,
    });
    const error = await store.get('bad').catch((caught: unknown) => caught);
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect((error as TokenStoreError).operation).toBe('get');
    await store.set('good', tokens());
    const document = JSON.parse(await readFile(path, 'utf8'));
    expect(document.entries.bad).toEqual(malformed);
    expect((await store.get('good'))?.accessToken).toBe(SECRET);
    // Its owner replaces it on its next write.
    await store.set('bad', tokens('replacement'));
    expect((await store.get('bad'))?.accessToken).toBe('replacement');
  });

  it('surfaces a path under a regular file (ENOTDIR) as TokenStoreError without a token in it', async () => {
    await writeFile(join(root, 'plain-file'), 'not a folder');
    const blocked = new FileTokenStore({ path: join(root, 'plain-file', 'tokens.json') });
    const errors = [
      await blocked.set('a', tokens()).catch((error: unknown) => error),
      await blocked.get('a').catch((error: unknown) => error),
      await blocked.acquireLock('a', 1_000).catch((error: unknown) => error),
    ];
    expect(errors.map((error) => TokenStoreError.isInstance(error))).toEqual([true, true, true]);
    expect(errors.map((error) => (error as TokenStoreError).operation)).toEqual([
      'set',
      'get',
      'lock',
    ]);
    expect((errors[0] as Error).message).toContain('ENOTDIR');
    for (const error of errors) {
      expect(`${inspect(error, { depth: 5 })} ${JSON.stringify(error)}`).not.toContain(SECRET);
    }
  });

  it('never puts a token in an event or error about a corrupt file', async () => {
    await writeFile(path, `{"version":1,"entries":{"a":{"accessToken":"${SECRET}"`, {
      mode: 0o600,
    });
    await store.get('a');
    expect(JSON.stringify(events)).not.toContain(SECRET);
  });
});
