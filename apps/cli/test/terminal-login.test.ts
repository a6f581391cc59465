import { describe, expect, it } from 'vitest';
import { passwordLoginArgs, runCli, startCliOnTerminal, userLoginBed } from './cli-process.js';

describe('auth-cli on a terminal (a real pseudo-terminal from util-linux script)', () => {
  const shared = userLoginBed();
  const loginArgs = (username: string) => passwordLoginArgs(shared.bed, username);

  it('asks for the password without echoing it, then logs in', async () => {
    const login = startCliOnTerminal(loginArgs('alice'), shared.env);
    await login.waitForStdout(/Password for alice: $/);
    login.type('alice-password-1\r');
    const result = await login.result;
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('Logged in with the password grant as alice');
    expect(result.stdout).not.toContain('alice-password-1');
  });

  it('asks for the one-time code when the provider says the account needs one, echoing neither', async () => {
    const login = startCliOnTerminal(loginArgs('bob'), shared.env);
    await login.waitForStdout(/Password for bob: $/);
    login.type('bob-password-2\r');
    await login.waitForStdout(/One-time code: $/);
    const code = shared.bed.totp('bob');
    login.type(`${code}\r`);
    const result = await login.result;
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toContain('as bob');
    expect(result.stdout).not.toContain('bob-password-2');
    expect(result.stdout).not.toContain(code);
    const token = await runCli(['token'], shared.env);
    expect(await shared.bed.inspectToken(token.stdout.trim())).toMatchObject({ accountId: 'bob' });
  });

  it('an empty password at the prompt is a usage error (exit 2), asking the provider nothing', async () => {
    const before = shared.bed.tokenRequests.length;
    const login = startCliOnTerminal(loginArgs('alice'), shared.env);
    await login.waitForStdout(/Password for alice: $/);
    login.type('\r');
    const result = await login.result;
    expect(result.code).toBe(2);
    expect(result.stdout).toContain('auth-cli login: no password was entered');
    expect(shared.bed.tokenRequests.length).toBe(before);
  });

  it('Ctrl-C at the password prompt ends the login with exit 130, asking the provider nothing', async () => {
    const before = shared.bed.tokenRequests.length;
    const login = startCliOnTerminal(loginArgs('alice'), shared.env);
    await login.waitForStdout(/Password for alice: $/);
    login.type('half\u0003');
    const result = await login.result;
    expect(result.code).toBe(130);
    expect(result.stdout).toContain('auth-cli: interrupted');
    expect(shared.bed.tokenRequests.length).toBe(before);
  });
});
