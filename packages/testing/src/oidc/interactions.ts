import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Provider } from 'oidc-provider';
import { readBody, sendJson } from '../http/listen.js';
import { consentPage, loginPage, sendHtml } from './pages.js';
import { type TestUser, totpCode, verifyUser } from './users.js';

/**
 * Serves the provider's interaction routes: `GET /interaction/:uid` shows the sign-in or
 * consent page to a browser (`Accept: text/html`) and describes the pending prompt as JSON
 * to anything else; `POST /interaction/:uid` (form: `username`, `password`, `totp`)
 * finishes a `login` prompt after checking the user, or grants every requested scope on a
 * `consent` prompt (`decision=deny` refuses). A failed login or a denial ends the request
 * with `access_denied`.
 *
 * @param provider - The provider whose interactions these are.
 * @param users - Who may log in.
 * @param req - The request (path under `/interaction/`).
 * @param res - The response.
 */
export async function handleInteraction(
  provider: Provider,
  users: readonly TestUser[],
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  if (req.method === 'GET' && req.headers.accept?.includes('text/html')) {
    const clientId = String(details.params.client_id);
    if (details.prompt.name === 'login')
      return sendHtml(res, 200, loginPage({ uid: details.uid, clientId, hint: usersHint(users) }));
    const scopes = String(details.params.scope ?? '')
      .split(' ')
      .filter(Boolean);
    return sendHtml(res, 200, consentPage({ uid: details.uid, clientId, scopes }));
  }
  if (req.method === 'GET') {
    return sendJson(res, 200, {
      uid: details.uid,
      prompt: details.prompt.name,
      clientId: details.params.client_id,
    });
  }
  const form = new URLSearchParams(await readBody(req));
  if (details.prompt.name === 'login') {
    const result = verifyUser(users, {
      username: form.get('username') ?? undefined,
      password: form.get('password') ?? undefined,
      totp: form.get('totp') ?? undefined,
    });
    if ('reason' in result) {
      return provider.interactionFinished(req, res, {
        error: 'access_denied',
        error_description: result.reason,
      });
    }
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: result.user.username } },
      { mergeWithLastSubmission: false },
    );
  }
  if (form.get('decision') === 'deny') {
    return provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'the user denied the request',
    });
  }
  const { accountId } = details.session ?? {};
  const grant = details.grantId
    ? await provider.Grant.find(details.grantId)
    : new provider.Grant({ accountId, clientId: String(details.params.client_id) });
  if (!grant) throw new Error('interaction grant not found');
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missing.missingResourceScopes ?? {}))
    grant.addResourceScope(indicator, scopes.join(' '));
  const grantId = await grant.save();
  return provider.interactionFinished(
    req,
    res,
    { consent: { grantId } },
    { mergeWithLastSubmission: true },
  );
}

/** Who may sign in, for the sign-in page of a demo: names, passwords and current one-time codes. */
function usersHint(users: readonly TestUser[]): string {
  const each = users.map((user) =>
    user.totpSecret
      ? `${user.username} / ${user.password} with one-time code ${totpCode(user.totpSecret)}`
      : `${user.username} / ${user.password}`,
  );
  return `Test users: ${each.join('; ')}.`;
}

/** A user's credentials for {@link completeAuthorizationLogin}. */
export interface LoginCredentials {
  username: string;
  password: string;
  totp?: string;
}

/**
 * Plays the browser of an authorization-code login: opens `authorizationUrl`, follows the
 * provider's redirects with a cookie jar, submits the user's credentials and consent at
 * each interaction, and stops at the redirect back to the client.
 *
 * @param issuer - The provider's issuer (its origin is "the provider").
 * @param authorizationUrl - The URL the client built.
 * @param credentials - The user who logs in.
 * @returns The client's redirect URL (with `code` and `state`, or `error`).
 * @throws {Error} The provider stopped without redirecting (the page body is in the message).
 */
export async function completeAuthorizationLogin(
  issuer: string,
  authorizationUrl: string | URL,
  credentials: LoginCredentials,
): Promise<URL> {
  const providerOrigin = new URL(issuer).origin;
  const cookies = new Map<string, string>();
  let url = new URL(authorizationUrl);
  let form: URLSearchParams | undefined;
  for (let hop = 0; hop < 20; hop++) {
    const response = await fetch(url, {
      method: form ? 'POST' : 'GET',
      body: form,
      redirect: 'manual',
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
    const location = response.headers.get('location');
    if (!location) {
      throw new Error(
        `login stopped at ${url.pathname} (${response.status}): ${await response.text()}`,
      );
    }
    await response.body?.cancel();
    url = new URL(location, url);
    if (url.origin !== providerOrigin) return url;
    form = url.pathname.startsWith('/interaction/')
      ? new URLSearchParams({ ...credentials })
      : undefined;
  }
  throw new Error('login did not finish within 20 redirects');
}
