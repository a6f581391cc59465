import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, tempStateDir } from './cli-process.js';

/** A loopback port with nobody listening: taken from the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('auth-cli usage, help and failures before any login', () => {
  let state: Awaited<ReturnType<typeof tempStateDir>>;
  let env: Record<string, string>;
  beforeEach(async () => {
    state = await tempStateDir();
    env = { AUTH_CLI_STATE_DIR: state.dir, HOME: state.dir };
  });
  afterEach(() => state.remove());

  it('prints help for the program and for every command, with exit 0', async () => {
    const top = await runCli(['--help'], env);
    expect(top.code).toBe(0);
    for (const command of ['login', 'token', 'status', 'logout']) {
      expect(top.stdout).toContain(`  ${command} `);
      const help = await runCli([command, '--help'], env);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: auth-cli ${command}`);
      expect(help.stdout).toContain('AUTH_CLIENT_ID');
      expect((await runCli(['help', command], env)).stdout).toBe(help.stdout);
    }
  });

  it('skips the `--` that `pnpm cli -- <args>` passes on', async () => {
    const help = await runCli(['--', '--help'], env);
    expect(help.code).toBe(0);
    expect(help.stdout).toBe((await runCli(['--help'], env)).stdout);
    expect((await runCli(['--', 'status', '--json'], env)).stdout).toContain('"loggedIn":false');
  });

  it('exits 2 for no command, an unknown command, an unknown flag, a missing flag value or two grants', async () => {
    const none = await runCli([], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: auth-cli <command>');
    const unknown = await runCli(['lgoin'], env);
    expect(unknown).toMatchObject({ code: 2 });
    expect(unknown.stderr).toContain('unknown command "lgoin"');
    const flag = await runCli(['token', '--jsn'], env);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain("'--jsn'");
    expect(flag.stderr).toContain('auth-cli token --help');
    const value = await runCli(['login', '--issuer'], env);
    expect(value.code).toBe(2);
    expect(value.stderr).toContain('--issuer');
    const both = await runCli(['login', '--password', '--client-credentials'], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('choose one of --password, --client-credentials');
  });

  it('exits 2 naming the flag and variable of a missing setting, and for a grant login cannot use', async () => {
    const missing = await runCli(['login', '--issuer', 'http://127.0.0.1:1'], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('--client-id/AUTH_CLIENT_ID');
    const grant = await runCli(['login', '--issuer', 'http://127.0.0.1:1', '--client-id', 'x'], {
      ...env,
      AUTH_GRANT: 'jwt_bearer',
    });
    expect(grant.code).toBe(2);
    expect(grant.stderr).toContain('"jwt_bearer"');
  });

  it('exits 2 for a config file that is missing, not JSON or holds an unknown setting', async () => {
    const path = join(state.dir, 'auth.json');
    const missing = await runCli(['login', '--config', path], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`config file ${path}: cannot be read (ENOENT)`);
    await writeFile(path, '{ not json');
    expect((await runCli(['login', '--config', path], env)).stderr).toContain('is not valid JSON');
    await writeFile(path, JSON.stringify({ clientID: 'typo', clientSecret: 'top-secret-value' }));
    const typo = await runCli(['login', '--config', path], env);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toContain('unknown setting "clientID"');
    expect(typo.stderr).not.toContain('top-secret-value');
  });

  it('exits 3 when the issuer cannot be reached', async () => {
    const issuer = `http://127.0.0.1:${await closedPort()}`;
    const result = await runCli(
      ['login', '--client-credentials', '--issuer', issuer, '--client-id', 'svc'],
      { ...env, AUTH_CLIENT_SECRET: 'unreachable-secret' },
    );
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('could not reach the provider');
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stderr).not.toContain('unreachable-secret');
  });

  it('exits 5 for token and status when nobody is logged in; logout has nothing to do', async () => {
    const token = await runCli(['token'], env);
    expect(token.code).toBe(5);
    expect(token.stderr).toContain('not logged in: run `auth-cli login`');
    const status = await runCli(['status'], env);
    expect(status.code).toBe(5);
    expect(status.stdout).toBe('Not logged in. Run `auth-cli login`.\n');
    const logout = await runCli(['logout'], env);
    expect(logout.code).toBe(0);
    expect(logout.stdout).toContain('Not logged in');
  });
});
