import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectNoSecrets, runCli, storedTokens, tempStateDir } from './cli-process.js';

describe('auth-cli with client credentials and a config file', () => {
  let bed: OidcTestBed;
  let state: Awaited<ReturnType<typeof tempStateDir>>;
  let env: Record<string, string>;
  const grantsSince = (count: number) => bed.tokenRequests.slice(count).map((r) => r.grantType);
  const writeConfig = async (settings: Record<string, unknown>) => {
    const path = join(state.dir, 'auth.json');
    await writeFile(path, JSON.stringify(settings));
    return path;
  };

  beforeAll(async () => {
    bed = await startOidcProvider();
  });
  afterAll(() => bed.close());
  beforeEach(async () => {
    state = await tempStateDir();
    env = { AUTH_CLI_STATE_DIR: state.dir, HOME: state.dir };
  });
  afterEach(() => state.remove());

  it('logs in from a config file; token reuses the token, --refresh signs in again, logout revokes it', async () => {
    const { clientId, clientSecret } = bed.clients.basic;
    const config = await writeConfig({ issuer: bed.issuer, clientId, clientSecret });
    const login = await runCli(['login', '--client-credentials', '--config', config], env);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('Logged in with client credentials');

    const before = bed.tokenRequests.length;
    const first = await runCli(['token', '--config', config], env);
    expect(first.code, first.stderr).toBe(0);
    expect(grantsSince(before)).toEqual([]);
    const renewed = await runCli(['token', '--refresh', '--config', config], env);
    expect(renewed.code, renewed.stderr).toBe(0);
    expect(grantsSince(before)).toEqual(['client_credentials']);
    expect(renewed.stdout.trim()).not.toBe(first.stdout.trim());

    const status = await runCli(['status', '--config', config], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('clientSecret: set');
    expect(status.stdout).toMatch(/Access token: valid, expires in/);

    const token = renewed.stdout.trim();
    expect(await bed.inspectToken(token)).toBeDefined();
    const logout = await runCli(['logout', '--config', config], env);
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stdout).toContain('revoked the access token');
    expect(await bed.inspectToken(token)).toBeUndefined();
    expectNoSecrets([login, status, logout], [clientSecret, first.stdout.trim(), token]);
  });

  it('reads the config file named by AUTH_CLI_CONFIG and remembers the client secret (0600 file): token --refresh, status and logout then need no settings', async () => {
    const { clientId, clientSecret } = bed.clients.basic;
    const login = await runCli(['login', '--client-credentials', '--issuer', bed.issuer], {
      ...env,
      AUTH_CLI_CONFIG: await writeConfig({ clientId, clientSecret }),
    });
    expect(login.code, login.stderr).toBe(0);
    const saved = join(state.dir, 'login.json');
    expect((await stat(saved)).mode & 0o777).toBe(0o600);

    const before = bed.tokenRequests.length;
    const refreshed = await runCli(['token', '--refresh'], env);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(grantsSince(before)).toEqual(['client_credentials']);
    const token = refreshed.stdout.trim();
    expect(await readFile(saved, 'utf8')).not.toContain(token);

    const status = await runCli(['status'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toContain('clientSecret: set');
    const logout = await runCli(['logout'], env);
    expect(logout.code, logout.stderr).toBe(0);
    expect(logout.stdout).toContain('revoked the access token');
    expect(await bed.inspectToken(token)).toBeUndefined();
    expectNoSecrets([login, status, logout], [clientSecret]);
  });

  it('never sends a remembered client secret to another client or issuer: a new login naming them needs its own', async () => {
    const { clientId, clientSecret } = bed.clients.basic;
    const first = await runCli(['login', '--client-credentials', '--issuer', bed.issuer], {
      ...env,
      AUTH_CLI_CONFIG: await writeConfig({ clientId, clientSecret }),
    });
    expect(first.code, first.stderr).toBe(0);

    const requestsBefore = bed.tokenRequests.length;
    const otherClient = await runCli(
      ['login', '--client-credentials', '--issuer', bed.issuer, '--client-id', 'svc'],
      env,
    );
    expect(otherClient.code).toBe(2);
    expect(otherClient.stderr).toContain('needs clientSecret');
    const otherIssuer = await runCli(
      ['login', '--client-credentials', '--issuer', 'https://login.example.com'],
      env,
    );
    expect(otherIssuer.code).toBe(2);
    expect(otherIssuer.stderr).toContain('settings are missing: --client-id/AUTH_CLIENT_ID');
    expect(bed.tokenRequests.length).toBe(requestsBefore);

    const sameClient = await runCli(
      ['login', '--client-credentials', '--client-id', clientId],
      env,
    );
    expect(sameClient.code, sameClient.stderr).toBe(0);
  });

  it('names a missing setting before asking the provider (exit 2)', async () => {
    const requestsBefore = bed.tokenRequests.length;
    const missing = await runCli(
      ['login', '--client-credentials', '--issuer', bed.issuer, '--client-id', 'svc'],
      env,
    );
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('needs clientSecret');
    expect(bed.tokenRequests.length).toBe(requestsBefore);
  });

  it('takes a flag over the environment, and the environment over the config file', async () => {
    const { clientId, clientSecret } = bed.clients.basic;
    const config = await writeConfig({ issuer: bed.issuer, clientId: 'nobody', clientSecret });
    const envWins = await runCli(['login', '--client-credentials', '--config', config], {
      ...env,
      AUTH_CLIENT_ID: clientId,
    });
    expect(envWins.code, envWins.stderr).toBe(0);
    const flagWins = await runCli(
      ['login', '--client-credentials', '--config', config, '--client-id', 'nobody'],
      { ...env, AUTH_CLIENT_ID: clientId },
    );
    expect(flagWins.code).toBe(4);
    expect(flagWins.stderr).toContain('invalid_client');
    expect(flagWins.stderr).not.toContain(clientSecret);
  });

  it('a wrong client secret is refused with exit 4 without printing it', async () => {
    const result = await runCli(
      [
        'login',
        '--client-credentials',
        '--issuer',
        bed.issuer,
        '--client-id',
        bed.clients.basic.clientId,
      ],
      { ...env, AUTH_CLIENT_SECRET: 'wrong-secret-value' },
    );
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('rejected the client');
    expect(result.stderr).not.toContain('wrong-secret-value');
    expect(await runCli(['status'], env)).toMatchObject({ code: 5 });
    await expect(storedTokens(state.dir)).rejects.toThrow();
  });

  it('keeps the login when revocation fails (exit 4); logout --local then forgets it without revoking', async () => {
    const { clientId, clientSecret } = bed.clients.basic;
    const args = ['--issuer', bed.issuer, '--client-id', clientId];
    const login = await runCli(['login', '--client-credentials', ...args], {
      ...env,
      AUTH_CLIENT_SECRET: clientSecret,
    });
    expect(login.code, login.stderr).toBe(0);
    const token = (await storedTokens(state.dir))!.accessToken;

    const refused = await runCli(['logout'], { ...env, AUTH_CLIENT_SECRET: 'wrong-secret-value' });
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain('could not revoke the access token');
    expect(refused.stderr).toContain('auth-cli logout --local');
    expect(refused.stderr).not.toContain('wrong-secret-value');
    expect((await storedTokens(state.dir))!.accessToken).toBe(token);

    const local = await runCli(['logout', '--local'], env);
    expect(local.code, local.stderr).toBe(0);
    expect(local.stdout).toContain('Logged out: removed the stored tokens');
    expect(await bed.inspectToken(token)).toBeDefined();
    expect((await runCli(['token'], env)).code).toBe(5);
  });
});
