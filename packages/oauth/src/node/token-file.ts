// biome-ignore lint/correctness/noNodejsModules: token files are read with node:fs; this module sits behind the separate `@auth/oauth/node` entry so the main entry stays runtime-neutral.
import { readFile, stat } from 'node:fs/promises';
import { CredentialUnavailableError } from '@auth/core';

/** Options of {@link tokenFile}. */
export interface TokenFileOptions {
  /**
   * For how long, in ms, a token read (or checked) is returned without looking at the file
   * again. After that, each call checks the file's identity (modification time, size, inode)
   * and reads it again only when it changed. `0` checks on every call. Default 1 000.
   */
  minRereadMs?: number;
  /** The clock (epoch ms). Default `Date.now`. */
  now?: () => number;
}

/** What was read, and the file identity it was read from. */
interface Snapshot {
  token: string;
  identity: string;
  checkedAt: number;
}

const DEFAULT_MIN_REREAD_MS = 1_000;

/**
 * A getter of the token a file holds: a Kubernetes projected service-account token, a
 * cloud's federated token (`AZURE_FEDERATED_TOKEN_FILE`), any JWT a sidecar keeps fresh.
 * Returns the file's trimmed contents, and reads the file again when it changes: kubelet
 * replaces projected tokens in place (a new file, swapped in through the `..data` symlink),
 * so the getter follows rotations without a restart. Node only (`node:fs`).
 *
 * Use it as `clientAssertion` of a grant, as the `subjectToken` of `tokenExchange`, or as a
 * provider of its own through `tokenFunction` (which reads the expiry from the JWT `exp`).
 *
 * @param path - The file.
 * @param options - `minRereadMs` (default 1 000) and `now`.
 * @returns A function resolving to the current token.
 * @throws {TypeError} An empty path or an invalid `minRereadMs` (at once).
 * @throws {CredentialUnavailableError} From the getter: the file is missing, unreadable or
 *   empty; `source` is the path, and no error holds the file's contents.
 * @example
 * ```ts
 * import { TokenManager, tokenFunction } from '@auth/core';
 * import { clientCredentials } from '@auth/oauth';
 * import { tokenFile } from '@auth/oauth/node';
 *
 * // A federated token as the client assertion (RFC 7523) …
 * const provider = clientCredentials({
 *   tokenUrl: 'https://login.example.com/oauth2/token',
 *   clientId: 'orders-service',
 *   clientAssertion: tokenFile('/var/run/secrets/tokens/federated-token'),
 * });
 * // … or a projected token used as it is.
 * const manager = new TokenManager({
 *   provider: tokenFunction(tokenFile('/var/run/secrets/tokens/api-token'), { cacheKey: 'file:api-token' }),
 * });
 * ```
 */
export function tokenFile(path: string, options: TokenFileOptions = {}): () => Promise<string> {
  if (typeof path !== 'string' || path === '')
    throw new TypeError('tokenFile needs a path (a non-empty string)');
  const minRereadMs = options.minRereadMs ?? DEFAULT_MIN_REREAD_MS;
  if (typeof minRereadMs !== 'number' || !Number.isFinite(minRereadMs) || minRereadMs < 0)
    throw new TypeError('tokenFile: minRereadMs must be a number of milliseconds, 0 or more');
  const now = options.now ?? Date.now;
  let last: Snapshot | undefined;
  let pending: Promise<string> | undefined;

  const refresh = async (): Promise<string> => {
    const checkedAt = now();
    const identity = await fileIdentity(path);
    if (last?.identity === identity) {
      last = { ...last, checkedAt };
      return last.token;
    }
    const token = await contents(path);
    last = { token, identity, checkedAt };
    return token;
  };

  const getter = (): Promise<string> => {
    if (last !== undefined && now() - last.checkedAt < minRereadMs)
      return Promise.resolve(last.token);
    // One look at the file at a time, however many callers.
    pending ??= refresh().finally(() => {
      pending = undefined;
    });
    return pending;
  };
  return Object.defineProperty(getter, 'name', { value: 'tokenFile' });
}

/** What tells two versions of the file apart without reading it (it follows symlinks). */
async function fileIdentity(path: string): Promise<string> {
  try {
    const info = await stat(path, { bigint: true });
    return [info.dev, info.ino, info.size, info.mtimeNs, info.ctimeNs].join(':');
  } catch (error) {
    throw unavailable(path, error);
  }
}

async function contents(path: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw unavailable(path, error);
  }
  const token = text.trim();
  if (token === '')
    throw new CredentialUnavailableError(`the token file ${path} is empty`, { source: path });
  return token;
}

/** The error for a file that cannot be read; the cause is the file system's error (path and code, no contents). */
function unavailable(path: string, error: unknown): CredentialUnavailableError {
  const code = (error as { code?: unknown })?.code;
  const why =
    code === 'ENOENT'
      ? 'does not exist'
      : code === 'EACCES' || code === 'EPERM'
        ? 'is not readable by this process'
        : code === 'EISDIR'
          ? 'is a directory'
          : 'could not be read';
  return new CredentialUnavailableError(`the token file ${path} ${why}`, {
    source: path,
    cause: error,
  });
}
