import { fileURLToPath } from 'node:url';
import type { TokenSet } from '@auth/core';
import {
  type AuthorizationCodeClientOptions,
  createAuthorizationRequest,
  type DeviceUserCode,
  deviceAuthorization,
  exchangeAuthorizationCode,
} from '@auth/oauth';
import { type RunningProcess, startProcess } from '@auth/testing/process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Browser, type Page } from './browser.js';

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url));

/** Who the provider says the access token belongs to (its userinfo endpoint). */
async function subjectOf(issuer: string, tokens: TokenSet): Promise<string> {
  const response = await fetch(`${issuer}/me`, {
    headers: { authorization: `Bearer ${tokens.accessToken}` },
  });
  return ((await response.json()) as { sub: string }).sub;
}

/** Signs in on the sign-in page, then answers the consent page. */
async function signInAndConsent(
  browser: Browser,
  loginPage: Page,
  decision: 'allow' | 'deny',
): Promise<Page> {
  expect(loginPage.html).toContain('<h1>Sign in</h1>');
  expect(loginPage.html).toContain('name="password" type="password"');
  const consent = await browser.submit(loginPage, {
    username: 'alice',
    password: 'alice-password-1',
  });
  expect(consent.html).toContain('<h1>Allow access?</h1>');
  return browser.submit(consent, { decision });
}

/** The device's side of the device flow, as the CLI does it: ask for a code, then poll. */
function startDeviceLogin(issuer: string, scope: string) {
  let shown: (prompt: DeviceUserCode) => void = () => {};
  const userCode = new Promise<DeviceUserCode>((resolve) => {
    shown = resolve;
  });
  const polling = deviceAuthorization({
    issuer,
    clientId: 'device-cli',
    scope,
    onUserCode: (prompt) => shown(prompt),
  }).fetchToken();
  return { userCode, polling };
}

/** The user's side of the device flow: the code page, the confirmation, sign-in and consent. */
async function enterCodeSignInAndConsent(
  issuer: string,
  prompt: Pick<DeviceUserCode, 'verificationUri' | 'userCode'>,
  decision: 'allow' | 'deny',
): Promise<Page> {
  const browser = new Browser(issuer);
  const entry = await browser.open(prompt.verificationUri);
  expect(entry.html).toContain('Enter the code shown on your device.');
  const confirm = await browser.submit(entry, { user_code: prompt.userCode });
  expect(confirm.html).toContain('<h1>Confirm the device</h1>');
  expect(confirm.html).toContain(prompt.userCode);
  const login = await browser.submit(confirm, {});
  return signInAndConsent(browser, login, decision);
}

describe('pnpm provider: the demo OpenID provider with HTML pages, as a process', () => {
  let provider: RunningProcess;
  let issuer: string;
  let printed: string;

  beforeAll(async () => {
    provider = startProcess(process.execPath, [MAIN]);
    [, issuer = ''] = await provider.waitFor('stdout', /running at (http:\/\/127\.0\.0\.1:\d+)/);
    [printed = ''] = await provider.waitFor('stdout', /[\s\S]*signs in through the same pages\.\n/);
  });
  afterAll(async () => {
    if (provider.child.exitCode === null) provider.child.kill('SIGINT');
    await provider.result;
  });

  it('prints the exact pnpm cli login command lines for the device, password and client credentials logins', () => {
    const at = `--issuer ${issuer}`;
    expect(printed).toContain(
      `  pnpm cli -- login --device ${at} --client-id device-cli --scope 'openid offline_access'\n`,
    );
    expect(printed).toMatch(
      new RegExp(
        `\\n  AUTH_CLIENT_SECRET=user-secret-[0-9a-f]+ pnpm cli -- login --password ${at} --client-id user-app --username alice --scope 'openid offline_access'\\n`,
      ),
    );
    expect(printed).toMatch(
      new RegExp(
        `\\n  AUTH_CLIENT_SECRET=basic-secret-[0-9a-f]+ pnpm cli -- login --client-credentials ${at} --client-id machine-basic\\n`,
      ),
    );
  });

  it('device flow: a polling client gets tokens once a user enters the code, signs in and allows on the HTML pages', async () => {
    const device = startDeviceLogin(issuer, 'openid offline_access');
    const done = await enterCodeSignInAndConsent(issuer, await device.userCode, 'allow');
    expect(done.html).toContain('<h1>Device connected</h1>');

    const tokens = await device.polling;
    expect(tokens.refreshToken).toBeTruthy();
    expect(await subjectOf(issuer, tokens)).toBe('alice');
  });

  it('device flow: Deny on the consent page ends the polling with access_denied', async () => {
    const device = startDeviceLogin(issuer, 'openid');
    const outcome = device.polling.then(
      () => 'tokens',
      (error: unknown) => error,
    );
    await enterCodeSignInAndConsent(issuer, await device.userCode, 'deny');
    expect(await outcome).toMatchObject({ error: 'access_denied' });
  });

  it('authorization code + PKCE: the browser signs in and allows, the client redeems the code', async () => {
    const options: AuthorizationCodeClientOptions = {
      issuer,
      clientId: 'native-cli',
      redirectUri: 'http://127.0.0.1/callback',
      scope: 'openid',
    };
    const request = await createAuthorizationRequest(options);
    const browser = new Browser(issuer);
    const login = await browser.open(request.url);
    const callback = await signInAndConsent(browser, login, 'allow');
    expect(callback.url.origin).toBe('http://127.0.0.1');
    expect(callback.url.searchParams.get('code')).toBeTruthy();
    const tokens = await exchangeAuthorizationCode(options, request, callback.url);
    expect(await subjectOf(issuer, tokens)).toBe('alice');
  });

  it('stops on Ctrl-C (SIGINT) with exit code 0, also when the signal comes twice (the terminal, and pnpm forwarding it)', async () => {
    provider.child.kill('SIGINT');
    provider.child.kill('SIGINT');
    const ended = await provider.result;
    expect(ended.code, `${ended.stdout.slice(-200)}\n${ended.stderr}`).toBe(0);
    expect(ended.stdout).toContain('Provider stopped.');
  });
});
