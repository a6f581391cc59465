import { inspect } from 'node:util';
import { TokenManager, tokenAuth } from '@auth/core';
import { clientCredentials } from '@auth/oauth';
import { type MtlsProtectedApi, startMtlsProtectedApi } from '@auth/testing/http';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { createTestPki, type TestCertificate, type TestPki } from '@auth/testing/tls';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthFetch } from '../../src/index.js';
import { type MtlsFetch, mtlsFetch } from '../../src/undici.js';

/** Key and certificate generation take what the machine gives them: once per file, with its own timeout. */
const SETUP_TIMEOUT_MS = 120_000;
const SUBJECT = 'CN=reporting, O=Example';
let pki: TestPki;
let clientCert: TestCertificate;
let strangerCert: TestCertificate;
let bed: OidcTestBed;
let api: MtlsProtectedApi;
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pki = await createTestPki();
  [clientCert, strangerCert] = await Promise.all([
    pki.issueClient(SUBJECT),
    pki.issueClient(SUBJECT),
  ]);
  bed = await startOidcProvider({
    accessTokenTtlSeconds: 300,
    mutualTls: {
      server: pki.server,
      caCert: pki.caCert,
      clients: [
        {
          clientId: 'mtls-reporting',
          authMethod: 'tls_client_auth',
          subjectDn: SUBJECT,
          certificateBoundTokens: true,
        },
      ],
    },
  });
  api = await startMtlsProtectedApi({
    ...pki.server,
    tokenBinding: async (token) => (await bed.inspectToken(token))?.x5t,
  });
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await api?.close();
  await bed?.close();
});

function tlsFetch(cert: TestCertificate): MtlsFetch {
  const made = mtlsFetch({ cert: cert.cert, key: cert.key, ca: pki.caCert });
  closers.push(() => made.close());
  return made;
}

/** A manager of certificate-bound tokens, fetched over mutual TLS with `cert`. */
function boundTokens(cert: TestCertificate): TokenManager {
  return new TokenManager({
    provider: clientCredentials({
      issuer: bed.issuer,
      clientId: 'mtls-reporting',
      authMethod: 'tls_client_auth',
      fetch: tlsFetch(cert),
    }),
  });
}

describe('mtlsFetch with certificate-bound access tokens (RFC 8705 §3)', () => {
  it('presents the certificate to the token endpoint and to the API, which accepts the token bound to it', async () => {
    const tls = tlsFetch(clientCert);
    const manager = new TokenManager({
      provider: clientCredentials({
        issuer: bed.issuer,
        clientId: 'mtls-reporting',
        authMethod: 'tls_client_auth',
        fetch: tls,
      }),
    });
    const call = createAuthFetch({ auth: tokenAuth(manager), baseUrl: api.url, fetch: tls });
    api.resetRequests();
    const response = await call('/reports/today');
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, path: '/reports/today' });
    expect(api.requests).toEqual([
      expect.objectContaining({
        certificateThumbprint: clientCert.thumbprint,
        refusedBecause: undefined,
      }),
    ]);
    const token = await manager.getToken();
    expect((await bed.inspectToken(token.accessToken))?.x5t).toBe(clientCert.thumbprint);
  });

  it('a bound token sent without a client certificate is refused', async () => {
    const noCertificate = new Agent({ connect: { ca: pki.caCert } });
    closers.push(() => noCertificate.close());
    const plain: typeof fetch = (input, init) =>
      fetch(input, { ...init, dispatcher: noCertificate } as RequestInit);
    const call = createAuthFetch({
      auth: tokenAuth(boundTokens(clientCert)),
      baseUrl: api.url,
      fetch: plain,
    });
    api.resetRequests();
    const response = await call('/reports/today');
    expect(response.status).toBe(401);
    expect(api.requests.length).toBeGreaterThan(0);
    for (const request of api.requests)
      expect(request.refusedBecause).toBe('no client certificate presented');
  });

  it('a bound token sent with another certificate, even of the same subject and CA, is refused', async () => {
    const call = createAuthFetch({
      auth: tokenAuth(boundTokens(clientCert)),
      baseUrl: api.url,
      fetch: tlsFetch(strangerCert),
    });
    api.resetRequests();
    const response = await call('/reports/today');
    expect(response.status).toBe(401);
    expect(api.requests.length).toBeGreaterThan(0);
    for (const request of api.requests) {
      expect(request.certificateThumbprint).toBe(strangerCert.thumbprint);
      expect(request.refusedBecause).toBe('certificate is not the one the token is bound to');
    }
  });
});

describe('mtlsFetch', () => {
  it('shows no key material in util.inspect, JSON.stringify or String', () => {
    const tls = mtlsFetch({
      cert: clientCert.cert,
      key: clientCert.key,
      passphrase: 'pass-phrase-x',
    });
    closers.push(() => tls.close());
    const printed = [
      inspect(tls, { showHidden: true, depth: 8 }),
      JSON.stringify(tls),
      String(tls),
    ].join('\n');
    expect(JSON.parse(JSON.stringify(tls))).toEqual({
      cert: 'set',
      key: 'set',
      passphrase: 'set',
      ca: 'not set',
    });
    for (const secret of [clientCert.key.split('\n')[1]!, 'pass-phrase-x', 'PRIVATE KEY'])
      expect(printed).not.toContain(secret);
  });

  it('refuses a missing certificate or key and a key that does not match, naming the setting and never its content', () => {
    expect(() => mtlsFetch({ cert: '', key: clientCert.key })).toThrow(
      /mtlsFetch: cert must be PEM/,
    );
    expect(() => mtlsFetch({ cert: clientCert.cert } as never)).toThrow(
      /mtlsFetch: key must be PEM/,
    );
    let mismatch: unknown;
    try {
      mtlsFetch({ cert: clientCert.cert, key: strangerCert.key });
    } catch (error) {
      mismatch = error;
    }
    expect(mismatch).toBeInstanceOf(TypeError);
    expect(String(mismatch)).toMatch(/cannot be used for TLS/);
    expect(String(mismatch)).not.toContain(strangerCert.key.split('\n')[1]!);
  });

  it('close() releases its connections; it cannot be used afterwards', async () => {
    const tls = mtlsFetch({ cert: clientCert.cert, key: clientCert.key, ca: pki.caCert });
    const first = await tls(`${api.url}/anything`);
    expect(first.status).toBe(401);
    await first.arrayBuffer();
    await tls.close();
    await expect(tls(`${api.url}/anything`)).rejects.toThrow(TypeError);
  });
});
