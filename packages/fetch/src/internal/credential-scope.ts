import { checkedHttpUrl } from '@auth/core/internal';
import { compilePathPatterns, type PathMatcher } from './path-patterns.js';

/** Settings that decide which URLs get credentials. */
export interface CredentialScopeSettings {
  origins: readonly (string | URL)[] | undefined;
  baseUrl: URL | undefined;
  exclude: readonly string[] | undefined;
  excludeCaseInsensitive?: boolean | undefined;
  allowInsecureHttp: boolean;
}

/**
 * Decides, URL by URL, whether credentials may go on a request: the origin must be one of
 * the allowed ones and the path must not be excluded. Every check of the settings happens
 * in the constructor, so a mistake shows at construction, not at the first request.
 */
export class CredentialScope {
  readonly #origins: ReadonlySet<string>;
  readonly #excluded: PathMatcher;

  /**
   * @throws {TypeError} Neither origins nor baseUrl, a malformed origin, a non-HTTP(S)
   *   origin, or a plain-`http:` origin that is not loopback without `allowInsecureHttp`.
   */
  constructor(settings: CredentialScopeSettings) {
    const listed = settings.origins ?? (settings.baseUrl ? [settings.baseUrl] : undefined);
    if (listed === undefined || (Array.isArray(listed) && listed.length === 0)) {
      throw new TypeError('say where credentials may go: pass origins or baseUrl');
    }
    if (!Array.isArray(listed)) throw new TypeError('origins must be an array of origins');
    const origins = new Set<string>();
    for (const entry of listed) origins.add(checkedOrigin(entry, settings.allowInsecureHttp));
    this.#origins = origins;
    this.#excluded = compilePathPatterns(settings.exclude, {
      caseInsensitive: settings.excludeCaseInsensitive,
    });
  }

  /**
   * Whether a request gets credentials.
   *
   * @param origin - The request URL's origin.
   * @param pathname - The request URL's path, without the query.
   * @returns `true` for an allowed origin and a path that is not excluded.
   */
  covers(origin: string, pathname: string): boolean {
    return this.#origins.has(origin) && !this.#excluded(pathname);
  }
}

function checkedOrigin(entry: string | URL, allowInsecureHttp: boolean): string {
  return checkedHttpUrl('each origin', entry, allowInsecureHttp).origin;
}
