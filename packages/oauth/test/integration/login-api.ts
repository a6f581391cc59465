import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenOnLoopback, readBody, sendJson } from '@auth/testing/http';
import { httpTokenStep, type PipelineStep } from '../../src/index.js';

/** Requests the {@link LoginApi} answered, per endpoint. */
export interface LoginApiCounts {
  app: number;
  user: number;
  admin: number;
}

/**
 * A login API that is not OAuth, for pipelines: `POST /app` with `{ key: 'app-key' }` issues an
 * app token (`{ data: { token, expires_in: 3600 } }`); `POST /user` and `POST /admin` issue a
 * session token (`{ session: { token } }`) for a known app token in `X-App-Token`, else 401
 * `invalid_client`.
 */
export interface LoginApi {
  /** Base URL on 127.0.0.1. */
  readonly url: string;
  /** Requests per endpoint since the last {@link LoginApi.reset}. */
  readonly counts: LoginApiCounts;
  /** The `X-App-Token` of every session request, in order. */
  readonly appTokensUsed: string[];
  /** Forgets every app token issued so far: session requests with them now get 401. */
  forgetAppTokens(): void;
  /** Answers every session request with 401 `invalid_client` (true) or normally (false). */
  refuseSessions(refuse: boolean): void;
  /** Answers every app-token request with 503 (true) or normally (false). */
  failApp(fail: boolean): void;
  /** Zeroes the counts and the log and answers normally again. */
  reset(): void;
  close(): Promise<void>;
}

/** The app key the API accepts (a secret: tests check it never leaks). */
export const APP_KEY = 'app-key-s3cret';

/**
 * Starts a {@link LoginApi} on a free loopback port.
 *
 * @returns The running API; `close()` it after the tests.
 */
export async function startLoginApi(): Promise<LoginApi> {
  const counts: LoginApiCounts = { app: 0, user: 0, admin: 0 };
  const appTokensUsed: string[] = [];
  const appTokens = new Set<string>();
  let refuse = false;
  let appDown = false;
  let serial = 0;
  const server = await listenOnLoopback(async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readBody(req);
    if (req.url === '/app') {
      counts.app++;
      if (appDown) return sendJson(res, 503, { message: 'down' });
      if (JSON.parse(body).key !== APP_KEY) return sendJson(res, 401, { message: 'bad key' });
      const token = `app-${++serial}`;
      appTokens.add(token);
      return sendJson(res, 200, { data: { token, expires_in: 3600 } });
    }
    const endpoint = req.url === '/admin' ? 'admin' : 'user';
    counts[endpoint]++;
    const appToken = String(req.headers['x-app-token']);
    appTokensUsed.push(appToken);
    if (refuse || !appTokens.has(appToken)) return sendJson(res, 401, { error: 'invalid_client' });
    return sendJson(res, 200, { session: { token: `${endpoint}-${++serial}` } });
  });
  return {
    url: server.url,
    counts,
    appTokensUsed,
    forgetAppTokens: () => appTokens.clear(),
    refuseSessions: (value) => {
      refuse = value;
    },
    failApp: (value) => {
      appDown = value;
    },
    reset: () => {
      counts.app = 0;
      counts.user = 0;
      counts.admin = 0;
      appTokensUsed.length = 0;
      refuse = false;
      appDown = false;
    },
    close: () => server.close(),
  };
}

/**
 * The two steps of a pipeline against a {@link LoginApi}: `app` (its lifetime from
 * `expires_in`, 1 h) and `session` (`user` or `admin`, 10 min) with the app token in a header.
 * `fixtures/pipeline-worker.mjs` builds the same steps.
 */
export function loginSteps(
  api: LoginApi,
  session: 'user' | 'admin',
  now: () => number = Date.now,
): PipelineStep[] {
  return [
    httpTokenStep({
      name: 'app',
      url: `${api.url}/app`,
      body: () => ({ key: APP_KEY }),
      tokenPath: 'data.token',
      expiresInPath: 'data.expires_in',
      now,
    }),
    httpTokenStep({
      name: session,
      url: `${api.url}/${session}`,
      dependsOn: ['app'],
      headers: ({ tokens }) => ({ 'X-App-Token': tokens.app!.accessToken }),
      tokenPath: 'session.token',
      ttlMs: 600_000,
      now,
    }),
  ];
}
