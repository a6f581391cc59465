import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type ProcessRun, runProcess, startProcess } from '@auth/testing/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The checkout these tests run in; the clone is of its committed HEAD. */
const REPOSITORY = fileURLToPath(new URL('../../..', import.meta.url));
const PNPM = ['--yes', 'pnpm@10.34.9'];

/**
 * A stranger's environment: this one without what pnpm, npm and turbo set for the run
 * that started the tests, and without this checkout's `node_modules/.bin` on PATH.
 */
function strangerEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env))
    if (!/^(npm_|pnpm_|turbo_|vitest)/i.test(name) && name !== 'NODE_OPTIONS') env[name] = value;
  env.PATH = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => !entry.startsWith(REPOSITORY))
    .join(delimiter);
  return { ...env, ...extra };
}

describe('a fresh clone, as the READMEs walk it: pnpm install, then the root scripts', () => {
  let clone: string;
  let state: string;
  const pnpm = (args: string[], extra: Record<string, string> = {}): Promise<ProcessRun> =>
    runProcess('npx', [...PNPM, ...args], { cwd: clone, env: strangerEnv(extra) });

  beforeAll(async () => {
    clone = await mkdtemp(join(tmpdir(), 'auth-fresh-clone-'));
    state = await mkdtemp(join(tmpdir(), 'auth-fresh-clone-state-'));
    const git = promisify(execFile);
    const { stdout: head } = await git('git', ['rev-parse', 'HEAD'], { cwd: REPOSITORY });
    await git('git', ['clone', '--quiet', '--no-checkout', REPOSITORY, clone]);
    await git('git', ['checkout', '--quiet', '--detach', head.trim()], { cwd: clone });
    // The package store already holds every package (the checkout was installed): offline.
    const install = await pnpm(['install', '--frozen-lockfile', '--offline']);
    expect(install.code, install.stdout + install.stderr).toBe(0);
  });
  afterAll(async () => {
    await rm(clone, { recursive: true, force: true });
    await rm(state, { recursive: true, force: true });
  });

  it('pnpm cli -- --help and pnpm cli --help build the CLI and print its help', async () => {
    const dashed = await pnpm(['cli', '--', '--help']);
    expect(dashed.code, dashed.stderr).toBe(0);
    expect(dashed.stdout).toContain('Usage: auth-cli <command> [options]');
    expect(dashed.stderr).not.toContain('ERR_MODULE_NOT_FOUND');
    const plain = await pnpm(['cli', '--help']);
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stdout).toContain('Usage: auth-cli <command> [options]');
  });

  it('pnpm cluster builds the cluster app and runs a fleet that shares one token per lifetime', async () => {
    const run = await pnpm(['cluster']);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stdout).toContain('Requests served: 160 of 160; failures: 0');
    expect(run.stdout).toMatch(/Token requests by the whole fleet: 2 /);
  });

  it('pnpm provider runs until Ctrl-C; the client credentials line it prints logs the CLI in', async () => {
    const provider = startProcess('npx', [...PNPM, 'provider'], {
      cwd: clone,
      env: strangerEnv(),
      detached: true,
    });
    try {
      const [, secret, args] = await provider.waitFor(
        'stdout',
        /\n {2}AUTH_CLIENT_SECRET=(\S+) pnpm cli -- (login --client-credentials .*)\n/,
      );
      const env = { AUTH_CLIENT_SECRET: secret!, AUTH_CLI_STATE_DIR: state };
      const login = await pnpm(['cli', '--', ...args!.split(' ')], env);
      expect(login.code, login.stderr).toBe(0);
      expect(login.stdout).toContain('Logged in with client credentials');
      // The login remembered the secret: the next commands need no settings.
      const token = await pnpm(['--silent', 'cli', '--', 'token'], { AUTH_CLI_STATE_DIR: state });
      expect(token.code, token.stderr).toBe(0);
      expect(token.stdout.trim()).toMatch(/^\S{20,}$/);
      const logout = await pnpm(['cli', '--', 'logout'], { AUTH_CLI_STATE_DIR: state });
      expect(logout.code, logout.stderr).toBe(0);
      expect(logout.stdout).toContain('revoked the access token');
    } finally {
      // Ctrl-C reaches the whole foreground process group: pnpm, the shell and the provider.
      process.kill(-provider.child.pid!, 'SIGINT');
    }
    const ended = await provider.result;
    expect(ended.stdout).toContain('Provider stopped.');
    // The script execs the provider: no shell in between to die of the signal and make pnpm
    // report a failed script.
    expect(ended.stderr).not.toContain('ELIFECYCLE');
  });
});
