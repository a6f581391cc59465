import { sha256Hex } from './sha256.js';

/**
 * The short tag the packages show or key by in place of a secret, token or key: a prefix of
 * a SHA-256 in hex. Synchronous, because `cacheKey` and `TokenSet.fingerprint` are
 * properties. It identifies; it never authenticates anything.
 *
 * A string is hashed as it is (so a user can match `TokenSet.fingerprint` against
 * `sha256(token)`); a list of parts is hashed with each part length-prefixed, so
 * `["ab","c"]` and `["a","bc"]` differ and an absent part differs from an empty one.
 *
 * @param value - The value, or the parts, to tag.
 * @param length - How many hex digits to keep (16, 64 bits, unless given).
 * @returns `length` lowercase hex digits.
 */
export function fingerprint(value: string | readonly (string | undefined)[], length = 16): string {
  const text =
    typeof value === 'string'
      ? value
      : value.map((part) => `${part === undefined ? -1 : part.length}:${part ?? ''}`).join('');
  return sha256Hex(text).slice(0, length);
}
