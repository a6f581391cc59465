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

// RFC 9110 §5.5: a field value is visible ASCII, space, tab and obs-text (Latin-1 0x80–0xFF).
// Everything else (CR, LF, NUL, other controls, DEL, anything beyond Latin-1) is refused: CR
// and LF would inject headers, and fetch would throw a raw TypeError for the rest.
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

/** Whether `value` may be sent as a header value (RFC 9110 §5.5, no CR, LF or controls). */
export function isHeaderValue(value: string): boolean {
  return !INVALID_HEADER_VALUE.test(value);
}
