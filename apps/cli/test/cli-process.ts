import type { ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { startProcess } from '@auth/testing/process';
import { afterAll, beforeAll, expect } from 'vitest';

/** The built program (the `bin` of the package). */
export const CLI_PATH = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** How one run ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** A run in progress. */
export interface RunningCli {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in standard error. */
  waitForStderr(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the first match of `pattern` in standard output. */
  waitForStdout(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves when the process exits. */
  result: Promise<CliResult>;
}

/**
 * Starts `auth-cli` as a real child process with only the given environment (plus PATH),
 * so the developer's own `AUTH_*` variables never leak in.
 */
export function startCli(
  args: readonly string[],
  env: Record<string, string>,
  stdin?: string,
): RunningCli {
  const running = startWatched(process.execPath, [CLI_PATH, ...args], env);
  running.child.stdin!.end(stdin ?? '');
  return running;
}

/**
 * Starts `auth-cli` on a real pseudo-terminal (util-linux `script`): its standard input is
 * a TTY, and everything it writes arrives on `waitForStdout`. Type with `type()`.
 */
export function startCliOnTerminal(
  args: readonly string[],
  env: Record<string, string>,
): RunningCli & { type(keys: string): void } {
  const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;
  const command = [process.execPath, CLI_PATH, ...args].map(quote).join(' ');
  const running = startWatched('script', ['-qec', command, '/dev/null'], env);
  // Standard input stays open until the end: `script` ends the session at its EOF.
  running.result.finally(() => running.child.stdin!.end()).catch(() => {});
  return { ...running, type: (keys) => running.child.stdin!.write(keys) };
}

function startWatched(
  command: string,
  argv: readonly string[],
  env: Record<string, string>,
): RunningCli {
  const running = startProcess(command, argv, { env: { PATH: process.env.PATH ?? '', ...env } });
  return {
    child: running.child,
    result: running.result,
    waitForStderr: (pattern) => running.waitFor('stderr', pattern),
    waitForStdout: (pattern) => running.waitFor('stdout', pattern),
  };
}

/** Runs `auth-cli` to completion. */
export function runCli(
  args: readonly string[],
  env: Record<string, string>,
  stdin?: string,
): Promise<CliResult> {
  return startCli(args, env, stdin).result;
}

/** A fresh state folder (token file and saved login) for one test; `remove()` it after. */
export async function tempStateDir(): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'auth-cli-test-'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** The tokens the CLI stored, read straight from its token file (the test's view of the disk). */
export async function storedTokens(
  stateDir: string,
): Promise<{ accessToken: string; refreshToken?: string } | undefined> {
  const login = JSON.parse(await readFile(join(stateDir, 'login.json'), 'utf8')) as { key: string };
  const document = JSON.parse(await readFile(join(stateDir, 'tokens.json'), 'utf8')) as {
    entries: Record<string, { accessToken: string; refreshToken?: string }>;
  };
  return document.entries[login.key];
}

/** Asserts that no output of the runs contains any of the secrets. */
export function expectNoSecrets(results: readonly CliResult[], secrets: readonly string[]): void {
  for (const result of results) {
    for (const secret of secrets) {
      expect(result.stdout).not.toContain(secret);
      expect(result.stderr).not.toContain(secret);
    }
  }
}

/** `login --password` as `username` with the test bed's user client and scope `openid offline_access`. */
export function passwordLoginArgs(bed: OidcTestBed, username: string): string[] {
  return [
    'login',
    '--password',
    '--issuer',
    bed.issuer,
    '--client-id',
    bed.clients.user.clientId,
    '--username',
    username,
    '--scope',
    'openid offline_access',
  ];
}

/** What a user-login test file shares: the OpenID test bed, a state folder and the CLI's env. */
export interface UserLoginBed {
  bed: OidcTestBed;
  state: Awaited<ReturnType<typeof tempStateDir>>;
  /** The state folder as `AUTH_CLI_STATE_DIR` and `HOME`, the user client's secret. */
  env: Record<string, string>;
}

/**
 * Starts the OpenID test bed and a state folder once for the file (`beforeAll`) and stops
 * them after it (`afterAll`). Read the returned object's fields inside the tests.
 */
export function userLoginBed(): UserLoginBed {
  const shared = {} as UserLoginBed;
  beforeAll(async () => {
    shared.bed = await startOidcProvider();
    shared.state = await tempStateDir();
    shared.env = {
      AUTH_CLI_STATE_DIR: shared.state.dir,
      HOME: shared.state.dir,
      AUTH_CLIENT_SECRET: shared.bed.clients.user.clientSecret,
    };
  });
  afterAll(async () => {
    await shared.bed?.close();
    await shared.state?.remove();
  });
  return shared;
}
