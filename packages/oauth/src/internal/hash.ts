const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/**
 * A synchronous, non-cryptographic 64-bit tag (FNV-1a over UTF-8) of the given parts, as
 * 16 hex digits. `cacheKey` is a synchronous property and WebCrypto's digest is not, so
 * cache keys tag credentials with this: it tells a rotated secret from the old one and
 * does not show the secret. Never used to authenticate anything.
 *
 * @param parts - The values to tag; each is length-prefixed so `["ab","c"]` ≠ `["a","bc"]`.
 * @returns 16 lowercase hex digits.
 */
export function credentialTag(...parts: readonly (string | undefined)[]): string {
  const encoder = new TextEncoder();
  let hash = FNV_OFFSET;
  for (const part of parts) {
    const bytes = encoder.encode(`${part === undefined ? -1 : part.length}:${part ?? ''}`);
    for (const byte of bytes) {
      hash ^= BigInt(byte);
      hash = (hash * FNV_PRIME) & MASK_64;
    }
  }
  return hash.toString(16).padStart(16, '0');
}
