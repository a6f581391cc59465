import type { TokenInput } from '../token-exchange.js';
import type { TokenTarget } from './options.js';
import type { TokenClient } from './token-client.js';

/**
 * Checks a {@link TokenInput} setting.
 *
 * @throws {TypeError} Not a non-empty string or a function.
 */
export function checkSource(name: string, source: unknown, required: boolean): void {
  if (source === undefined && !required) return;
  if (typeof source === 'function' || (typeof source === 'string' && source !== '')) return;
  throw new TypeError(`${name} must be a non-empty string or a function returning one`);
}

/** Reads a {@link TokenInput}. */
export async function readTokenInput(source: TokenInput): Promise<string> {
  const value = typeof source === 'function' ? await source() : source;
  if (typeof value !== 'string' || value === '')
    throw new TypeError('a token function returned no token');
  return value.replace(/^bearer\s+/i, '');
}

/** The part of a source the cache key may tag: a fixed token, or nothing for a function. */
export function sourceTag(source: TokenInput | undefined): string | undefined {
  return typeof source === 'string' ? source : undefined;
}

/**
 * The cache key of a grant that acts for a subject (JWT bearer, token exchange): the subject's
 * key, the target, and a tag of each fixed token it sends. A token given as a function is not
 * tagged: it changes, and its tokens stay the subject's.
 *
 * @param client - The grant's token client (endpoint, client id and credential).
 * @param grant - The grant's name in the key, e.g. `token_exchange`.
 * @param subjectKey - The user's `subjectKey` option.
 * @param target - The scope, audience and resources.
 * @param sources - The tokens the grant sends.
 */
export function subjectCacheKey(
  client: TokenClient,
  grant: string,
  subjectKey: string | undefined,
  target: TokenTarget,
  sources: readonly (TokenInput | undefined)[],
): string {
  return client.cacheKey({ grant, user: subjectKey, ...target, secrets: sources.map(sourceTag) });
}
