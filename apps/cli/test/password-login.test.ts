import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { revokeToken } from '@auth/oauth';
import { describe, expect, it } from 'vitest';
import {
  type CliResult,
  expectNoSecrets,
  passwordLoginArgs,
  runCli,
  storedTokens,
  userLoginBed,
} from './cli-process.js';

describe('auth-cli with the password grant, across processes', () => {
  /** The test bed; its env: state folder and client secret, but no password. */
  const shared = userLoginBed();
  const outputs: CliResult[] = [];
  const alice = { username: 'alice', password: 'alice-password-1' };
  const grantsSince = (count: number) =>
    shared.bed.tokenRequests.slice(count).map((r) => r.grantType);

  const loginArgs = () => passwordLoginArgs(shared.bed, alice.username);
  const revokeStoredRefreshToken = async () => {
    const tokens = (await storedTokens(shared.state.dir))!;
    await revokeToken({
      issuer: shared.bed.issuer,
      ...shared.bed.clients.user,
      token: tokens.refreshToken!,
      tokenTypeHint: 'refresh_token',
    });
    return tokens;
  };

  it('logs in with --password (password from AUTH_PASSWORD); `token` in the next process needs no password and makes no request', async () => {
    const login = await runCli(loginArgs(), { ...shared.env, AUTH_PASSWORD: alice.password });
    outputs.push(login);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('Logged in with the password grant as alice');
    const saved = await readFile(join(shared.state.dir, 'login.json'), 'utf8');
    expect(saved).not.toContain(alice.password);
    expect(saved).toContain(shared.bed.clients.user.clientSecret);

    const before = shared.bed.tokenRequests.length;
    const token = await runCli(['token'], shared.env);
    expect(token.code, token.stderr).toBe(0);
    expect(grantsSince(before)).toEqual([]);
    expect(await shared.bed.inspectToken(token.stdout.trim())).toMatchObject({
      accountId: 'alice',
    });

    const status = await runCli(['status', '--json'], shared.env);
    outputs.push(status);
    expect(JSON.parse(status.stdout)).toMatchObject({
      loggedIn: true,
      grant: 'password',
      username: 'alice',
      refreshToken: 'set',
      provider: { clientId: shared.bed.clients.user.clientId, clientSecret: 'set' },
    });
  });

  it('with a password configured, a refused refresh token is followed by a new password login', async () => {
    await revokeStoredRefreshToken();
    const before = shared.bed.tokenRequests.length;
    const result = await runCli(['token', '--refresh'], {
      ...shared.env,
      AUTH_PASSWORD: alice.password,
    });
    expect(result.code, result.stderr).toBe(0);
    expect(grantsSince(before)).toEqual(['refresh_token', 'password']);
    expect(await shared.bed.inspectToken(result.stdout.trim())).toMatchObject({
      accountId: 'alice',
    });
  });

  it('without a password, a refused refresh token ends the session: exit 5, "run auth-cli login", tokens removed', async () => {
    const revoked = await revokeStoredRefreshToken();
    const expired = await runCli(['token', '--refresh'], shared.env);
    outputs.push(expired);
    expect(expired.code).toBe(5);
    expect(expired.stdout).toBe('');
    expect(expired.stderr).toContain('your login has expired');
    expect(expired.stderr).toContain('run `auth-cli login`');
    expect(await storedTokens(shared.state.dir)).toBeUndefined();

    const status = await runCli(['status'], shared.env);
    expect(status.code).toBe(5);
    expect(status.stdout).toBe('Not logged in: the login has expired. Run `auth-cli login`.\n');

    const again = await runCli(['token'], shared.env);
    outputs.push(again);
    expect(again.code).toBe(5);
    expect(again.stderr).toContain('auth-cli login');
    expect(again.stdout).not.toContain(revoked.accessToken);
  });

  it('login again reuses the saved issuer, client and username: only the password is needed', async () => {
    const login = await runCli(['login'], { ...shared.env, AUTH_PASSWORD: alice.password });
    outputs.push(login);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('as alice');
    expect((await runCli(['token'], shared.env)).code).toBe(0);
  });

  it('a wrong password fails with exit 4 and a clear message, and keeps the current login', async () => {
    const kept = (await storedTokens(shared.state.dir))!;
    const wrong = await runCli(loginArgs(), { ...shared.env, AUTH_PASSWORD: 'not-her-password' });
    outputs.push(wrong);
    expect(wrong.code).toBe(4);
    expect(wrong.stderr).toContain('the provider rejected the credentials: invalid_grant');
    expect(wrong.stderr).not.toContain('not-her-password');
    expect((await storedTokens(shared.state.dir))!.accessToken).toBe(kept.accessToken);
  });

  it('without a password and without a terminal, says where the password can come from (exit 2), asking the provider nothing', async () => {
    const before = shared.bed.tokenRequests.length;
    const result = await runCli(loginArgs(), shared.env);
    outputs.push(result);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('the password grant needs a password');
    expect(result.stderr).toContain('AUTH_PASSWORD');
    expect(result.stderr).toContain('--password-stdin');
    expect(shared.bed.tokenRequests.length).toBe(before);
  });

  it('--password-stdin reads the password from standard input', async () => {
    const login = await runCli(
      [...loginArgs(), '--password-stdin'],
      shared.env,
      `${alice.password}\n`,
    );
    outputs.push(login);
    expect(login.code, login.stderr).toBe(0);
  });

  it('a user with a second factor logs in with --totp, and is refused without it', async () => {
    const bob = ['--username', 'bob'];
    const args = [...loginArgs(), ...bob];
    const withoutCode = await runCli(args, { ...shared.env, AUTH_PASSWORD: 'bob-password-2' });
    outputs.push(withoutCode);
    expect(withoutCode.code).toBe(4);
    expect(withoutCode.stderr).toContain(
      'this account needs a one-time code: log in again with --totp <code>',
    );
    expect(withoutCode.stderr).not.toContain('grant request is invalid');

    const login = await runCli([...args, '--totp', shared.bed.totp('bob')], {
      ...shared.env,
      AUTH_PASSWORD: 'bob-password-2',
    });
    outputs.push(login);
    expect(login.code, login.stderr).toBe(0);
    expect(login.stdout).toContain('as bob');
    const token = await runCli(['token'], shared.env);
    expect(await shared.bed.inspectToken(token.stdout.trim())).toMatchObject({ accountId: 'bob' });
  });

  it('printed no password, client secret or refresh token', async () => {
    expectNoSecrets(outputs, [
      alice.password,
      'bob-password-2',
      shared.bed.clients.user.clientSecret,
      (await storedTokens(shared.state.dir))!.refreshToken!,
    ]);
  });
});
