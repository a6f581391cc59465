import { TokenStoreError } from './errors.js';
import { fromBase64, toBase64Url } from './internal/encoding/base64.js';
import { TokenSet } from './token-set.js';
import type { TokenLock, TokenStore, WaitForUpdateOptions } from './token-store.js';

/** Options of {@link encryptedStore}. */
export interface EncryptedStoreOptions {
  /**
   * The AES key: a WebCrypto AES-GCM `CryptoKey`, or 16, 24 or 32 raw bytes (as a
   * `Uint8Array` or Base64 string). Keep it out of the store it protects.
   */
  key: CryptoKey | Uint8Array | string;
}

/** The token type that marks an encrypted envelope in the underlying store. */
const ENVELOPE_TYPE = 'Encrypted-AES-GCM';
const ENVELOPE_PREFIX = 'v1.';
const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Wraps any {@link TokenStore} so tokens are encrypted at rest with AES-GCM (WebCrypto).
 * Each entry is sealed with a fresh IV and bound to its key (as associated data), so an
 * entry copied under another key does not decrypt. Expiry times stay in clear so the
 * underlying store can still expire entries; locks and wake-ups pass through.
 *
 * A wrong key or tampered data is a {@link TokenStoreError}, never garbage.
 *
 * @param store - The store that holds the ciphertext.
 * @param options - `key`: the AES key.
 * @returns A store with the same interface.
 * @throws {TypeError} A key that is not 16, 24 or 32 bytes.
 * @example
 * ```ts
 * import { encryptedStore, MemoryTokenStore } from '@auth/core';
 *
 * const store = encryptedStore(new MemoryTokenStore(), { key: process.env.TOKEN_STORE_KEY! });
 * ```
 */
export function encryptedStore(store: TokenStore, options: EncryptedStoreOptions): TokenStore {
  const keyPromise = importKey(options?.key);
  keyPromise.catch(() => {}); // reported on first use
  const wrapped: TokenStore = {
    async get(key) {
      const envelope = await store.get(key);
      return envelope === undefined ? undefined : open(await keyPromise, key, envelope);
    },
    async set(key, tokens) {
      await store.set(key, await seal(await keyPromise, key, tokens));
    },
    delete: (key) => store.delete(key),
  };
  if (store.acquireLock) {
    wrapped.acquireLock = (key: string, ttlMs: number): Promise<TokenLock | undefined> =>
      store.acquireLock!(key, ttlMs);
  }
  if (store.waitForUpdate) {
    wrapped.waitForUpdate = (key: string, waitOptions: WaitForUpdateOptions) =>
      store.waitForUpdate!(key, waitOptions);
  }
  return wrapped;
}

function importKey(key: EncryptedStoreOptions['key']): Promise<CryptoKey> {
  if (typeof key === 'object' && key !== null && 'algorithm' in key && 'type' in key)
    return Promise.resolve(key as CryptoKey);
  let bytes: Uint8Array;
  try {
    bytes = typeof key === 'string' ? fromBase64(key) : key;
  } catch {
    throw new TypeError('encryptedStore key must be Base64 of 16, 24 or 32 bytes');
  }
  if (!(bytes instanceof Uint8Array) || ![16, 24, 32].includes(bytes.length)) {
    throw new TypeError('encryptedStore key must be 16, 24 or 32 bytes (AES-128/192/256)');
  }
  return crypto.subtle.importKey('raw', bytes as Uint8Array<ArrayBuffer>, 'AES-GCM', false, [
    'encrypt',
    'decrypt',
  ]);
}

async function seal(cryptoKey: CryptoKey, storeKey: string, tokens: TokenSet): Promise<TokenSet> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plaintext = encoder.encode(JSON.stringify(tokens.serialize()));
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(storeKey) },
      cryptoKey,
      plaintext,
    ),
  );
  return new TokenSet({
    accessToken: `${ENVELOPE_PREFIX}${toBase64Url(iv)}.${toBase64Url(ciphertext)}`,
    tokenType: ENVELOPE_TYPE,
    expiresAt: tokens.expiresAt,
    // Keeps a refresh token of unknown lifetime from lapsing with the access token.
    refreshToken: tokens.refreshToken === undefined ? undefined : 'encrypted',
    refreshExpiresAt: tokens.refreshExpiresAt,
    issuedAt: tokens.issuedAt,
  });
}

async function open(cryptoKey: CryptoKey, storeKey: string, envelope: TokenSet): Promise<TokenSet> {
  const [iv, ciphertext] = envelope.accessToken.startsWith(ENVELOPE_PREFIX)
    ? envelope.accessToken.slice(ENVELOPE_PREFIX.length).split('.')
    : [];
  if (envelope.tokenType !== ENVELOPE_TYPE || !iv || !ciphertext) {
    throw new TokenStoreError('the stored entry is not encrypted by encryptedStore', {
      operation: 'get',
    });
  }
  let plaintext: ArrayBuffer;
  try {
    plaintext = await crypto.subtle.decrypt(
      {
        name: 'AES-GCM',
        iv: fromBase64(iv) as Uint8Array<ArrayBuffer>,
        additionalData: encoder.encode(storeKey),
      },
      cryptoKey,
      fromBase64(ciphertext) as Uint8Array<ArrayBuffer>,
    );
  } catch (error) {
    throw new TokenStoreError(
      'could not decrypt the stored tokens: wrong key, or the data was altered',
      { operation: 'get', cause: error },
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(decoder.decode(plaintext));
  } catch {
    // The parse error is dropped: its message quotes the text, which holds tokens.
    throw new TokenStoreError('the decrypted tokens are not JSON', { operation: 'get' });
  }
  try {
    return TokenSet.deserialize(data);
  } catch (error) {
    throw new TokenStoreError('the decrypted tokens are malformed', {
      operation: 'get',
      cause: error,
    });
  }
}
