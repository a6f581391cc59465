/**
 * The normal form of a URL path that `exclude` patterns are matched against (RFC 3986
 * §6.2.2), so that every spelling of one path is treated alike.
 */

const PERCENT_ENCODED = /%([0-9A-Fa-f]{2})/g;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
const NEEDS_WORK = /%|\/\/|\/\./;

/**
 * The normal form of `pathname`, in this order:
 * 1. percent-encoded unreserved characters decoded (`%70` → `p`, `%2e` → `.`), every other
 *    escape kept with upper-case hex (`%2f` → `%2F`: an encoded slash stays one character of its
 *    segment, never a separator);
 * 2. runs of slashes merged into one (`//public` → `/public`), as servers that merge them do;
 * 3. dot segments removed (RFC 3986 §5.2.4: `/a/./b` → `/a/b`, `/a/../b` → `/b`).
 *
 * @param pathname - A URL path (no query), starting with `/`.
 * @returns The normal form; a path already in it comes back as the same string.
 * @see https://www.rfc-editor.org/rfc/rfc3986#section-6.2.2
 */
export function normalizePath(pathname: string): string {
  if (!NEEDS_WORK.test(pathname)) return pathname;
  const decoded = pathname.replace(PERCENT_ENCODED, (encoded, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : encoded.toUpperCase();
  });
  return removeDotSegments(decoded.replace(/\/{2,}/g, '/'));
}

/** RFC 3986 §5.2.4 on a path (or `exclude` pattern) whose slashes are already merged. */
function removeDotSegments(path: string): string {
  const segments = path.split('/');
  const output: string[] = [];
  for (let i = 1; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (segment === '.' || segment === '..') {
      if (segment === '..') output.pop();
      // A trailing dot segment leaves the path ending in a slash.
      if (last) output.push('');
      continue;
    }
    output.push(segment);
  }
  // segments[0] is what comes before the first slash: empty for a path, `*` for a pattern.
  return `${segments[0]}/${output.join('/')}`;
}
