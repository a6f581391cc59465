import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { CliError, EXIT_CODES } from '../errors.js';
import type { Settings } from '../settings/setting-specs.js';

/** The grants `auth-cli login` can use. */
export type LoginGrant = 'device_code' | 'password' | 'client_credentials';

/** The grants, for checks and help. */
export const LOGIN_GRANTS: readonly LoginGrant[] = [
  'device_code',
  'password',
  'client_credentials',
];

/** What `login` saves next to the tokens (mode 0600): no token, password or one-time code. */
export interface LoginRecord {
  version: 1;
  /** The grant the login used. */
  grant: LoginGrant;
  /** The token store key the tokens are kept under (the provider's `cacheKey`). */
  key: string;
  /** The settings of the login (issuer, client id and secret, scope, username, …) but the password and one-time code. */
  settings: Settings;
  /** When the login happened (epoch ms). */
  loggedInAt: number;
}

/**
 * Reads the saved login.
 *
 * @param path - The login file.
 * @returns The record, or `undefined` when there is none (not logged in).
 * @throws {CliError} (failure) The file is unreadable or damaged.
 * @example
 * ```ts
 * const record = await readLoginRecord(paths.loginFile);
 * ```
 */
export async function readLoginRecord(path: string): Promise<LoginRecord | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new CliError(
      `cannot read the saved login ${path} (${(error as NodeJS.ErrnoException).code})`,
      EXIT_CODES.failure,
      { cause: error },
    );
  }
  try {
    const record = JSON.parse(text) as LoginRecord;
    const valid =
      record?.version === 1 &&
      typeof record.key === 'string' &&
      typeof record.grant === 'string' &&
      typeof record.settings === 'object' &&
      record.settings !== null;
    if (valid) return record;
  } catch {
    // Reported below.
  }
  throw new CliError(
    `the saved login ${path} is damaged: run \`auth-cli login\``,
    EXIT_CODES.loginRequired,
  );
}

/**
 * Saves the login atomically (a temporary file renamed into place), mode 0600 in a 0700
 * folder.
 *
 * @param path - The login file.
 * @param record - What to save (the client's secret or private key at most: no token, no password, no one-time code).
 * @returns When it is on disk.
 * @throws {Error} The file system refused.
 * @example
 * ```ts
 * await writeLoginRecord(paths.loginFile, { version: 1, grant, key, settings, loggedInAt: Date.now() });
 * ```
 */
export async function writeLoginRecord(path: string, record: LoginRecord): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
}

/**
 * Forgets the saved login.
 *
 * @param path - The login file.
 * @returns When it is gone (also when there was none).
 * @example
 * ```ts
 * await deleteLoginRecord(paths.loginFile);
 * ```
 */
export async function deleteLoginRecord(path: string): Promise<void> {
  await rm(path, { force: true });
}
