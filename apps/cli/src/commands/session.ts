import type { TokenSet } from '@auth/core';
import type { FileTokenStore } from '@auth/store-file';
import { CliError, EXIT_CODES } from '../errors.js';
import { resolveSettings } from '../settings/resolve-settings.js';
import { type Settings, settingsFromFlags } from '../settings/setting-specs.js';
import { type LoginRecord, readLoginRecord } from '../state/login-record.js';
import { openTokenStore, type StatePaths, statePaths } from '../state/state-paths.js';
import type { CliIo } from './command.js';

/** A saved login, opened. */
export interface Session {
  paths: StatePaths;
  record: LoginRecord;
  /** Merged settings, with the login's grant. */
  settings: Settings;
  store: FileTokenStore;
  /** The stored tokens; `undefined` once they are gone (expired, or removed). */
  stored: TokenSet | undefined;
}

/**
 * Where the login lives, from `--state-dir` / `AUTH_CLI_STATE_DIR`.
 *
 * @param values - Parsed flags.
 * @param io - The environment.
 * @returns The paths.
 * @example
 * ```ts
 * const paths = pathsOf(values, io);
 * ```
 */
export function pathsOf(values: Record<string, unknown>, io: CliIo): StatePaths {
  const flag = values['state-dir'];
  return statePaths(typeof flag === 'string' ? flag : undefined, io.env);
}

/**
 * The config file path: `--config`, else `AUTH_CLI_CONFIG`.
 *
 * @param values - Parsed flags.
 * @param io - The environment.
 * @returns The path, if any.
 * @example
 * ```ts
 * const configPath = configPathOf(values, io);
 * ```
 */
export function configPathOf(values: Record<string, unknown>, io: CliIo): string | undefined {
  const flag = values.config;
  return (typeof flag === 'string' && flag) || io.env.AUTH_CLI_CONFIG || undefined;
}

/**
 * Opens the saved login: its record, the merged settings and the stored tokens.
 *
 * @param values - Parsed flags.
 * @param io - Environment and warnings.
 * @returns The session, or `undefined` when nobody is logged in.
 * @throws {CliError} A damaged login record or config file.
 * @example
 * ```ts
 * const session = await openSession(values, io);
 * if (!session) throw notLoggedIn();
 * ```
 */
export async function openSession(
  values: Record<string, unknown>,
  io: CliIo,
): Promise<Session | undefined> {
  const paths = pathsOf(values, io);
  const record = await readLoginRecord(paths.loginFile);
  if (!record) return undefined;
  const settings = await resolveSettings({
    flags: settingsFromFlags(values),
    env: io.env,
    configPath: configPathOf(values, io),
    saved: record.settings,
  });
  const store = openTokenStore(paths, (line) => io.err(`auth-cli: warning: ${line}`));
  const stored = await store.get(record.key);
  return { paths, record, settings: { ...settings, grant: record.grant }, store, stored };
}

/**
 * The error for commands that need a login when there is none.
 *
 * @returns A `CliError` with exit code 5.
 * @example
 * ```ts
 * if (!session) throw notLoggedIn();
 * ```
 */
export function notLoggedIn(): CliError {
  return new CliError('not logged in: run `auth-cli login`', EXIT_CODES.loginRequired);
}
