import { generateDPoPKeyPair, OAuthError } from '@auth/core';
import { GRANT_TYPES, type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';
import { createTestPki, type TestCertificate, type TestPki } from '@auth/testing/tls';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientCredentials, deviceAuthorization, revokeToken } from '../../src/index.js';
import { caught, leakSurface } from './support.js';

/** Key and certificate generation take what the machine gives them: once per file, with its own timeout. */
const SETUP_TIMEOUT_MS = 120_000;
const PKI_SUBJECT = 'CN=reporting, O=Example';
let pki: TestPki;
let pkiCert: TestCertificate;
let otherSubjectCert: TestCertificate;
let selfCert: TestCertificate;
let otherSelfCert: TestCertificate;
let bed: OidcTestBed;
const agents: Agent[] = [];
/** The registered clients' settings (the certificate comes with `fetch`). */
const PKI_CLIENT = { clientId: 'mtls-pki', authMethod: 'tls_client_auth' } as const;
const SELF_SIGNED_CLIENT = {
  clientId: 'mtls-self-signed',
  authMethod: 'self_signed_tls_client_auth',
} as const;
const BOUND_SECRET_CLIENT = {
  clientId: 'mtls-bound-secret',
  clientSecret: 'bound-secret-0123456789',
  authMethod: 'client_secret_basic',
} as const;

beforeAll(async () => {
  pki = await createTestPki();
  [pkiCert, otherSubjectCert, selfCert, otherSelfCert] = await Promise.all([
    pki.issueClient(PKI_SUBJECT),
    pki.issueClient('CN=intruder, O=Example'),
    pki.selfSigned('CN=self-signed reporting'),
    pki.selfSigned('CN=self-signed reporting'),
  ]);
  bed = await startOidcProvider({
    mutualTls: {
      server: pki.server,
      caCert: pki.caCert,
      clients: [
        {
          ...PKI_CLIENT,
          subjectDn: PKI_SUBJECT,
          certificateBoundTokens: true,
        },
        {
          clientId: 'mtls-device',
          authMethod: 'tls_client_auth',
          subjectDn: PKI_SUBJECT,
          grantTypes: [GRANT_TYPES.deviceCode],
        },
        {
          ...SELF_SIGNED_CLIENT,
          jwks: { keys: [selfCert.jwk] },
        },
        {
          ...BOUND_SECRET_CLIENT,
          certificateBoundTokens: true,
        },
      ],
    },
  });
}, SETUP_TIMEOUT_MS);
afterAll(async () => {
  await Promise.all(agents.map((agent) => agent.close()));
  await bed?.close();
});

/** Node's `fetch` over an Agent presenting `cert` (or none) and trusting the test CA, noting every URL. */
function certificateFetch(cert?: TestCertificate) {
  const agent = new Agent({
    connect: { ca: pki.caCert, ...(cert ? { cert: cert.cert, key: cert.key } : {}) },
  });
  agents.push(agent);
  const urls: string[] = [];
  const send: typeof fetch = (input, init) => {
    urls.push(input instanceof Request ? input.url : String(input));
    return fetch(input, { ...init, dispatcher: agent } as RequestInit);
  };
  return { fetch: send, urls };
}

function lastTokenRequest() {
  return bed.tokenRequests.at(-1)!;
}

describe('tls_client_auth (RFC 8705 §2.1)', () => {
  it('gets a token with a CA-issued certificate of the registered subject, from the token endpoint alias discovery publishes, bound to the certificate', async () => {
    const tls = certificateFetch(pkiCert);
    const provider = clientCredentials({
      issuer: bed.issuer,
      ...PKI_CLIENT,
      fetch: tls.fetch,
    });
    const tokens = await provider.fetchToken();
    expect(tls.urls).toContain(bed.mutualTls!.tokenUrl);
    expect(tls.urls).not.toContain(bed.tokenUrl);
    const request = lastTokenRequest();
    expect(request.params.client_id).toBe('mtls-pki');
    expect(request.params.client_secret).toBeUndefined();
    expect(request.params.client_assertion).toBeUndefined();
    expect(request.authorization).toBeUndefined();
    expect((await bed.inspectToken(tokens.accessToken))?.x5t).toBe(pkiCert.thumbprint);
  });

  it('is refused (invalid_client) with a certificate of another subject, or with none', async () => {
    for (const cert of [otherSubjectCert, undefined]) {
      const error = await caught(() =>
        clientCredentials({
          issuer: bed.issuer,
          ...PKI_CLIENT,
          fetch: certificateFetch(cert).fetch,
        }).fetchToken(),
      );
      expect(error).toBeInstanceOf(OAuthError);
      expect((error as OAuthError).error).toBe('invalid_client');
    }
  });

  it('is refused at the plain token endpoint: the certificate travels in the TLS handshake, not in the request', async () => {
    const tls = certificateFetch(pkiCert);
    const error = await caught(() =>
      clientCredentials({
        tokenUrl: bed.tokenUrl,
        ...PKI_CLIENT,
        fetch: tls.fetch,
      }).fetchToken(),
    );
    expect((error as OAuthError).error).toBe('invalid_client');
    expect(tls.urls).toEqual([bed.tokenUrl]);
  });

  it('uses a token URL given as an option as it is, with no discovery', async () => {
    const tls = certificateFetch(pkiCert);
    const tokens = await clientCredentials({
      tokenUrl: bed.mutualTls!.tokenUrl,
      ...PKI_CLIENT,
      fetch: tls.fetch,
    }).fetchToken();
    expect(tls.urls).toEqual([bed.mutualTls!.tokenUrl]);
    expect(tokens.accessToken).not.toBe('');
  });

  it('revokes through the revocation endpoint alias', async () => {
    const tls = certificateFetch(pkiCert);
    const options = {
      issuer: bed.issuer,
      ...PKI_CLIENT,
      fetch: tls.fetch,
    } as const;
    const tokens = await clientCredentials(options).fetchToken();
    await revokeToken({ ...options, token: tokens.accessToken });
    expect(tls.urls).toContain(bed.mutualTls!.revocationUrl);
    expect(await bed.inspectToken(tokens.accessToken)).toBeUndefined();
  });
});

describe('mtls_endpoint_aliases (RFC 8705 §5)', () => {
  it('the device grant asks at the device authorization alias and polls at the token alias', async () => {
    const tls = certificateFetch(pkiCert);
    const tokens = await deviceAuthorization({
      issuer: bed.issuer,
      clientId: 'mtls-device',
      authMethod: 'tls_client_auth',
      fetch: tls.fetch,
      onUserCode: ({ userCode }) => bed.approveDevice(userCode, 'alice'),
    }).fetchToken();
    expect(tokens.accessToken).not.toBe('');
    expect(tls.urls).toContain(bed.mutualTls!.deviceAuthorizationUrl);
    expect(tls.urls).toContain(bed.mutualTls!.tokenUrl);
    expect(tls.urls).not.toContain(bed.deviceAuthorizationUrl);
    expect(tls.urls).not.toContain(bed.tokenUrl);
  });

  it('an endpoint given as an option wins over its alias; the others still come from the aliases', async () => {
    const tls = certificateFetch(pkiCert);
    const options = { issuer: bed.issuer, ...PKI_CLIENT, fetch: tls.fetch } as const;
    const tokens = await clientCredentials(options).fetchToken();
    // The plain revocation endpoint sees no certificate: the client is refused there.
    const error = await caught(() =>
      revokeToken({ ...options, revocationUrl: bed.revocationUrl, token: tokens.accessToken }),
    );
    expect((error as OAuthError).error).toBe('invalid_client');
    expect(tls.urls).toContain(bed.revocationUrl);
    expect(tls.urls).not.toContain(bed.mutualTls!.revocationUrl);
  });
});

describe('self_signed_tls_client_auth (RFC 8705 §2.2)', () => {
  it('gets a token with the self-signed certificate registered in the client jwks (x5c)', async () => {
    const tls = certificateFetch(selfCert);
    const tokens = await clientCredentials({
      issuer: bed.issuer,
      ...SELF_SIGNED_CLIENT,
      fetch: tls.fetch,
    }).fetchToken();
    expect(tls.urls).toContain(bed.mutualTls!.tokenUrl);
    expect(lastTokenRequest().params.client_id).toBe('mtls-self-signed');
    // This client is not registered for certificate-bound tokens.
    expect((await bed.inspectToken(tokens.accessToken))?.x5t).toBeUndefined();
  });

  it('is refused (invalid_client) with another self-signed certificate of the same subject', async () => {
    const error = await caught(() =>
      clientCredentials({
        issuer: bed.issuer,
        ...SELF_SIGNED_CLIENT,
        fetch: certificateFetch(otherSelfCert).fetch,
      }).fetchToken(),
    );
    expect((error as OAuthError).error).toBe('invalid_client');
  });
});

describe('certificateBoundTokens (RFC 8705 §3)', () => {
  it("sends a secret client's requests to the mTLS aliases, where its tokens are bound to the certificate", async () => {
    const tls = certificateFetch(pkiCert);
    const tokens = await clientCredentials({
      issuer: bed.issuer,
      ...BOUND_SECRET_CLIENT,
      certificateBoundTokens: true,
      fetch: tls.fetch,
    }).fetchToken();
    expect(tls.urls).toContain(bed.mutualTls!.tokenUrl);
    expect((await bed.inspectToken(tokens.accessToken))?.x5t).toBe(pkiCert.thumbprint);
  });

  it('without it, the plain endpoint is used, where the server cannot bind the token and refuses', async () => {
    const tls = certificateFetch(pkiCert);
    const error = await caught(() =>
      clientCredentials({
        issuer: bed.issuer,
        ...BOUND_SECRET_CLIENT,
        fetch: tls.fetch,
      }).fetchToken(),
    );
    expect(tls.urls).toContain(bed.tokenUrl);
    expect(tls.urls).not.toContain(bed.mutualTls!.tokenUrl);
    expect(error).toBeInstanceOf(OAuthError);
    expect((error as OAuthError).error).toBe('invalid_grant');
  });
});

describe('settings', () => {
  it('cache key and describe() show the method and the binding, never key material', () => {
    const tls = certificateFetch(pkiCert);
    const provider = clientCredentials({
      issuer: bed.issuer,
      ...PKI_CLIENT,
      fetch: tls.fetch,
    });
    expect(provider.cacheKey).toMatch(/:mtls=tls_client_auth$/);
    expect(provider.describe?.()).toMatchObject({ authMethod: 'tls_client_auth' });
    const bound = clientCredentials({
      issuer: bed.issuer,
      ...BOUND_SECRET_CLIENT,
      certificateBoundTokens: true,
      fetch: tls.fetch,
    });
    expect(bound.cacheKey).toMatch(/:cnf=x5t$/);
    expect(bound.describe?.()).toMatchObject({ certificateBoundTokens: 'true' });
    const surface = leakSurface(provider, provider.cacheKey, bound, bound.cacheKey);
    for (const secret of ['bound-secret-0123456789', pkiCert.key.split('\n')[1]!])
      expect(surface).not.toContain(secret);
    // A plain client's key is what it was before mutual TLS existed.
    expect(
      clientCredentials({ issuer: bed.issuer, clientId: 'c', clientSecret: 's' }).cacheKey,
    ).not.toMatch(/mtls|cnf/);
  });

  it('refuses mutual TLS without a fetch, a secret with tls_client_auth, certificate binding with DPoP, and a non-boolean certificateBoundTokens', async () => {
    const base = { issuer: bed.issuer, clientId: 'mtls-pki' };
    const tls = certificateFetch(pkiCert).fetch;
    expect(() => clientCredentials({ ...base, authMethod: 'tls_client_auth' })).toThrow(
      /mutual TLS needs fetch.*mtlsFetch/,
    );
    expect(() =>
      clientCredentials({ ...base, clientSecret: 'x', certificateBoundTokens: true }),
    ).toThrow(/mutual TLS needs fetch/);
    expect(() =>
      clientCredentials({ ...base, authMethod: 'tls_client_auth', clientSecret: 'x', fetch: tls }),
    ).toThrow(/clientSecret conflicts with authMethod tls_client_auth/);
    const dpop = await generateDPoPKeyPair();
    expect(() =>
      clientCredentials({
        ...base,
        clientSecret: 'x',
        certificateBoundTokens: true,
        dpop,
        fetch: tls,
      }),
    ).toThrow(/certificateBoundTokens conflicts with dpop/);
    expect(() =>
      clientCredentials({
        ...base,
        clientSecret: 'x',
        certificateBoundTokens: 'yes' as unknown as boolean,
        fetch: tls,
      }),
    ).toThrow(/certificateBoundTokens must be true or false/);
  });
});
