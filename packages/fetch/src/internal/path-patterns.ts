/** Compiles `exclude` patterns into one path test. */

/** Tests a URL path against the compiled patterns. */
export type PathMatcher = (pathname: string) => boolean;

/**
 * Compiles exact paths (`/health`) and `*` globs (`/public/*`, `*\/health`) into one test.
 * `*` matches any run of characters, `/` included; everything else is literal.
 *
 * @throws {TypeError} A pattern that is not a non-empty string.
 */
export function compilePathPatterns(patterns: readonly string[] | undefined): PathMatcher {
  if (patterns === undefined) return () => false;
  if (!Array.isArray(patterns)) throw new TypeError('exclude must be an array of path patterns');
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const pattern of patterns) {
    if (typeof pattern !== 'string' || pattern === '')
      throw new TypeError('exclude patterns must be non-empty strings');
    if (pattern.includes('*')) globs.push(globToRegExp(pattern));
    else exact.add(pattern);
  }
  if (exact.size === 0 && globs.length === 0) return () => false;
  return (pathname) => exact.has(pathname) || globs.some((glob) => glob.test(pathname));
}

function globToRegExp(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's');
}
