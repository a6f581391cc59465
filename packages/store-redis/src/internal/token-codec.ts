import { TokenSet, TokenStoreError } from '@auth/core';

/** The stored form of `tokens`: the JSON of `TokenSet.serialize()`. */
export function encodeTokens(tokens: TokenSet): string {
  return JSON.stringify(tokens.serialize());
}

/**
 * Reads a stored value back, validating it with `TokenSet.deserialize`. A value that is
 * not a serialized TokenSet is never trusted: it is reported as a {@link TokenStoreError}
 * (the manager then requests a token and its `set` replaces the value). Neither the
 * message nor the cause quotes the value (JSON.parse errors do, so they are left out).
 *
 * @throws {TokenStoreError} With `operation: 'get'`.
 */
export function decodeTokens(value: string, key: string): TokenSet {
  let data: unknown;
  try {
    data = JSON.parse(value);
  } catch {
    throw new TokenStoreError(
      `the Redis entry for "${key}" is not JSON: ignored until the next token replaces it`,
      { operation: 'get' },
    );
  }
  try {
    return TokenSet.deserialize(data);
  } catch (error) {
    throw new TokenStoreError(
      `the Redis entry for "${key}" is not a serialized TokenSet: ignored until the next token replaces it`,
      { operation: 'get', cause: error },
    );
  }
}
