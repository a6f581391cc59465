import type { defaultTokenFilePath } from './default-token-file-path.js';
import type { FileTokenStoreEvent } from './file-token-store-events.js';

/**
 * Options of {@link FileTokenStore}. Durations in ms.
 *
 * @example
 * ```ts
 * import type { FileTokenStoreOptions } from '@auth/store-file';
 *
 * const options: FileTokenStoreOptions = { appName: 'my-cli', onEvent: (event) => console.warn(event) };
 * ```
 */
export interface FileTokenStoreOptions {
  /** The token file. Default {@link defaultTokenFilePath}`({ appName, env })`. */
  path?: string;
  /** The folder name under the state directory when `path` is not given. Default `'auth'`. */
  appName?: string;
  /** Where `XDG_STATE_HOME` is looked up when `path` is not given. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** How long a write waits for another process's write to finish. Default 10 000. */
  writeLockTimeoutMs?: number;
  /** The clock, for entry expiry and lock expiry. Default `Date.now`. */
  now?: () => number;
  /** Receives {@link FileTokenStoreEvent}s (tightened permissions, a file moved aside, a stale lock removed). */
  onEvent?: (event: FileTokenStoreEvent) => void;
}
