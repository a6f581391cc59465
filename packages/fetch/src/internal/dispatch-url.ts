import type { Dispatcher } from 'undici';

/**
 * The URL an undici dispatch goes to, or `undefined` when it has no (valid) origin. It joins
 * rather than resolves: undici sends `path` as it is to `origin`, so a path such as
 * `//other.example/x` must not be read as another host.
 */
export function dispatchUrl(opts: Dispatcher.DispatchOptions): URL | undefined {
  if (opts.origin === undefined || opts.origin === null) return undefined;
  try {
    const { origin } = new URL(opts.origin);
    return new URL(`${origin}${opts.path.startsWith('/') ? '' : '/'}${opts.path}`);
  } catch {
    return undefined;
  }
}
