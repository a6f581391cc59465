import { TokenStoreError } from './errors.js';
import { fromBase64, toBase64Url } from './internal/encoding/base64.js';
import { TokenSet } from './token-set.js';
import {
  keepUntil,
  type TokenLock,
  type TokenStore,
  type WaitForUpdateOptions,
} from './token-store.js';

/** Options of {@link encryptedStore}. */
export interface EncryptedStoreOptions {
  /**
   * The AES key: a WebCrypto AES-GCM `CryptoKey`, or 16, 24 or 32 raw bytes (as a
   * `Uint8Array` or Base64 string). Keep it out of the store it protects.
   */
  key: CryptoKey | Uint8Array | string;
}

/** The token type of the envelopes of releases before sealed records: still read. */
const LEGACY_ENVELOPE_TYPE = 'Encrypted-AES-GCM';
const ENVELOPE_PREFIX = 'v1.';
const NOT_ENCRYPTED = 'the stored entry is not encrypted by encryptedStore';
const IV_BYTES = 12;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A store with the sealed-record methods `encryptedStore` writes through. */
type SealingStore = TokenStore & Required<Pick<TokenStore, 'getSealed' | 'setSealed'>>;

/**
 * Wraps a {@link TokenStore} so tokens are encrypted at rest with AES-GCM (WebCrypto).
 * Each entry is sealed with a fresh IV and bound to its key (as associated data), so an
 * entry copied under another key does not decrypt. The ciphertext is kept as a
 * {@link SealedRecord} (`setSealed`), with its expiry in clear so the underlying store can
 * still expire it; locks and wake-ups pass through. Entries written by earlier releases
 * (a `TokenSet` of type `Encrypted-AES-GCM`) are still read.
 *
 * A wrong key, tampered data or an entry it did not write is a {@link TokenStoreError},
 * never garbage.
 *
 * @param store - The store that holds the ciphertext: one with `getSealed` and `setSealed`
 *   (`MemoryTokenStore`, `FileTokenStore`, `RedisTokenStore`).
 * @param options - `key`: the AES key.
 * @returns A store with the same interface (without the sealed methods).
 * @throws {TypeError} A key that is not 16, 24 or 32 bytes, or a store without `getSealed`
 *   and `setSealed`.
 * @example
 * ```ts
 * import { encryptedStore, MemoryTokenStore } from '@auth/core';
 *
 * const store = encryptedStore(new MemoryTokenStore(), { key: process.env.TOKEN_STORE_KEY! });
 * ```
 */
export function encryptedStore(store: TokenStore, options: EncryptedStoreOptions): TokenStore {
  if (!hasSealedMethods(store)) {
    throw new TypeError(
      'encryptedStore needs a store with getSealed and setSealed (MemoryTokenStore, FileTokenStore and RedisTokenStore have them)',
    );
  }
  const keyPromise = importKey(options?.key);
  keyPromise.catch(() => {}); // reported on first use
  const wrapped: TokenStore = {
    async get(key) {
      let sealed: string | undefined;
      try {
        sealed = (await store.getSealed(key))?.data;
      } catch (error) {
        if (!TokenStoreError.isInstance(error) || error.found !== 'tokens') throw error;
        sealed = legacyEnvelope(await store.get(key));
      }
      return sealed === undefined ? undefined : open(await keyPromise, key, sealed);
    },
    async set(key, tokens) {
      const data = await seal(await keyPromise, key, tokens);
      await store.setSealed(key, { data, keepUntil: keepUntil(tokens) });
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

function hasSealedMethods(store: TokenStore): store is SealingStore {
  return typeof store?.getSealed === 'function' && typeof store.setSealed === 'function';
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

/** `v1.<iv>.<ciphertext>` (Base64url) of the serialized tokens, bound to `storeKey`. */
async function seal(cryptoKey: CryptoKey, storeKey: string, tokens: TokenSet): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const plaintext = encoder.encode(JSON.stringify(tokens.serialize()));
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt(
      { name: 'AES-GCM', iv, additionalData: encoder.encode(storeKey) },
      cryptoKey,
      plaintext,
    ),
  );
  return `${ENVELOPE_PREFIX}${toBase64Url(iv)}.${toBase64Url(ciphertext)}`;
}

/**
 * The sealed text of an entry written by a release before sealed records: a `TokenSet` whose
 * access token held it. `undefined` for no entry.
 *
 * @throws {TokenStoreError} The entry is plain tokens, not encrypted by `encryptedStore`.
 */
function legacyEnvelope(envelope: TokenSet | undefined): string | undefined {
  if (envelope === undefined) return undefined;
  if (envelope.tokenType !== LEGACY_ENVELOPE_TYPE) {
    throw new TokenStoreError(NOT_ENCRYPTED, { operation: 'get', found: 'tokens' });
  }
  return envelope.accessToken;
}

async function open(cryptoKey: CryptoKey, storeKey: string, sealed: string): Promise<TokenSet> {
  const [iv, ciphertext] = sealed.startsWith(ENVELOPE_PREFIX)
    ? sealed.slice(ENVELOPE_PREFIX.length).split('.')
    : [];
  if (!iv || !ciphertext) {
    throw new TokenStoreError(NOT_ENCRYPTED, { operation: 'get' });
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
