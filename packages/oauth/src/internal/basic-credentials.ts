import type * as oauth from 'oauth4webapi';

/** RFC 3986 §2.3 unreserved characters: what any server reads the same, decoded or not. */
const UNRESERVED = /^[A-Za-z0-9\-._~]*$/;

/**
 * Encodes a client id or secret for the `Authorization: Basic` header as RFC 6749 §2.3.1 asks
 * (`application/x-www-form-urlencoded`), leaving RFC 3986 unreserved characters as they are:
 * `cc-plain` stays `cc-plain`, so servers that form-decode the credentials and servers that do
 * not both read it, while `:`, `%`, `+`, space (as `+`) and non-ASCII are encoded. golang.org/x/oauth2
 * does the same (`url.QueryEscape`); oauth4webapi also encodes `-`, `.`, `_` and `~`, which
 * servers that do not form-decode Basic refuse.
 *
 * @param value - The client id or secret.
 * @returns The encoded value.
 */
export function basicCredentialEncode(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/**
 * Whether Basic must change `value` on the way (it holds characters beyond RFC 3986's
 * unreserved ones), so that a server that does not form-decode Basic would read another value.
 */
export function basicMustEncode(value: string): boolean {
  return !UNRESERVED.test(value);
}

/**
 * `client_secret_basic` (RFC 6749 §2.3.1) with {@link basicCredentialEncode}, as an
 * oauth4webapi client authentication.
 *
 * @param clientSecret - The client secret.
 * @returns The client authentication.
 */
export function clientSecretBasic(clientSecret: string): oauth.ClientAuth {
  return (_as, client, _body, headers) => {
    const credentials = `${basicCredentialEncode(client.client_id)}:${basicCredentialEncode(clientSecret)}`;
    headers.set('authorization', `Basic ${btoa(credentials)}`);
  };
}
