import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** Options of {@link defaultTokenFilePath}. */
export interface DefaultTokenFilePathOptions {
  /** The folder name under the state directory: one per application. Default `'auth'`. */
  appName?: string;
  /** Where `XDG_STATE_HOME` is looked up. Default `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** The user's home folder, used when `XDG_STATE_HOME` is unset. Default `os.homedir()`. */
  homeDir?: string;
}

/** The folder name used when no `appName` is given. */
const DEFAULT_APP_NAME = 'auth';
/** The name of the token file inside the application's folder. */
const TOKEN_FILE_NAME = 'tokens.json';

/**
 * Where a {@link FileTokenStore} keeps its file by default:
 * `$XDG_STATE_HOME/<appName>/tokens.json`, else `~/.local/state/<appName>/tokens.json`
 * (XDG Base Directory Specification: a relative `XDG_STATE_HOME` is ignored).
 *
 * @param options - `appName`, `env`, `homeDir`.
 * @returns The absolute path of the token file.
 * @throws {TypeError} An `appName` that is empty, `.`/`..`, or holds a path separator.
 * @example
 * ```ts
 * import { defaultTokenFilePath } from '@auth/store-file';
 *
 * defaultTokenFilePath({ appName: 'my-cli' }); // e.g. "/home/ada/.local/state/my-cli/tokens.json"
 * ```
 */
export function defaultTokenFilePath(options: DefaultTokenFilePathOptions = {}): string {
  const appName = options.appName ?? DEFAULT_APP_NAME;
  if (
    typeof appName !== 'string' ||
    appName === '' ||
    appName === '.' ||
    appName === '..' ||
    /[/\\\0]/.test(appName)
  ) {
    throw new TypeError('appName must be a single folder name (no "/", "\\" or "..")');
  }
  const stateHome = (options.env ?? process.env).XDG_STATE_HOME;
  const stateDir =
    stateHome && isAbsolute(stateHome)
      ? stateHome
      : join(options.homeDir ?? homedir(), '.local', 'state');
  return join(stateDir, appName, TOKEN_FILE_NAME);
}
