/** Compiles `exclude` patterns into one path test. */
import { normalizePath } from './path-normalization.js';

/** Tests a URL path against the compiled patterns. */
export type PathMatcher = (pathname: string) => boolean;

/** How {@link compilePathPatterns} compares. */
export interface PathPatternOptions {
  /** Compare ignoring ASCII case (`/PUBLIC/x` matches `/public/*`). Default false. */
  caseInsensitive?: boolean | undefined;
}

/**
 * Compiles exact paths (`/health`) and `*` globs (`/public/*`, `*\/health`) into one test.
 * `*` matches any run of characters, `/` included; everything else is literal. Paths and
 * patterns are both compared in their RFC 3986 normal form ({@link normalizePath}), so
 * `//public/x`, `/public/./x` and `/%70ublic/x` all match `/public/*`.
 *
 * @throws {TypeError} A pattern that is not a non-empty string, or a non-boolean `caseInsensitive`.
 */
export function compilePathPatterns(
  patterns: readonly string[] | undefined,
  options: PathPatternOptions = {},
): PathMatcher {
  const caseInsensitive = options.caseInsensitive ?? false;
  if (typeof caseInsensitive !== 'boolean')
    throw new TypeError('excludeCaseInsensitive must be a boolean');
  if (patterns === undefined) return () => false;
  if (!Array.isArray(patterns)) throw new TypeError('exclude must be an array of path patterns');
  const normalForm = caseInsensitive
    ? (path: string) => normalizePath(path).toLowerCase()
    : normalizePath;
  const exact = new Set<string>();
  const globs: RegExp[] = [];
  for (const pattern of patterns) {
    if (typeof pattern !== 'string' || pattern === '')
      throw new TypeError('exclude patterns must be non-empty strings');
    const normal = normalForm(pattern);
    if (normal.includes('*')) globs.push(globToRegExp(normal));
    else exact.add(normal);
  }
  if (exact.size === 0 && globs.length === 0) return () => false;
  return (pathname) => {
    const normal = normalForm(pathname);
    return exact.has(normal) || globs.some((glob) => glob.test(normal));
  };
}

function globToRegExp(pattern: string): RegExp {
  const source = pattern
    .split('*')
    .map((literal) => literal.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's');
}
