/**
 * The flow a new user would try, run inside the browser page: bundled with the packages by
 * `bundleBrowserFlow` and called from the test through `page.evaluate`. Every function takes
 * plain data and returns plain data (what crosses into Node must be JSON), and reports an
 * error as `{ error }` instead of throwing, so the test sees its class and message.
 */
import {
  AuthError,
  type AuthStrategy,
  apiKeyAuth,
  basicAuth,
  bearerAuth,
  keyPairAuth,
  signedKeyAuth,
  TokenManager,
  tokenAuth,
} from '@auth/core';
import { createAuthFetch } from '@auth/fetch';
import { clientCredentials } from '@auth/oauth';

/** What a call to the API gave: the response, or the error it rejected with. */
export type Outcome =
  | { status: number; type: ResponseType; redirected: boolean; url: string; body: unknown }
  | { error: { name: string; code: string | undefined; message: string } };

/** The token flow's settings: where the token server and the API listen. */
export interface TokenFlowConfig {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  apiUrl: string;
}

/** The strategies without a token manager, by name. */
export type StaticStrategyName = 'apiKey' | 'basic' | 'keyPair' | 'bearer';

/** A call through `createAuthFetch` with one of the static strategies or `signedKeyAuth`. */
export interface CallConfig {
  /** The API's origin: `baseUrl`, and the only origin credentials go to. */
  apiUrl: string;
  /** The path (or absolute URL) to fetch. */
  path: string;
  strategy: StaticStrategyName | 'signedKey';
  init?: RequestInit;
  /** `signedKeyAuth`'s key (a P-256 JWK) and `dateHeader`. */
  signing?: { publicKey: string; privateKey: JsonWebKey; dateHeader?: string };
}

/** The static credentials the test's API accepts. */
export const STATIC_CREDENTIALS = {
  apiKey: 'browser-api-key',
  basic: { username: 'browser-user', password: 'browser-password' },
  keyPair: { publicKey: 'pk_browser', secretKey: 'sk_browser' },
  bearer: 'browser-bearer-token',
} as const;

declare global {
  /** Exposed by the test (`page.exposeFunction`): revokes the last token the API accepted. */
  function revokeLastToken(): Promise<void>;
}

/**
 * Client credentials → `TokenManager` → `createAuthFetch` → API, then `forceRefresh`, then a
 * token revoked behind the manager's back (401 → renewal → retry).
 *
 * @param config - Where the token server and the API listen, and the client.
 * @returns The outcome of each of the three calls.
 */
export async function tokenFlow(config: TokenFlowConfig): Promise<Record<string, Outcome>> {
  const manager = new TokenManager({
    provider: clientCredentials({
      tokenUrl: config.tokenUrl,
      clientId: config.clientId,
      clientSecret: config.clientSecret,
    }),
  });
  const api = createAuthFetch({ auth: tokenAuth(manager), baseUrl: config.apiUrl });
  try {
    const first = await outcome(() => api('/first'));
    await manager.forceRefresh();
    const afterRefresh = await outcome(() => api('/after-refresh'));
    await globalThis.revokeLastToken();
    const afterRevocation = await outcome(() => api('/after-revocation'));
    return { first, afterRefresh, afterRevocation };
  } finally {
    await manager.close();
  }
}

/**
 * One call through `createAuthFetch` with the strategy named in `config`.
 *
 * @param config - The API, the path, the strategy and the request.
 * @returns The response or the error.
 */
export async function call(config: CallConfig): Promise<Outcome> {
  const api = createAuthFetch({ auth: await strategy(config), baseUrl: config.apiUrl });
  return outcome(() => api(config.path, config.init));
}

/**
 * Plain `fetch`, for comparison with what the adapter does.
 *
 * @param url - What to fetch.
 * @param init - The request.
 * @returns The response or the error.
 */
export function plainFetch(url: string, init?: RequestInit): Promise<Outcome> {
  return outcome(() => fetch(url, init));
}

async function strategy(config: CallConfig): Promise<AuthStrategy> {
  switch (config.strategy) {
    case 'apiKey':
      return apiKeyAuth(STATIC_CREDENTIALS.apiKey);
    case 'basic':
      return basicAuth(STATIC_CREDENTIALS.basic.username, STATIC_CREDENTIALS.basic.password);
    case 'keyPair':
      return keyPairAuth(STATIC_CREDENTIALS.keyPair);
    case 'bearer':
      return bearerAuth(STATIC_CREDENTIALS.bearer);
    case 'signedKey': {
      const signing = config.signing;
      if (signing === undefined) throw new TypeError('signedKey needs config.signing');
      return signedKeyAuth({
        publicKey: signing.publicKey,
        privateKey: signing.privateKey,
        ...(signing.dateHeader === undefined ? {} : { dateHeader: signing.dateHeader }),
      });
    }
  }
}

async function outcome(send: () => Promise<Response>): Promise<Outcome> {
  try {
    const response = await send();
    const text = response.type === 'opaqueredirect' ? '' : await response.text();
    return {
      status: response.status,
      type: response.type,
      redirected: response.redirected,
      url: response.url,
      body: parse(text),
    };
  } catch (error) {
    const { name, message } = error as Error;
    const code = AuthError.isInstance(error) ? error.code : undefined;
    return { error: { name, code, message } };
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
