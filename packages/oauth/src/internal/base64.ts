/**
 * Decodes Base64 or base64url text (RFC 4648 §4, §5; padding optional) to UTF-8, or
 * `undefined` when it is not Base64.
 *
 * @param text - The encoded text.
 */
export function decodeBase64(text: string): string | undefined {
  try {
    const standard = text.replace(/-/g, '+').replace(/_/g, '/');
    return new TextDecoder().decode(Uint8Array.from(atob(standard), (char) => char.charCodeAt(0)));
  } catch {
    return undefined;
  }
}
