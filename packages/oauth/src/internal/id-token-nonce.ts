import { TokenResponseError } from '@auth/core';
import * as oauth from 'oauth4webapi';
import type { ReadResponse } from './http-response.js';

/**
 * Checks the ID token of an authorization code exchange against the `nonce` the
 * authorization request carried (OpenID Connect Core §3.1.3.7), so a code injected from
 * another login is refused. With an issuer (discovery), oauth4webapi validates the ID token's
 * claims (`iss`, `aud`, `exp`, `iat`, `nonce`); without one, only `nonce` can be checked (the
 * issuer to expect is unknown). A response without an ID token, or a failed one, is left to
 * the token mapping.
 *
 * @param read - The token endpoint's response.
 * @param nonce - The nonce sent.
 * @param server - The server's metadata and client, when an issuer is configured.
 * @throws {TokenResponseError} The ID token is malformed, invalid, or carries another nonce.
 */
export async function checkIdTokenNonce(
  read: ReadResponse,
  nonce: string,
  server: { as: oauth.AuthorizationServer; client: oauth.Client } | undefined,
): Promise<void> {
  if (read.status < 200 || read.status >= 300) return;
  const idToken = idTokenOf(read.text);
  if (idToken === undefined) return;
  if (server !== undefined) {
    try {
      const response = new Response(read.text, { status: read.status, headers: read.headers });
      await oauth.processAuthorizationCodeResponse(server.as, server.client, response, {
        expectedNonce: nonce,
      });
    } catch (error) {
      throw new TokenResponseError(
        `the ID token was refused: ${(error as Error).message} (OpenID Connect Core §3.1.3.7)`,
      );
    }
    return;
  }
  if (claimsOf(idToken)?.nonce !== nonce)
    throw new TokenResponseError(
      'the ID token does not carry the nonce of the authorization request (OpenID Connect Core §3.1.3.7)',
    );
}

function idTokenOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { id_token?: unknown };
    return typeof body.id_token === 'string' ? body.id_token : undefined;
  } catch {
    return undefined;
  }
}

function claimsOf(jwt: string): Record<string, unknown> | undefined {
  try {
    const payload = jwt.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(payload), (char) => char.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
