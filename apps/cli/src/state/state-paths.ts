import { dirname, join, resolve } from 'node:path';
import { defaultTokenFilePath, FileTokenStore } from '@auth/store-file';

/** The app's folder name under the user's state directory. */
const APP_NAME = 'auth-cli';

/** Where the CLI keeps its login. */
export interface StatePaths {
  /** The folder (mode 0700). */
  dir: string;
  /** The `FileTokenStore` file: the tokens. */
  tokenFile: string;
  /** The saved login (mode 0600): grant, store key and settings, the client secret included. */
  loginFile: string;
}

/**
 * Works out the state folder: `--state-dir`, else `AUTH_CLI_STATE_DIR`, else
 * `$XDG_STATE_HOME/auth-cli`, else `~/.local/state/auth-cli`.
 *
 * @param flag - The `--state-dir` value, if given.
 * @param env - The environment.
 * @returns The folder and the files in it.
 * @throws {TypeError} Never for valid input; see `defaultTokenFilePath`.
 * @example
 * ```ts
 * const paths = statePaths(undefined, process.env); // ~/.local/state/auth-cli/…
 * ```
 */
export function statePaths(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): StatePaths {
  const chosen = flag || env.AUTH_CLI_STATE_DIR;
  const dir = chosen ? resolve(chosen) : dirname(defaultTokenFilePath({ appName: APP_NAME, env }));
  return { dir, tokenFile: join(dir, 'tokens.json'), loginFile: join(dir, 'login.json') };
}

/**
 * Opens the token file, reporting its events (a corrupt file moved aside, permissions
 * tightened) through `warn`.
 *
 * @param paths - From {@link statePaths}.
 * @param warn - Prints a warning line.
 * @returns The store.
 * @example
 * ```ts
 * const store = openTokenStore(paths, (line) => process.stderr.write(`${line}\n`));
 * ```
 */
export function openTokenStore(paths: StatePaths, warn: (line: string) => void): FileTokenStore {
  return new FileTokenStore({
    path: paths.tokenFile,
    onEvent: (event) => {
      if (event.type === 'file-moved-aside')
        warn(`the token file was unreadable (${event.reason}) and was moved to ${event.movedTo}`);
      else if (event.type === 'permissions-insecure')
        warn(`${event.path} is open to other users and could not be made private`);
    },
  });
}
