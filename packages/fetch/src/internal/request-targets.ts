import type { AuthPolicy } from './auth-policy.js';

/** Where a hop goes, parsed once: what `fetch` gets, and whether it gets credentials. */
export interface RequestTarget {
  /** The absolute URL, as a string for `fetch`. */
  readonly href: string;
  /** Its origin, for scoping, redirects and error messages. */
  readonly origin: string;
  /** Whether credentials go on it (allowed origin, path not excluded). */
  readonly covered: boolean;
}

const MAX_CACHED = 1_000;

/**
 * Resolves inputs against `baseUrl` into {@link RequestTarget}s. String inputs repeat (an
 * API client calls the same endpoints over and over), so their targets are cached: on the
 * steady-state path no URL is parsed twice and the scope is not checked again. The cache
 * holds only URLs and booleans, belongs to one `createAuthFetch` function, and is emptied
 * when it reaches 1 000 entries.
 */
export class RequestTargets {
  readonly #policy: AuthPolicy;
  readonly #baseUrl: URL | undefined;
  readonly #cache = new Map<string, RequestTarget>();

  constructor(policy: AuthPolicy, baseUrl: URL | undefined) {
    this.#policy = policy;
    this.#baseUrl = baseUrl;
  }

  /**
   * The target of a `fetch` input.
   *
   * @throws {TypeError} A string that is not a URL (relative without `baseUrl`).
   */
  resolve(input: string | URL): RequestTarget {
    if (typeof input !== 'string') return this.ofUrl(input);
    let target = this.#cache.get(input);
    if (target === undefined) {
      target = this.ofUrl(new URL(input, this.#baseUrl));
      if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
      this.#cache.set(input, target);
    }
    return target;
  }

  /** The target of a parsed URL (not cached: `URL`s are mutable). */
  ofUrl(url: URL): RequestTarget {
    const { href, origin, pathname } = url;
    return { href, origin, covered: this.#policy.covers(origin, pathname) };
  }
}
