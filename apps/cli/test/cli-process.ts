import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

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
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const watchers: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    for (const watcher of [...watchers]) {
      const match = stderr.match(watcher.pattern);
      if (match) {
        watchers.splice(watchers.indexOf(watcher), 1);
        watcher.resolve(match);
      }
    }
  });
  child.stdin!.end(stdin ?? '');
  const result = new Promise<CliResult>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return {
    child,
    result,
    waitForStderr: (pattern) =>
      new Promise((resolve, reject) => {
        const match = stderr.match(pattern);
        if (match) return resolve(match);
        watchers.push({ pattern, resolve });
        result.then(
          (ended) =>
            reject(
              new Error(
                `auth-cli exited (${ended.code}) without printing ${pattern}: ${ended.stderr}`,
              ),
            ),
          reject,
        );
      }),
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
