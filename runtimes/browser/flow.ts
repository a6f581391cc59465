/**
 * What only the browser's own tests run in the page (the shared flow is `flow/flow.mjs`,
 * loaded with this by `flow/browser.mjs`): one call through `createAuthFetch`, and plain
 * `fetch` to compare with. Every function takes plain data and returns plain data (what
 * crosses into Node must be JSON), and reports an error as `{ error }` instead of throwing,
 * so the test sees its class and message.
 */
import { AuthError, type AuthStrategy, apiKeyAuth, bearerAuth, signedKeyAuth } from '@auth/core';
import { createAuthFetch } from '@auth/fetch';

/** What a call to the API gave: the response, or the error it rejected with. */
export type Outcome =
  | { status: number; type: ResponseType; redirected: boolean; url: string; body: unknown }
  | { error: { name: string; code: string | undefined; message: string } };

/** A call through `createAuthFetch` with `apiKeyAuth`, `bearerAuth` or `signedKeyAuth`. */
export interface CallConfig {
  /** The API's origin: `baseUrl`, and the only origin credentials go to. */
  apiUrl: string;
  /** The path (or absolute URL) to fetch. */
  path: string;
  /** `renewingBearer`: a bearer token whose 401s count as renewals (see {@link renewalCount}). */
  strategy: 'apiKey' | 'bearer' | 'renewingBearer' | 'signedKey';
  init?: RequestInit;
  /** `signedKeyAuth`'s key (a P-256 JWK), with the default `dateHeader` (`Date`). */
  signing?: { publicKey: string; privateKey: JsonWebKey };
}

/** The static credentials the browser's tests send. */
export const STATIC_CREDENTIALS = {
  apiKey: 'browser-api-key',
  bearer: 'browser-bearer-token',
} as const;

/**
 * One call through `createAuthFetch` with the strategy named in `config`.
 *
 * @param config - The API, the path, the strategy and the request.
 * @returns The response or the error.
 */
export async function call(config: CallConfig): Promise<Outcome> {
  const api = createAuthFetch({ auth: strategy(config), baseUrl: config.apiUrl });
  return outcome(() => api(config.path, config.init));
}

let renewals = 0;

/** How many 401s the `renewingBearer` strategy was asked to renew after, in this page. */
export function renewalCount(): number {
  return renewals;
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

function strategy(config: CallConfig): AuthStrategy {
  switch (config.strategy) {
    case 'apiKey':
      return apiKeyAuth(STATIC_CREDENTIALS.apiKey);
    case 'bearer':
      return bearerAuth(STATIC_CREDENTIALS.bearer);
    case 'renewingBearer':
      return {
        authenticate: () => ({ Authorization: `Bearer ${STATIC_CREDENTIALS.bearer}` }),
        onUnauthorized: async () => {
          renewals += 1;
          return true;
        },
      };
    case 'signedKey': {
      const signing = config.signing;
      if (signing === undefined) throw new TypeError('signedKey needs config.signing');
      return signedKeyAuth({ publicKey: signing.publicKey, privateKey: signing.privateKey });
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
