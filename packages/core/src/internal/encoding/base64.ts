/** Base64 and Base64url over bytes and UTF-8 text, on Web APIs only (`btoa`/`atob`). */

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Standard Base64 (with padding) of bytes, or of a string as UTF-8. */
export function toBase64(input: Uint8Array | string): string {
  const bytes = typeof input === 'string' ? encoder.encode(input) : input;
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Base64url without padding (RFC 4648 §5). */
export function toBase64Url(input: Uint8Array | string): string {
  return toBase64(input).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Bytes of a Base64 or Base64url string; throws on anything else. */
export function fromBase64(input: string): Uint8Array<ArrayBuffer> {
  const normalised = input.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(normalised.padEnd(Math.ceil(normalised.length / 4) * 4, '='));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** UTF-8 text of a Base64 or Base64url string; throws on invalid Base64 or UTF-8. */
export function fromBase64Text(input: string): string {
  return decoder.decode(fromBase64(input));
}
