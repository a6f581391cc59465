import { createSecureContext } from 'node:tls';
import { presence, redacted } from '@auth/core/internal';
import type { Agent } from 'undici';

/** PEM text or its bytes, once or as a list (a chain, several CAs). */
export type PemInput = string | Uint8Array | readonly (string | Uint8Array)[];

/**
 * Options of {@link mtlsFetch}: the client certificate and key, as Node's `tls.connect` takes
 * them.
 *
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import type { MtlsFetchOptions } from '@auth/fetch/undici';
 *
 * const options: MtlsFetchOptions = {
 *   cert: readFileSync('/etc/reporting/client.crt'),
 *   key: readFileSync('/etc/reporting/client.key'),
 * };
 * ```
 */
export interface MtlsFetchOptions {
  /** The client certificate (PEM), with any intermediate certificates after it. */
  cert: PemInput;
  /** The certificate's private key (PEM; encrypted with `passphrase` if it is). */
  key: PemInput;
  /** The passphrase of an encrypted `key`. */
  passphrase?: string;
  /** The CA certificates servers are checked against instead of Node's default list (PEM). */
  ca?: PemInput;
}

/** A `fetch` presenting a client certificate, from {@link mtlsFetch}. */
export interface MtlsFetch {
  (input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Closes the connections this `fetch` holds; it must not be called afterwards. */
  close(): Promise<void>;
}

/**
 * A `fetch` that presents a client certificate in every TLS handshake (mutual TLS, RFC 8705):
 * Node's `fetch` over an undici `Agent` of its own holding the certificate and key. Give it to
 * the grant providers of `@auth/oauth` (`fetch` option) for `tls_client_auth`,
 * `self_signed_tls_client_auth` or `certificateBoundTokens`, and to `createAuthFetch({ fetch })`
 * so calls to the API present the certificate certificate-bound tokens are bound to. The key
 * stays inside the Agent: `JSON.stringify` and `util.inspect` of the function show only which
 * settings are set. The caller's `dispatcher` in `init` is replaced. Node only: `undici` (7) is
 * loaded on the first request, so importing `@auth/fetch/undici` still loads nothing of it.
 *
 * @param options - See {@link MtlsFetchOptions}.
 * @returns The `fetch`, with `close()` to release its connections.
 * @throws {TypeError} A missing certificate or key, or ones Node's TLS cannot use (not PEM, a
 *   key that does not match the certificate, a wrong passphrase); the message names the
 *   setting, never its content.
 * @example
 * ```ts
 * import { readFileSync } from 'node:fs';
 * import { TokenManager, tokenAuth } from '@auth/core';
 * import { createAuthFetch } from '@auth/fetch';
 * import { mtlsFetch } from '@auth/fetch/undici';
 * import { clientCredentials } from '@auth/oauth';
 *
 * const tls = mtlsFetch({
 *   cert: readFileSync('/etc/reporting/client.crt'),
 *   key: readFileSync('/etc/reporting/client.key'),
 * });
 * const manager = new TokenManager({
 *   provider: clientCredentials({
 *     issuer: 'https://login.example.com',
 *     clientId: 'reporting',
 *     authMethod: 'tls_client_auth',
 *     fetch: tls,
 *   }),
 * });
 * const api = createAuthFetch({
 *   auth: tokenAuth(manager),
 *   baseUrl: 'https://api.example.com',
 *   fetch: tls,
 * });
 * const report = await api('/reports/today');
 * await tls.close();
 * ```
 */
export function mtlsFetch(options: MtlsFetchOptions): MtlsFetch {
  if (typeof options !== 'object' || options === null)
    throw new TypeError('mtlsFetch needs { cert, key }');
  const { cert, key, ca, passphrase } = options;
  checkPem('cert', cert, true);
  checkPem('key', key, true);
  checkPem('ca', ca, false);
  if (passphrase !== undefined && typeof passphrase !== 'string')
    throw new TypeError('mtlsFetch: passphrase must be a string');
  const connect = {
    cert: cert as string | Buffer,
    key: key as string | Buffer,
    ...(ca === undefined ? {} : { ca: ca as string | Buffer }),
    ...(passphrase === undefined ? {} : { passphrase }),
  };
  try {
    createSecureContext(connect);
  } catch (error) {
    // OpenSSL's message names the failure (bad decrypt, key mismatch), never the key.
    throw new TypeError(
      `mtlsFetch: cert, key${passphrase === undefined ? '' : ', passphrase'}${ca === undefined ? '' : ' or ca'} cannot be used for TLS (${(error as Error).message})`,
    );
  }
  let agent: Promise<Agent> | undefined;
  const dispatcher = (): Promise<Agent> => {
    agent ??= import('undici').then(
      (undici) => new undici.Agent({ connect }),
      (error: unknown) => {
        agent = undefined;
        throw new TypeError('mtlsFetch needs the undici package (^7) installed', { cause: error });
      },
    );
    return agent;
  };
  const send = async (input: string | URL | Request, init?: RequestInit): Promise<Response> =>
    fetch(input, { ...init, dispatcher: await dispatcher() } as RequestInit);
  const close = async (): Promise<void> => {
    if (agent) await (await agent).close();
  };
  const summary = () => ({
    cert: 'set',
    key: 'set',
    passphrase: presence(passphrase),
    ca: presence(ca),
  });
  return redacted('mtlsFetch', summary, Object.assign(send, { close }));
}

function checkPem(name: string, value: unknown, required: boolean): void {
  if (value === undefined && !required) return;
  const items = Array.isArray(value) ? value : [value];
  const usable =
    items.length > 0 &&
    items.every(
      (item) =>
        (typeof item === 'string' && item !== '') ||
        (item instanceof Uint8Array && item.length > 0),
    );
  if (!usable)
    throw new TypeError(`mtlsFetch: ${name} must be PEM text or bytes (or a list of them)`);
}
