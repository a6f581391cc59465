import type { ServerResponse } from 'node:http';
import { CredentialUnavailableError, OAuthError, TokenEndpointError } from '@auth/core';
import { type LoopbackServer, listenOnLoopback, sendJson } from '@auth/testing/http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { azureManagedIdentity, gcpMetadataServer } from '../../src/node.js';
import { type PlatformServer, startPlatformServer } from './preset-support.js';
import { caught, leakSurface, manualClock } from './support.js';

let server: PlatformServer;
/** A server that accepts connections and never answers. */
let silent: LoopbackServer;
/** A port nothing listens on. */
let closedPort: number;
const hanging: ServerResponse[] = [];
beforeAll(async () => {
  server = await startPlatformServer();
  silent = await listenOnLoopback((_req, res) => {
    hanging.push(res);
  });
  const closed = await listenOnLoopback(() => undefined);
  closedPort = Number(new URL(closed.url).port);
  await closed.close();
});
afterAll(async () => {
  await server.close();
  await silent.close();
});
beforeEach(() => {
  server.received.length = 0;
});

const START = 1_800_000_000_000;
const host = (url: string) => new URL(url).host;

describe('gcpMetadataServer', () => {
  it('asks the token path with Metadata-Flavor: Google (host from GCE_METADATA_HOST)', async () => {
    server.route = (_request, res) =>
      sendJson(
        res,
        200,
        { access_token: 'ya29.metadata-token', expires_in: 3599, token_type: 'Bearer' },
        { 'metadata-flavor': 'Google' },
      );
    const clock = manualClock(START);
    const provider = gcpMetadataServer({
      scopes: ['https://www.googleapis.com/auth/cloud-platform', 'email'],
      env: { GCE_METADATA_HOST: host(server.url) },
      now: clock.now,
    });
    const tokens = await provider.fetchToken();
    expect(tokens.accessToken).toBe('ya29.metadata-token');
    expect(tokens.expiresAt).toBe(START + 3_599_000);
    const [request] = server.received;
    expect(request?.url.pathname).toBe(
      '/computeMetadata/v1/instance/service-accounts/default/token',
    );
    expect(request?.url.searchParams.get('scopes')).toBe(
      'https://www.googleapis.com/auth/cloud-platform,email',
    );
    expect(request?.headers['metadata-flavor']).toBe('Google');
    expect(provider.describe?.()).toMatchObject({
      type: 'gcp_metadata_server',
      host: host(server.url),
      serviceAccount: 'default',
      answerTimeoutMs: 1000,
    });
  });

  it('refuses an answer without Metadata-Flavor: Google (not a metadata server)', async () => {
    server.route = (_request, res) =>
      sendJson(res, 200, { access_token: 'from-a-proxy', expires_in: 3599, token_type: 'Bearer' });
    const error = await caught(() =>
      gcpMetadataServer({
        host: host(server.url),
        serviceAccount: 'app@p.iam.gserviceaccount.com',
      }).fetchToken(),
    );
    expect(CredentialUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/not a GCP metadata server/);
    expect(server.received[0]?.url.pathname).toBe(
      '/computeMetadata/v1/instance/service-accounts/app%40p.iam.gserviceaccount.com/token',
    );
  });

  it('a metadata server error (HTTP 404, unknown account) is a TokenEndpointError, not "off platform"', async () => {
    server.route = (_request, res) => {
      res.writeHead(404, { 'metadata-flavor': 'Google' }).end('not found');
    };
    const error = await caught(() => gcpMetadataServer({ host: host(server.url) }).fetchToken());
    expect(TokenEndpointError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ status: 404 });
  });

  it('off Google Cloud, nothing listening: CredentialUnavailableError', async () => {
    const error = await caught(() =>
      gcpMetadataServer({ host: `127.0.0.1:${closedPort}`, answerTimeoutMs: 100 }).fetchToken(),
    );
    expect(CredentialUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/could not be reached/);
  });

  it('off Google Cloud, a host that never answers: CredentialUnavailableError after answerTimeoutMs', async () => {
    const error = await caught(() =>
      gcpMetadataServer({ host: host(silent.url), answerTimeoutMs: 100 }).fetchToken(),
    );
    expect(CredentialUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/did not answer within 100 ms/);
  });
  it('once it has answered, a metadata server that stops answering is an outage (retryable), not "off platform"', async () => {
    server.route = (_request, res) =>
      sendJson(
        res,
        200,
        { access_token: 'ya29.first', expires_in: 3599, token_type: 'Bearer' },
        { 'metadata-flavor': 'Google' },
      );
    const provider = gcpMetadataServer({
      host: host(server.url),
      answerTimeoutMs: 100,
      timeoutMs: 300,
    });
    expect((await provider.fetchToken()).accessToken).toBe('ya29.first');
    server.route = (_request, res) => {
      hanging.push(res);
    };
    const error = await caught(() => provider.fetchToken());
    expect(CredentialUnavailableError.isInstance(error)).toBe(false);
    expect(TokenEndpointError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: true });
    expect((error as Error).message).toMatch(/did not answer within 300 ms/);
  });
});

describe('azureManagedIdentity', () => {
  it('asks IMDS with Metadata: true, api-version 2018-02-01, resource and client_id; expiry from expires_on', async () => {
    const clock = manualClock(START);
    server.route = (_request, res) =>
      sendJson(res, 200, {
        access_token: 'imds-access-token',
        refresh_token: '',
        expires_in: '3599',
        expires_on: String(START / 1000 + 3000),
        not_before: String(START / 1000),
        resource: 'https://vault.azure.net',
        token_type: 'Bearer',
      });
    const provider = azureManagedIdentity({
      resource: 'https://vault.azure.net',
      clientId: 'user-assigned-id',
      imdsUrl: `${server.url}/metadata/identity/oauth2/token`,
      env: {},
      now: clock.now,
    });
    const tokens = await provider.fetchToken();
    expect(tokens.accessToken).toBe('imds-access-token');
    expect(tokens.expiresAt).toBe(START + 3_000_000);
    expect(tokens.refreshToken).toBeUndefined();
    const [request] = server.received;
    expect(request?.url.pathname).toBe('/metadata/identity/oauth2/token');
    expect(Object.fromEntries(request?.url.searchParams ?? [])).toEqual({
      'api-version': '2018-02-01',
      resource: 'https://vault.azure.net',
      client_id: 'user-assigned-id',
    });
    expect(request?.headers.metadata).toBe('true');
    expect(provider.describe?.()).toMatchObject({ endpoint: 'imds', clientId: 'user-assigned-id' });
  });

  it('on App Service asks IDENTITY_ENDPOINT with X-IDENTITY-HEADER, api-version 2019-08-01', async () => {
    const identityHeader = 'app-service-identity-header-secret';
    const clock = manualClock(START);
    server.route = (_request, res) =>
      sendJson(res, 200, {
        access_token: 'app-service-token',
        expires_on: String(START / 1000 + 86_400),
        resource: 'https://management.azure.com/',
        token_type: 'Bearer',
        client_id: 'system-assigned',
      });
    const provider = azureManagedIdentity({
      resource: 'https://management.azure.com/',
      env: { IDENTITY_ENDPOINT: `${server.url}/msi/token`, IDENTITY_HEADER: identityHeader },
      now: clock.now,
    });
    const tokens = await provider.fetchToken();
    expect(tokens.accessToken).toBe('app-service-token');
    expect(tokens.expiresAt).toBe(START + 86_400_000);
    const [request] = server.received;
    expect(request?.url.pathname).toBe('/msi/token');
    expect(request?.url.searchParams.get('api-version')).toBe('2019-08-01');
    expect(request?.headers['x-identity-header']).toBe(identityHeader);
    expect(request?.headers.metadata).toBeUndefined();
    expect(provider.describe?.()).toMatchObject({ endpoint: 'app_service', identityHeader: 'set' });
    expect(leakSurface(provider)).not.toContain(identityHeader);
  });

  it('an error echoing the identity header is redacted', async () => {
    const identityHeader = 'app-service-identity-header-secret';
    server.route = (request, res) =>
      sendJson(res, 400, {
        error: 'invalid_request',
        error_description: `bad header ${request.headers['x-identity-header']}`,
      });
    const error = await caught(() =>
      azureManagedIdentity({
        resource: 'https://management.azure.com/',
        identityEndpoint: `${server.url}/msi/token`,
        identityHeader,
      }).fetchToken(),
    );
    expect(OAuthError.isInstance(error)).toBe(true);
    expect(leakSurface(error)).not.toContain(identityHeader);
  });

  it('off Azure, nothing at IMDS: CredentialUnavailableError (closed port, and a host that never answers)', async () => {
    const closed = await caught(() =>
      azureManagedIdentity({
        resource: 'r',
        imdsUrl: `http://127.0.0.1:${closedPort}/metadata/identity/oauth2/token`,
        env: {},
        answerTimeoutMs: 100,
      }).fetchToken(),
    );
    expect(CredentialUnavailableError.isInstance(closed)).toBe(true);
    const silentError = await caught(() =>
      azureManagedIdentity({
        resource: 'r',
        imdsUrl: `${silent.url}/metadata/identity/oauth2/token`,
        env: {},
        answerTimeoutMs: 100,
      }).fetchToken(),
    );
    expect(CredentialUnavailableError.isInstance(silentError)).toBe(true);
    expect((silentError as Error).message).toMatch(
      /Azure Instance Metadata Service did not answer within 100 ms/,
    );
    expect(silentError).toMatchObject({ source: `${silent.url}/metadata/identity/oauth2/token` });
  });

  it('names a missing resource at construction', () => {
    expect(() => azureManagedIdentity({ resource: '' })).toThrow(/resource/);
  });
});
