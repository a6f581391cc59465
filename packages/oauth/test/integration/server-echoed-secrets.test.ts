import type { IncomingMessage } from 'node:http';
import {
  AuthError,
  AuthenticationError,
  OAuthError,
  TokenManager,
  TokenResponseError,
  TokenSet,
} from '@auth/core';
import { type LoopbackServer, listenOnLoopback, readBody, sendJson } from '@auth/testing/http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  clientCredentials,
  deviceAuthorization,
  exchangeAuthorizationCode,
  jwtBearer,
  passwordGrant,
  refreshTokenGrant,
  revokeToken,
  tokenExchange,
} from '../../src/index.js';
import { caught, eventLog, leakSurface } from './support.js';

/**
 * A server that knows every secret it was sent and echoes it back: in `error`,
 * `error_description` and `error_uri` of an RFC 6749 §5.2 body, in a plain-text 400 body,
 * or (for the device endpoint) inside an invalid 200 body. The echo holds each secret as
 * sent (raw form body, `Authorization` header) and decoded.
 */
type EchoMode = 'oauth-error' | 'plain-text' | 'invalid-device-response' | 'error-code';
let mode: EchoMode = 'oauth-error';
/** The raw bodies and `Authorization` headers the server received. */
const sent: string[] = [];
let server: LoopbackServer;
let privateKey: CryptoKey;

function echoOf(req: IncomingMessage, body: string): string {
  const params = new URLSearchParams(body);
  const authorization = req.headers.authorization ?? '';
  const basic = authorization.startsWith('Basic ')
    ? Buffer.from(authorization.slice(6), 'base64').toString('utf8')
    : '';
  const decodedBasic = basic
    .split(':')
    .map((part) => decodeURIComponent(part.replace(/\+/g, ' ')))
    .join(' ');
  return [body, authorization, basic, decodedBasic, ...params.values()].join(' | ');
}

// Key generation takes what the machine gives it: once per file, with its own timeout.
beforeAll(async () => {
  ({ privateKey } = (await crypto.subtle.generateKey(
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign', 'verify'],
  )) as CryptoKeyPair);
}, 120_000);

beforeAll(async () => {
  server = await listenOnLoopback(async (req, res) => {
    const body = await readBody(req);
    sent.push(body, req.headers.authorization ?? '');
    const echo = echoOf(req, body);
    if (mode === 'plain-text') {
      res.writeHead(400, { 'content-type': 'text/plain' });
      res.end(`bad request: ${echo}`);
    } else if (mode === 'error-code') {
      sendJson(res, 400, { error: `wrong ${echo}` });
    } else if (mode === 'invalid-device-response') {
      sendJson(res, 200, { device_code: echo, verification_uri: echo, expires_in: 600 });
    } else {
      sendJson(res, 400, {
        error: 'invalid_request',
        error_description: `the server did not like ${echo}`,
        error_uri: `https://errors.example/${encodeURIComponent(echo)}`,
      });
    }
  });
});
afterAll(() => server.close());
beforeEach(() => {
  mode = 'oauth-error';
  sent.length = 0;
});

const tokenUrl = () => `${server.url}/token`;
const clientId = 'echo-client';
const secrets = {
  clientSecret: 'client secret+/=ünï%41',
  password: 'pass word+/=%42',
  totp: '48291357',
  refreshToken: 'refresh-token+/=%43 value',
  subjectToken: 'subject-token+/=%44',
  actorToken: 'actor-token+/=%45',
  assertion: 'eyJhbGciOiJIUzI1NiJ9.assertion+/=.signature',
  codeVerifier: 'code-verifier-0123456789-abcdefghijklmnopqrstuvwxyz',
  revoked: 'revoked-token+/=%46',
  clientAssertion: 'eyJhbGciOiJFUzI1NiJ9.outside-assertion+/=%47.signature',
};

/** Every form a server may echo a secret in. */
function encodedForms(secret: string): string[] {
  const form = new URLSearchParams({ x: secret }).toString().slice(2);
  const basic = Buffer.from(`${encodeURIComponent(clientId)}:${form}`).toString('base64');
  return [secret, encodeURIComponent(secret), form, basic];
}

function expectNoSecret(...values: unknown[]): void {
  const surface = leakSurface(...values);
  for (const secret of Object.values(secrets)) {
    for (const form of encodedForms(secret)) expect(surface).not.toContain(form);
  }
  for (const header of sent.filter((value) => value.startsWith('Basic ')))
    expect(surface).not.toContain(header.slice(6));
}

const client = { tokenUrl: '', clientId, clientSecret: secrets.clientSecret };
const withServer = () => ({ ...client, tokenUrl: tokenUrl() });

const grants: Record<string, () => Promise<unknown>> = {
  'clientCredentials (client_secret_basic)': () => clientCredentials(withServer()).fetchToken(),
  'clientCredentials (client_secret_post)': () =>
    clientCredentials({ ...withServer(), authMethod: 'client_secret_post' }).fetchToken(),
  passwordGrant: () =>
    passwordGrant({
      ...withServer(),
      username: 'alice',
      password: secrets.password,
      totp: () => secrets.totp,
    }).fetchToken(),
  refreshTokenGrant: () =>
    refreshTokenGrant({ ...withServer(), refreshToken: secrets.refreshToken }).fetchToken(),
  'a provider refreshing with the refresh token in use': async () => {
    const provider = clientCredentials(withServer());
    return provider.refreshToken?.(
      new TokenSet({ accessToken: 'at', refreshToken: secrets.refreshToken }),
    );
  },
  tokenExchange: () =>
    tokenExchange({
      ...withServer(),
      subjectToken: secrets.subjectToken,
      actorToken: () => secrets.actorToken,
    }).fetchToken(),
  jwtBearer: () => jwtBearer({ ...withServer(), assertion: secrets.assertion }).fetchToken(),
  'deviceAuthorization (device endpoint)': () =>
    deviceAuthorization({
      ...withServer(),
      deviceAuthorizationUrl: `${server.url}/device`,
      onUserCode: () => undefined,
    }).fetchToken(),
  exchangeAuthorizationCode: () =>
    exchangeAuthorizationCode(
      {
        ...withServer(),
        authorizationUrl: `${server.url}/authorize`,
        redirectUri: 'http://127.0.0.1/cb',
      },
      {
        url: new URL(server.url),
        state: 's',
        codeVerifier: secrets.codeVerifier,
        redirectUri: 'http://127.0.0.1/cb',
      },
      'http://127.0.0.1/cb?state=s&code=the-code',
    ),
  revokeToken: () =>
    revokeToken({ ...withServer(), revocationUrl: `${server.url}/revoke`, token: secrets.revoked }),
  'clientCredentials (clientAssertion)': () =>
    clientCredentials({
      tokenUrl: tokenUrl(),
      clientId,
      clientAssertion: async () => secrets.clientAssertion,
    }).fetchToken(),
  'revokeToken (clientAssertion)': () =>
    revokeToken({
      tokenUrl: tokenUrl(),
      revocationUrl: `${server.url}/revoke`,
      clientId,
      clientAssertion: () => secrets.clientAssertion,
      token: secrets.revoked,
    }),
};

describe('secrets a server echoes back never reach errors', () => {
  for (const [name, run] of Object.entries(grants)) {
    it(`${name}: an OAuth error body echoing every secret is redacted in message, fields and cause`, async () => {
      const error = await caught(run);
      expect(OAuthError.isInstance(error)).toBe(true);
      expect((error as OAuthError).errorDescription).toContain('[redacted]');
      expect(sent.length).toBeGreaterThan(0); // the server saw (and echoed) the request
      expectNoSecret(error, (error as Error).message, { ...(error as object) });
    });

    it(`${name}: a plain-text 400 echoing every secret leaves no secret in the error`, async () => {
      mode = 'plain-text';
      const error = await caught(run);
      expect(AuthError.isInstance(error)).toBe(true);
      expectNoSecret(error, (error as Error).message, { ...(error as object) });
    });
  }

  it('an unregistered error code echoing the secret is redacted; registered codes pass as they are', async () => {
    mode = 'error-code';
    const error = await caught(grants['clientCredentials (client_secret_post)']!);
    expect((error as OAuthError).error).toContain('[redacted]');
    expectNoSecret(error, (error as Error).message, { ...(error as object) });
  });

  it('private_key_jwt: the signed client assertion a server echoes is redacted', async () => {
    const error = await caught(() =>
      clientCredentials({ tokenUrl: tokenUrl(), clientId, privateKey }).fetchToken(),
    );
    const assertion = new URLSearchParams(sent[0]).get('client_assertion');
    expect(assertion).toMatch(/^ey/);
    expect(OAuthError.isInstance(error)).toBe(true);
    expect(leakSurface(error, (error as Error).message)).not.toContain(assertion);
  });

  it('an invalid device response echoing the client secret is redacted down the cause chain', async () => {
    mode = 'invalid-device-response';
    const error = await caught(grants['deviceAuthorization (device endpoint)']!);
    expect(TokenResponseError.isInstance(error)).toBe(true);
    expectNoSecret(error, (error as Error).cause, ((error as Error).cause as Error)?.cause);
  });

  it('a TokenManager reports the redacted error in refresh-failed and AuthenticationError', async () => {
    for (const provider of [
      clientCredentials(withServer()),
      passwordGrant({ ...withServer(), username: 'alice', password: secrets.password }),
      tokenExchange({ ...withServer(), subjectToken: secrets.subjectToken }),
    ]) {
      const { events, onEvent } = eventLog();
      const manager = new TokenManager({ provider, onEvent });
      const error = await caught(() => manager.getToken());
      expect(AuthenticationError.isInstance(error)).toBe(true);
      expect(events.some((event) => event.type === 'refresh-failed')).toBe(true);
      expect(String(error)).toContain('[redacted]');
      expectNoSecret(error, (error as Error).cause, events, manager);
      await manager.close();
    }
  });
});
