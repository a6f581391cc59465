import { TokenResponseError } from '@auth/core';
import { jwtClaims } from '@auth/core/internal';
import * as oauth from 'oauth4webapi';
import { type ReadResponse, tryParseJson } from './http-response.js';

/** JWS algorithms an ID token may name when the metadata lists none (its signature is not checked here). */
const ANY_JWS_ALGORITHM = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

/** What {@link checkIdTokenNonce} checks against. */
export interface IdTokenExpectations {
  /** The server's metadata, when an issuer is configured (discovery); else only `nonce` is checked. */
  as: oauth.AuthorizationServer | undefined;
  /** The client id, the ID token's audience. */
  clientId: string;
  /** The clock, for `exp` and `iat`. */
  now: () => number;
}

/**
 * Checks the ID token of an authorization code exchange against the `nonce` the
 * authorization request carried (OpenID Connect Core §3.1.3.7), so a code injected from
 * another login is refused. With an issuer (discovery), oauth4webapi validates the ID token's
 * claims (`iss`, `aud`, `exp` and `iat` on the injected clock, `nonce`) and nothing else of the
 * response (its signature is not checked: the token came straight from the token endpoint
 * over TLS, §3.1.3.7 item 6); without one, only `nonce` can be checked (the issuer to expect is
 * unknown). A response without an ID token, or a failed one, is left to the token mapping.
 *
 * @param read - The token endpoint's response.
 * @param nonce - The nonce sent.
 * @param expected - The issuer's metadata, the client id and the clock.
 * @throws {TokenResponseError} The ID token is malformed, invalid, or carries another nonce.
 */
export async function checkIdTokenNonce(
  read: ReadResponse,
  nonce: string,
  expected: IdTokenExpectations,
): Promise<void> {
  if (read.status < 200 || read.status >= 300) return;
  const idToken = idTokenOf(read.text);
  if (idToken === undefined) return;
  if (expected.as === undefined) {
    if (jwtClaims(idToken)?.nonce !== nonce) throw nonceMismatch();
    return;
  }
  // Only the ID token goes to oauth4webapi: the rest of the response (token_type, expires_in)
  // is the token mapping's to judge, with its own rules.
  const response = new Response(
    JSON.stringify({ access_token: 'checked-elsewhere', token_type: 'bearer', id_token: idToken }),
    { status: 200, headers: { 'content-type': 'application/json' } },
  );
  const as = {
    ...expected.as,
    id_token_signing_alg_values_supported:
      expected.as.id_token_signing_alg_values_supported ?? ANY_JWS_ALGORITHM,
  };
  const client: oauth.Client = {
    client_id: expected.clientId,
    [oauth.clockSkew]: Math.floor(expected.now() / 1000) - Math.floor(Date.now() / 1000),
  };
  try {
    await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: nonce });
  } catch (error) {
    // oauth4webapi's error holds the response (tokens): only its message is kept.
    throw new TokenResponseError(
      `the ID token was refused: ${(error as Error).message} (OpenID Connect Core §3.1.3.7)`,
    );
  }
}

function nonceMismatch(): TokenResponseError {
  return new TokenResponseError(
    'the ID token does not carry the nonce of the authorization request (OpenID Connect Core §3.1.3.7)',
  );
}

function idTokenOf(text: string): string | undefined {
  const body = tryParseJson(text) as { id_token?: unknown } | undefined;
  return typeof body?.id_token === 'string' ? body.id_token : undefined;
}
