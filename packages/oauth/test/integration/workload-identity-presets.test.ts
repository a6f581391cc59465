import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CredentialUnavailableError,
  OAuthError,
  TokenEndpointError,
  TokenManager,
} from '@auth/core';
import { sendJson } from '@auth/testing/http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  azureWorkloadIdentity,
  gcpWorkloadIdentityFederation,
  githubActionsOidc,
  kubernetesServiceAccount,
} from '../../src/node.js';
import { type PlatformServer, startPlatformServer, unsignedJwt } from './preset-support.js';
import { caught, leakSurface, manualClock } from './support.js';

let server: PlatformServer;
let dir: string;
beforeAll(async () => {
  server = await startPlatformServer();
  dir = await mkdtemp(join(tmpdir(), 'presets-'));
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  server.received.length = 0;
});

const START = 1_800_000_000_000;

/** Replaces a file the way an atomic writer does (temp file, then rename). */
async function replaceFile(path: string, contents: string): Promise<void> {
  await writeFile(`${path}.tmp`, contents);
  await rename(`${path}.tmp`, path);
}

describe('kubernetesServiceAccount', () => {
  it('serves the projected token as a bearer token, expiring at its exp', async () => {
    const path = join(dir, 'sa-token');
    const token = unsignedJwt({ sub: 'system:serviceaccount:ns:app', exp: START / 1000 + 3600 });
    await replaceFile(path, `${token}\n`);
    const clock = manualClock(START);
    const provider = kubernetesServiceAccount({ path, now: clock.now });
    const manager = new TokenManager({ provider, now: clock.now });
    expect(await manager.getAuthorizationHeader()).toBe(`Bearer ${token}`);
    expect((await manager.getToken()).expiresAt).toBe(START + 3_600_000);
    expect(provider.describe?.()).toEqual({ type: 'kubernetes_service_account', path });
    expect(provider.cacheKey).toBe(`kubernetes:serviceaccount:${path}`);
    expect(leakSurface(provider)).not.toContain(token);
    await manager.close();
  });

  it('off Kubernetes (no token file): CredentialUnavailableError naming the path', async () => {
    const path = join(dir, 'not-mounted');
    const error = await caught(() => kubernetesServiceAccount({ path }).fetchToken());
    expect(CredentialUnavailableError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ source: path });
  });
});

describe('githubActionsOidc', () => {
  const requestToken = 'actions-request-token-0123456789';
  const env = () => ({
    ACTIONS_ID_TOKEN_REQUEST_URL: `${server.url}/_apis/distributedtask/idtoken?api-version=2.0`,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken,
  });

  it('asks the request URL with &audience= and the bearer request token; answers { value }', async () => {
    const idToken = unsignedJwt({
      sub: 'repo:org/app:ref:refs/heads/main',
      exp: START / 1000 + 300,
    });
    server.route = (_request, res) => sendJson(res, 200, { count: 1, value: idToken });
    const clock = manualClock(START);
    const provider = githubActionsOidc({
      audience: 'api://AzureADTokenExchange',
      env: env(),
      now: clock.now,
    });
    const tokens = await provider.fetchToken();
    expect(tokens.accessToken).toBe(idToken);
    expect(tokens.expiresAt).toBe(START + 300_000);
    const [request] = server.received;
    expect(request?.url.pathname).toBe('/_apis/distributedtask/idtoken');
    expect(request?.url.searchParams.get('api-version')).toBe('2.0');
    expect(request?.url.searchParams.get('audience')).toBe('api://AzureADTokenExchange');
    expect(request?.headers.authorization).toBe(`Bearer ${requestToken}`);
    expect(leakSurface(provider)).not.toContain(requestToken);
  });

  it('keys its tokens by job: two jobs sharing a store (a self-hosted runner) never share an identity', () => {
    const job = githubActionsOidc({ audience: 'api://x', env: env() });
    const sameJob = githubActionsOidc({ audience: 'api://x', env: env() });
    const otherJob = githubActionsOidc({
      audience: 'api://x',
      env: { ...env(), ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'another-jobs-request-token' },
    });
    expect(sameJob.cacheKey).toBe(job.cacheKey);
    expect(otherJob.cacheKey).not.toBe(job.cacheKey);
    expect(job.cacheKey).not.toContain(requestToken);
  });

  it('outside Actions or without id-token: write: CredentialUnavailableError at once', () => {
    const error = (() => {
      try {
        githubActionsOidc({ audience: 'x', env: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(CredentialUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /ACTIONS_ID_TOKEN_REQUEST_URL is not set.*id-token: write/,
    );
    expect(() =>
      githubActionsOidc({
        env: { ACTIONS_ID_TOKEN_REQUEST_URL: env().ACTIONS_ID_TOKEN_REQUEST_URL },
      }),
    ).toThrow(/ACTIONS_ID_TOKEN_REQUEST_TOKEN is not set/);
  });

  it('a refusal echoing the request token is redacted', async () => {
    server.route = (request, res) =>
      sendJson(res, 401, { message: `bad token ${request.headers.authorization}` });
    const error = await caught(() => githubActionsOidc({ env: env() }).fetchToken());
    expect(TokenEndpointError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 401 });
    expect(leakSurface(error)).not.toContain(requestToken);
  });
});

describe('azureWorkloadIdentity', () => {
  it('sends client credentials with the federated token file as client assertion, and follows its rotation', async () => {
    const file = join(dir, 'azure-identity-token');
    await replaceFile(file, 'federated-token-one');
    server.route = (request, res) =>
      sendJson(res, 200, {
        token_type: 'Bearer',
        expires_in: 3599,
        access_token: `entra-token-for-${new URLSearchParams(request.body).get('client_assertion')}`,
      });
    const clock = manualClock(START);
    const provider = azureWorkloadIdentity({
      scope: 'https://graph.microsoft.com/.default',
      env: {
        AZURE_CLIENT_ID: 'app-client-id',
        AZURE_TENANT_ID: 'tenant-1',
        AZURE_FEDERATED_TOKEN_FILE: file,
        AZURE_AUTHORITY_HOST: `${server.url}/`,
      },
      now: clock.now,
    });
    expect((await provider.fetchToken()).accessToken).toBe('entra-token-for-federated-token-one');
    const [request] = server.received;
    expect(request?.method).toBe('POST');
    expect(request?.url.pathname).toBe('/tenant-1/oauth2/v2.0/token');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: 'client_credentials',
      client_id: 'app-client-id',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: 'federated-token-one',
      scope: 'https://graph.microsoft.com/.default',
    });
    await replaceFile(file, 'federated-token-two');
    clock.advance(1_000);
    expect((await provider.fetchToken()).accessToken).toBe('entra-token-for-federated-token-two');
    expect(provider.describe?.()).toMatchObject({
      type: 'azure_workload_identity',
      clientId: 'app-client-id',
      clientAssertion: 'set',
      tokenFile: file,
    });
    expect(leakSurface(provider)).not.toContain('federated-token');
  });

  it('an Entra error echoing the assertion is redacted', async () => {
    const file = join(dir, 'azure-identity-token-2');
    await replaceFile(file, 'federated-secret-assertion');
    server.route = (request, res) =>
      sendJson(res, 401, {
        error: 'invalid_client',
        error_description: `AADSTS700024: assertion ${new URLSearchParams(request.body).get('client_assertion')} is not within its valid time range`,
      });
    const error = await caught(() =>
      azureWorkloadIdentity({
        scope: 'api://x/.default',
        clientId: 'c',
        tenantId: 't',
        tokenFilePath: file,
        authorityHost: server.url,
      }).fetchToken(),
    );
    expect(OAuthError.isInstance(error)).toBe(true);
    expect((error as OAuthError).errorDescription).toContain('[redacted]');
    expect(leakSurface(error)).not.toContain('federated-secret-assertion');
  });

  it('outside such a pod: CredentialUnavailableError naming the variable', () => {
    expect(() => azureWorkloadIdentity({ scope: 'x', env: {} })).toThrow(
      CredentialUnavailableError,
    );
    expect(() =>
      azureWorkloadIdentity({ scope: 'x', env: { AZURE_CLIENT_ID: 'c', AZURE_TENANT_ID: 't' } }),
    ).toThrow(/AZURE_FEDERATED_TOKEN_FILE is not set/);
  });
});

describe('gcpWorkloadIdentityFederation', () => {
  const audience =
    '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/pool/providers/oidc';
  const impersonationPath =
    '/v1/projects/-/serviceAccounts/app@proj.iam.gserviceaccount.com:generateAccessToken';

  it('exchanges the subject token at STS (RFC 8693) and impersonates the service account', async () => {
    const clock = manualClock(START);
    server.route = (request, res) => {
      if (request.url.pathname === '/v1/token')
        return sendJson(res, 200, {
          access_token: 'federated-access-token',
          issued_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          token_type: 'Bearer',
          expires_in: 3600,
        });
      if (request.url.pathname === impersonationPath)
        return sendJson(res, 200, {
          accessToken: 'service-account-token',
          expireTime: new Date(START + 1_800_000).toISOString(),
        });
      res.writeHead(404).end();
    };
    const provider = gcpWorkloadIdentityFederation({
      audience,
      subjectToken: async () => 'external-oidc-token',
      tokenUrl: `${server.url}/v1/token`,
      serviceAccountImpersonationUrl: `${server.url}${impersonationPath}`,
      scopes: ['https://www.googleapis.com/auth/devstorage.read_only'],
      lifetimeSeconds: 1800,
      now: clock.now,
    });
    const tokens = await provider.fetchToken();
    expect(tokens.accessToken).toBe('service-account-token');
    expect(tokens.expiresAt).toBe(START + 1_800_000);
    const [sts, iam] = server.received;
    expect(Object.fromEntries(new URLSearchParams(sts?.body))).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
      audience,
      scope: 'https://www.googleapis.com/auth/cloud-platform',
      requested_token_type: 'urn:ietf:params:oauth:token-type:access_token',
      subject_token: 'external-oidc-token',
      subject_token_type: 'urn:ietf:params:oauth:token-type:jwt',
    });
    expect(sts?.headers.authorization).toBeUndefined();
    expect(iam?.method).toBe('POST');
    expect(iam?.headers.authorization).toBe('Bearer federated-access-token');
    expect(JSON.parse(iam?.body ?? '')).toEqual({
      scope: ['https://www.googleapis.com/auth/devstorage.read_only'],
      lifetime: '1800s',
    });
  });

  it('without impersonation, the federated token with the requested scopes is the token', async () => {
    server.route = (_request, res) =>
      sendJson(res, 200, { access_token: 'federated', token_type: 'Bearer', expires_in: 3600 });
    const tokens = await gcpWorkloadIdentityFederation({
      audience,
      subjectToken: 'a-saml-assertion',
      subjectTokenType: 'urn:ietf:params:oauth:token-type:saml2',
      tokenUrl: `${server.url}/v1/token`,
    }).fetchToken();
    expect(tokens.accessToken).toBe('federated');
    expect(new URLSearchParams(server.received[0]?.body).get('subject_token_type')).toBe(
      'urn:ietf:params:oauth:token-type:saml2',
    );
  });

  it('an STS refusal echoing the subject token is redacted; describe holds no subject token', async () => {
    server.route = (request, res) =>
      sendJson(res, 400, {
        error: 'invalid_grant',
        error_description: `The audience in ID Token does not match: ${new URLSearchParams(request.body).get('subject_token')}`,
      });
    const provider = gcpWorkloadIdentityFederation({
      audience,
      subjectToken: 'secret-subject-token',
      tokenUrl: `${server.url}/v1/token`,
    });
    const error = await caught(() => provider.fetchToken());
    expect(OAuthError.isInstance(error)).toBe(true);
    expect(leakSurface(error, provider)).not.toContain('secret-subject-token');
    expect(provider.describe?.()).toMatchObject({ subjectToken: 'set', audience });
  });

  it('names missing settings', () => {
    expect(() => gcpWorkloadIdentityFederation({ audience: '', subjectToken: 'x' })).toThrow(
      /audience/,
    );
    expect(() => gcpWorkloadIdentityFederation({ audience, subjectToken: '' })).toThrow(
      /subjectToken/,
    );
  });
});
