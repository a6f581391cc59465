import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { encryptedStore } from './encrypted-store.js';
import { TokenStoreError } from './errors.js';
import { MemoryTokenStore } from './memory-token-store.js';
import { TokenSet } from './token-set.js';

const SECRET = 'sEcReT-access';
const REFRESH = 'sEcReT-refresh';
const key = new Uint8Array(randomBytes(32));

/** An entry as releases before sealed records wrote it: a TokenSet carrying the ciphertext. */
async function legacyEntry(plaintext: string, storeKey: string): Promise<TokenSet> {
  const cryptoKey = await crypto.subtle.importKey('raw', key, 'AES-GCM', false, ['encrypt']);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: new TextEncoder().encode(storeKey) },
      cryptoKey,
      new TextEncoder().encode(plaintext),
    ),
  );
  const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');
  return new TokenSet({
    accessToken: `v1.${b64url(iv)}.${b64url(ciphertext)}`,
    tokenType: 'Encrypted-AES-GCM',
    refreshToken: 'encrypted',
  });
}

describe('encryptedStore', () => {
  it('round-trips tokens while the inner store holds no token in clear', async () => {
    const inner = new MemoryTokenStore();
    const store = encryptedStore(inner, { key });
    const tokens = new TokenSet({
      accessToken: SECRET,
      refreshToken: REFRESH,
      expiresAt: 4e12,
      scope: 's',
      issuedAt: 1e12,
    });
    await store.set('k', tokens);
    expect((await store.get('k'))?.serialize()).toEqual(tokens.serialize());
    const raw = JSON.stringify(await inner.getSealed('k'));
    expect(raw).not.toContain(SECRET);
    expect(raw).not.toContain(REFRESH);
  });

  it('keeps expiry in clear so the inner store can expire the entry', async () => {
    const inner = new MemoryTokenStore();
    await encryptedStore(inner, { key }).set(
      'k',
      new TokenSet({ accessToken: SECRET, expiresAt: 4e12 }),
    );
    expect((await inner.getSealed('k'))?.keepUntil).toBe(4e12);
  });

  it('accepts a Base64 key and a CryptoKey', async () => {
    const fromBase64 = encryptedStore(new MemoryTokenStore(), {
      key: Buffer.from(key).toString('base64'),
    });
    await fromBase64.set('k', new TokenSet({ accessToken: 'a' }));
    expect((await fromBase64.get('k'))?.accessToken).toBe('a');
    const cryptoKey = await crypto.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, [
      'encrypt',
      'decrypt',
    ]);
    const fromCryptoKey = encryptedStore(new MemoryTokenStore(), { key: cryptoKey });
    await fromCryptoKey.set('k', new TokenSet({ accessToken: 'b' }));
    expect((await fromCryptoKey.get('k'))?.accessToken).toBe('b');
  });

  it('fails with a clear TokenStoreError under the wrong key, never garbage', async () => {
    const inner = new MemoryTokenStore();
    await encryptedStore(inner, { key }).set('k', new TokenSet({ accessToken: SECRET }));
    const error = await encryptedStore(inner, { key: new Uint8Array(32) })
      .get('k')
      .catch((e: unknown) => e);
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/wrong key/);
    expect(inspect(error, { depth: 5 })).not.toContain(SECRET);
  });

  it('will not decrypt an entry copied under another key name', async () => {
    const inner = new MemoryTokenStore();
    const store = encryptedStore(inner, { key });
    await store.set('alice', new TokenSet({ accessToken: SECRET }));
    await inner.setSealed('mallory', (await inner.getSealed('alice'))!);
    await expect(store.get('mallory')).rejects.toSatisfy(TokenStoreError.isInstance);
  });

  it('refuses a plain entry it did not encrypt', async () => {
    const inner = new MemoryTokenStore();
    await inner.set('k', new TokenSet({ accessToken: 'plain' }));
    await expect(encryptedStore(inner, { key }).get('k')).rejects.toSatisfy(
      TokenStoreError.isInstance,
    );
  });

  it('never quotes decrypted text in its error when the plaintext is not JSON', async () => {
    const inner = new MemoryTokenStore();
    // V8 quotes about ten characters of bad JSON: a short secret at the start falls inside.
    const shortSecret = 'zq9tok3n';
    await inner.set('k', await legacyEntry(`${shortSecret} is not JSON`, 'k'));
    const error = await encryptedStore(inner, { key })
      .get('k')
      .catch((e: unknown) => e);
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect(inspect(error, { depth: 10 })).not.toContain(shortSecret);
  });

  it('rejects a key of the wrong size at construction', () => {
    expect(() => encryptedStore(new MemoryTokenStore(), { key: new Uint8Array(10) })).toThrow(
      TypeError,
    );
    expect(() => encryptedStore(new MemoryTokenStore(), { key: 'not base64!' })).toThrow(TypeError);
  });

  it('passes locks and wake-ups through', async () => {
    const store = encryptedStore(new MemoryTokenStore(), { key });
    const lock = await store.acquireLock?.('k', 1_000);
    expect(lock).toBeDefined();
    expect(await store.acquireLock?.('k', 1_000)).toBeUndefined();
    await expect(store.waitForUpdate?.('k', { timeoutMs: 1 })).resolves.toBeUndefined();
  });

  it('keeps the ciphertext as a sealed record, never visible as a TokenSet', async () => {
    const inner = new MemoryTokenStore();
    await encryptedStore(inner, { key }).set('k', new TokenSet({ accessToken: SECRET }));
    const record = await inner.getSealed('k');
    expect(record?.data).toMatch(/^v1\./);
    expect(record?.data).not.toContain(SECRET);
    const error = await inner.get('k').catch((e: unknown) => e);
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ operation: 'get', found: 'sealed' });
  });

  it('fails with a TokenStoreError on tampered data, never garbage', async () => {
    const inner = new MemoryTokenStore();
    const store = encryptedStore(inner, { key });
    await store.set('k', new TokenSet({ accessToken: SECRET, expiresAt: 4e12 }));
    const { data, keepUntil } = (await inner.getSealed('k'))!;
    const last = data.at(-2) === 'A' ? 'B' : 'A';
    await inner.setSealed('k', { data: `${data.slice(0, -2)}${last}${data.at(-1)}`, keepUntil });
    const error = await store.get('k').catch((e: unknown) => e);
    expect(TokenStoreError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/altered/);
    await inner.setSealed('k', { data: 'not-an-envelope' });
    await expect(store.get('k')).rejects.toSatisfy(TokenStoreError.isInstance);
  });

  it('still reads an entry written in the earlier format, and rewrites it as a sealed record', async () => {
    const inner = new MemoryTokenStore();
    const tokens = new TokenSet({ accessToken: SECRET, refreshToken: REFRESH, expiresAt: 4e12 });
    await inner.set('k', await legacyEntry(JSON.stringify(tokens.serialize()), 'k'));
    const store = encryptedStore(inner, { key });
    expect((await store.get('k'))?.serialize()).toEqual(tokens.serialize());
    await store.set('k', tokens);
    expect((await inner.getSealed('k'))?.data).toMatch(/^v1\./);
    expect((await store.get('k'))?.refreshToken).toBe(REFRESH);
  });

  it('refuses, at construction, a store without getSealed and setSealed', () => {
    const inner = new MemoryTokenStore();
    const plain = {
      get: (k: string) => inner.get(k),
      set: (k: string, t: TokenSet) => inner.set(k, t),
      delete: (k: string) => inner.delete(k),
    };
    expect(() => encryptedStore(plain, { key })).toThrow(/getSealed and setSealed/);
  });

  it('shows neither tokens nor its key in inspect or JSON', async () => {
    const store = encryptedStore(new MemoryTokenStore(), { key });
    await store.set('k', new TokenSet({ accessToken: SECRET, refreshToken: REFRESH }));
    const keyText = Buffer.from(key).toString('base64');
    for (const shown of [inspect(store, { depth: 10 }), JSON.stringify(store), String(store)]) {
      for (const secret of [SECRET, REFRESH, keyText]) expect(shown).not.toContain(secret);
    }
  });
});
