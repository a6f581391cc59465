import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import {
  type LoopbackServer,
  listenOnLoopback,
  type ProtectedApi,
  readBody,
  sendJson,
  startProtectedApi,
} from '@auth/testing/http';
import { type OidcTestBed, startOidcProvider } from '@auth/testing/oidc';

/** The fixed credentials the demo API accepts besides OAuth tokens. */
export const STATIC_CREDENTIALS = {
  apiKey: `demo-key-${randomBytes(8).toString('hex')}`,
  basicUser: 'reporter',
  basicPassword: `pässword-${randomBytes(8).toString('hex')}`,
} as const;

/** Everything the demo runs against, all on 127.0.0.1. */
export interface DemoEnvironment {
  /** A real OpenID provider (oidc-provider). */
  provider: OidcTestBed;
  /** The protected API: bearer tokens from the provider on most paths, an API key on `/reports`, Basic on `/admin`, session tokens on `/me`. */
  api: ProtectedApi;
  /** The second step of the pipeline: trades an app token for a user session. */
  sessions: LoopbackServer & { readonly issued: number };
  close(): Promise<void>;
}

/**
 * Starts the OpenID provider, the protected API and the session service. The API checks
 * bearer tokens against the provider's own records, so a token revoked at the provider
 * is refused at once.
 */
export async function startEnvironment(): Promise<DemoEnvironment> {
  const provider = await startOidcProvider({ accessTokenTtlSeconds: 3600 });
  const sessionTokens = new Map<string, number>();
  let issued = 0;

  const bearerToken = (headers: IncomingHttpHeaders) =>
    /^Bearer (\S+)$/.exec(headers.authorization ?? '')?.[1];
  const api = await startProtectedApi({
    async authorize(headers, { path }) {
      if (path === '/reports') return headers['x-api-key'] === STATIC_CREDENTIALS.apiKey;
      if (path === '/admin') {
        const expected = Buffer.from(
          `${STATIC_CREDENTIALS.basicUser}:${STATIC_CREDENTIALS.basicPassword}`,
        ).toString('base64');
        return headers.authorization === `Basic ${expected}`;
      }
      const token = bearerToken(headers);
      if (!token) return false;
      if (path === '/me') return (sessionTokens.get(token) ?? 0) > Date.now();
      return (await provider.inspectToken(token)) !== undefined;
    },
  });

  const sessionServer = await listenOnLoopback(async (req, res) => {
    await readBody(req);
    const appToken = bearerToken(req.headers);
    if (req.method !== 'POST' || !appToken || !(await provider.inspectToken(appToken))) {
      return sendJson(res, 401, {
        error: 'invalid_client',
        error_description: 'an app token is required',
      });
    }
    issued += 1;
    const token = randomBytes(24).toString('base64url');
    sessionTokens.set(token, Date.now() + 600_000);
    sendJson(res, 200, { session: { token, expires_in: 600 } });
  });

  return {
    provider,
    api,
    sessions: {
      ...sessionServer,
      get issued() {
        return issued;
      },
    },
    async close() {
      await Promise.all([sessionServer.close(), api.close(), provider.close()]);
    },
  };
}
