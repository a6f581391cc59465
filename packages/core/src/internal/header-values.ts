/** Checks for values that end up in HTTP headers, so nothing can inject a header. */

const VISIBLE_ASCII = /^[\x21-\x7e]+$/;
const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Whether `value` is non-empty visible ASCII: no whitespace, control or non-ASCII characters. */
export function isVisibleAscii(value: string): boolean {
  return VISIBLE_ASCII.test(value);
}

/** Whether `value` is an RFC 9110 `token` (a header name or an auth scheme). */
export function isHeaderToken(value: string): boolean {
  return HEADER_TOKEN.test(value);
}

/** Whether `value` holds a control character (CR, LF, NUL, …) that must not reach a header. */
export function hasControlCharacter(value: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: this is the check for them
  return /[\x00-\x1f\x7f]/.test(value);
}
