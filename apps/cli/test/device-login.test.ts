import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CliResult,
  expectNoSecrets,
  runCli,
  startCli,
  storedTokens,
  tempStateDir,
} from './cli-process.js';

describe('auth-cli with the device code grant, across processes', () => {
  let bed: OidcTestBed;
  let state: Awaited<ReturnType<typeof tempStateDir>>;
  let env: Record<string, string>;
  /** Outputs of every run that must not show a token. */
  const outputs: CliResult[] = [];
  /** Every access and refresh token the journey stored. */
  const issued: string[] = [];
  const remember = async () => {
    const tokens = (await storedTokens(state.dir))!;
    issued.push(tokens.accessToken, tokens.refreshToken!);
    return tokens;
  };
  const requestsSince = (count: number) => bed.tokenRequests.slice(count);

  beforeAll(async () => {
    bed = await startOidcProvider();
    state = await tempStateDir();
    env = { AUTH_CLI_STATE_DIR: state.dir, HOME: state.dir };
  });
  afterAll(async () => {
    await bed.close();
    await state.remove();
  });

  it('logs in: prints the verification URI and user code, and finishes once the user approves', async () => {
    const login = startCli(
      [
        'login',
        '--issuer',
        bed.issuer,
        '--client-id',
        bed.clients.device.clientId,
        '--scope',
        'openid offline_access',
      ],
      env,
    );
    const [, verificationUri, userCode] = await login.waitForStderr(
      /open (\S+) and enter the code: (\S+)/,
    );
    expect(verificationUri).toContain(bed.issuer);
    await bed.approveDevice(userCode!, 'alice');
    const result = await login.result;
    outputs.push(result);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Logged in with the device code grant');
    expect(result.stdout).toContain(join(state.dir, 'tokens.json'));
    const tokens = await remember();
    expect(tokens.refreshToken).toBeTruthy();
    const savedLogin = await readFile(join(state.dir, 'login.json'), 'utf8');
    expect(savedLogin).not.toContain(tokens.accessToken);
    expect(savedLogin).not.toContain(tokens.refreshToken!);
  });

  it('token, in a new process, prints the stored access token without any token request', async () => {
    const before = bed.tokenRequests.length;
    const result = await runCli(['token'], env);
    expect(result.code, result.stderr).toBe(0);
    const printed = result.stdout.trim();
    expect(printed).toBe((await storedTokens(state.dir))!.accessToken);
    expect(requestsSince(before)).toEqual([]);
    const info = await bed.inspectToken(printed);
    expect(info).toMatchObject({ kind: 'access_token', accountId: 'alice' });
  });

  it('token --json prints the token with its expiry', async () => {
    const result = await runCli(['token', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    const parsed = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      accessToken: (await storedTokens(state.dir))!.accessToken,
      tokenType: 'Bearer',
    });
    expect(parsed.expiresInSeconds).toBeGreaterThan(3000);
    expect(Date.parse(parsed.expiresAt as string)).toBeGreaterThan(Date.now());
  });

  it('status --json describes the login, secrets only as set/not set, with an expiry countdown', async () => {
    const result = await runCli(['status', '--json'], env);
    outputs.push(result);
    expect(result.code, result.stderr).toBe(0);
    const status = JSON.parse(result.stdout) as {
      accessToken: { valid: boolean; expiresInSeconds: number };
    };
    expect(status).toMatchObject({
      loggedIn: true,
      grant: 'device_code',
      refreshToken: 'set',
      tokenFile: join(state.dir, 'tokens.json'),
      provider: { clientId: bed.clients.device.clientId, issuer: `${bed.issuer}/` },
    });
    expect(status.accessToken.valid).toBe(true);
    expect(status.accessToken.expiresInSeconds).toBeGreaterThan(3000);
    const text = await runCli(['status'], env);
    outputs.push(text);
    expect(text.stdout).toMatch(/Access token: valid, expires in \d+m \d+s/);
  });

  it('token --refresh gets a new access token with the refresh token (one request), which later runs reuse', async () => {
    const old = (await storedTokens(state.dir))!;
    const before = bed.tokenRequests.length;
    const refreshed = await runCli(['token', '--refresh'], env);
    expect(refreshed.code, refreshed.stderr).toBe(0);
    expect(requestsSince(before).map((request) => request.grantType)).toEqual(['refresh_token']);
    const token = refreshed.stdout.trim();
    expect(token).not.toBe(old.accessToken);
    expect((await remember()).refreshToken).not.toBe(old.refreshToken);

    const again = await runCli(['token'], env);
    expect(again.stdout.trim()).toBe(token);
    expect(requestsSince(before)).toHaveLength(1);
  });

  it('logout revokes the refresh and access tokens at the provider, then token fails with exit 5', async () => {
    const tokens = (await storedTokens(state.dir))!;
    expect(await bed.inspectToken(tokens.refreshToken!)).toBeDefined();
    const result = await runCli(['logout'], env);
    outputs.push(result);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('revoked the refresh token and the access token');
    expect(await bed.inspectToken(tokens.refreshToken!)).toBeUndefined();
    expect(await bed.inspectToken(tokens.accessToken)).toBeUndefined();
    const refreshAttempt = await fetch(bed.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        refresh_token: tokens.refreshToken!,
        client_id: bed.clients.device.clientId,
      }),
    });
    expect(refreshAttempt.status).toBe(400);
    expect(await refreshAttempt.json()).toMatchObject({ error: 'invalid_grant' });

    const token = await runCli(['token'], env);
    outputs.push(token);
    expect(token.code).toBe(5);
    expect(token.stdout).toBe('');
    expect(token.stderr).toContain('not logged in: run `auth-cli login`');
    const status = await runCli(['status', '--json'], env);
    expect(status.code).toBe(5);
    expect(JSON.parse(status.stdout)).toMatchObject({ loggedIn: false });
  });

  it('a denied device login fails with exit 4 and stays logged out', async () => {
    const login = startCli(['login'], {
      ...env,
      AUTH_ISSUER: bed.issuer,
      AUTH_CLIENT_ID: bed.clients.device.clientId,
    });
    const [, , userCode] = await login.waitForStderr(/open (\S+) and enter the code: (\S+)/);
    await bed.denyDevice(userCode!);
    const result = await login.result;
    outputs.push(result);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('the login was denied');
    expect((await runCli(['status'], env)).code).toBe(5);
  });

  it('Ctrl-C while waiting for the approval stops the login with exit 130', async () => {
    const login = startCli(['login'], {
      ...env,
      AUTH_ISSUER: bed.issuer,
      AUTH_CLIENT_ID: bed.clients.device.clientId,
    });
    await login.waitForStderr(/enter the code: \S+/);
    login.child.kill('SIGINT');
    const result = await login.result;
    expect(result.code).toBe(130);
    expect(result.stderr).toContain('auth-cli: interrupted');
  });

  it('printed no token outside `token`: not in login, status, logout or errors', () => {
    expect(issued.length).toBeGreaterThanOrEqual(4);
    expect(outputs.length).toBeGreaterThanOrEqual(5);
    expectNoSecrets(outputs, issued);
  });
});
