import {
  entryKindError,
  isSealedRecord,
  type SealedRecord,
  TokenSet,
  TokenStoreError,
} from '@auth/core';

/** The stored form of `tokens`: the JSON of `TokenSet.serialize()`. */
export function encodeTokens(tokens: TokenSet): string {
  return JSON.stringify(tokens.serialize());
}

/** The stored form of a sealed record (already checked by `sealedRecord`): its JSON. */
export function encodeSealed(record: SealedRecord): string {
  return JSON.stringify(record);
}

/**
 * Reads a stored value back, validating it with `TokenSet.deserialize`. A value that is
 * not a serialized TokenSet is never trusted: it is reported as a {@link TokenStoreError}
 * (the manager then requests a token and its `set` replaces the value). Neither the
 * message nor the cause quotes the value (JSON.parse errors do, so they are left out).
 *
 * @throws {TokenStoreError} With `operation: 'get'`; with `found: 'sealed'` for a sealed record.
 */
export function decodeTokens(value: string, key: string): TokenSet {
  const entry = decodeEntry(value, key);
  if (entry instanceof TokenSet) return entry;
  throw entryKindError('sealed');
}

/**
 * Reads a value stored with `setSealed` back, validating it with `isSealedRecord`.
 *
 * @throws {TokenStoreError} With `operation: 'get'`; with `found: 'tokens'` for a TokenSet.
 */
export function decodeSealed(value: string, key: string): SealedRecord {
  const entry = decodeEntry(value, key);
  if (entry instanceof TokenSet) throw entryKindError('tokens');
  return entry;
}

/** @throws {TokenStoreError} Neither a serialized TokenSet nor a sealed record. */
function decodeEntry(value: string, key: string): TokenSet | SealedRecord {
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    throw new TokenStoreError(
      `the Redis entry for "${key}" is not JSON: ignored until the next token replaces it`,
      { operation: 'get' },
    );
  }
  if (isSealedRecord(data)) return data;
  try {
    return TokenSet.deserialize(data);
  } catch (error) {
    throw new TokenStoreError(
      `the Redis entry for "${key}" is not a serialized TokenSet (nor a sealed record): ignored until the next token replaces it`,
      { operation: 'get', cause: error },
    );
  }
}
