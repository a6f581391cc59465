import { AuthError } from '@auth/core';
import { fingerprint, fromBase64, presence } from '@auth/core/internal';
import * as oauth from 'oauth4webapi';
import type {
  ClientAssertionAlgorithm,
  ClientAuthMethod,
  ClientOptions,
} from '../endpoint-options.js';
import type { EndpointName } from './authorization-server.js';
import { basicMustEncode, clientSecretBasic } from './basic-credentials.js';
import { requiredString } from './options.js';

const METHODS: readonly ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'tls_client_auth',
  'self_signed_tls_client_auth',
  'none',
];

/** RFC 7523 §2.2: the `client_assertion_type` of a JWT client assertion. */
const JWT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

const IMPORT_PARAMS: Record<
  ClientAssertionAlgorithm,
  EcKeyImportParams | RsaHashedImportParams | Algorithm
> = {
  ES256: { name: 'ECDSA', namedCurve: 'P-256' },
  RS256: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
  PS256: { name: 'RSA-PSS', hash: 'SHA-256' },
  EdDSA: { name: 'Ed25519' },
};

/**
 * A client's authentication: oauth4webapi does the mechanics (`client_secret_post`, RFC 7523
 * assertions, `none`), {@link clientSecretBasic} does Basic (oauth4webapi's encodes `-`, `.`,
 * `_` and `~` too, which servers that do not form-decode Basic refuse); this checks the
 * settings up front, imports a PEM key once, and, when no `authMethod` was given for a client
 * secret, picks the method the server supports and falls back from a refused Basic to
 * `client_secret_post`, remembering what worked per endpoint (golang.org/x/oauth2's
 * `AuthStyleAutoDetect`).
 */
export class ClientAuthentication {
  readonly clientId: string;
  /** The method given or defaulted to; requests may use another (see {@link methodFor}). */
  readonly method: ClientAuthMethod;
  /**
   * Whether requests go over mutual TLS (RFC 8705): a `tls_client_auth` method or
   * `certificateBoundTokens`; they then use the server's `mtls_endpoint_aliases`.
   */
  readonly mutualTls: boolean;
  /** The method when it is a TLS client authentication method (RFC 8705 §2), else undefined. */
  readonly tlsMethod: 'tls_client_auth' | 'self_signed_tls_client_auth' | undefined;
  /** Whether the client asked for certificate-bound access tokens. */
  readonly certificateBoundTokens: boolean;
  /** The credential's fingerprint, for cache keys (never the credential). */
  readonly fingerprint: string;
  /** Whether the method may be chosen per server (a secret without an explicit `authMethod`). */
  readonly #automatic: boolean;
  /** The method settled on per endpoint URL, when the method is automatic. */
  readonly #settled = new Map<string, ClientAuthMethod>();
  readonly #secret: string | undefined;
  readonly #privateKey: CryptoKey | string | undefined;
  readonly #keyId: string | undefined;
  readonly #algorithm: ClientAssertionAlgorithm;
  readonly #audience: string;
  readonly #clientAssertion: (() => string | Promise<string>) | undefined;
  #imported: Promise<CryptoKey> | undefined;

  /**
   * @param owner - The provider's name, for errors.
   * @param options - The client settings.
   * @throws {TypeError} A missing client id, an unknown method, a missing credential for
   *   the method, or a credential the method does not use (conflicting settings).
   */
  constructor(owner: string, options: ClientOptions) {
    this.clientId = requiredString(owner, 'clientId', options.clientId);
    const method =
      options.authMethod ??
      (options.privateKey !== undefined || options.clientAssertion !== undefined
        ? 'private_key_jwt'
        : options.clientSecret !== undefined
          ? 'client_secret_basic'
          : 'none');
    if (!METHODS.includes(method))
      throw new TypeError(`${owner}: authMethod must be one of ${METHODS.join(', ')}`);
    checkClientAssertion(owner, method, options);
    const usesSecret = method === 'client_secret_basic' || method === 'client_secret_post';
    if (usesSecret)
      requiredString(owner, `clientSecret (authMethod ${method})`, options.clientSecret);
    if (!usesSecret && options.clientSecret !== undefined)
      throw new TypeError(`${owner}: clientSecret conflicts with authMethod ${method}`);
    if (method === 'private_key_jwt' && !options.privateKey && !options.clientAssertion)
      throw new TypeError(
        `${owner} needs privateKey or clientAssertion (authMethod private_key_jwt)`,
      );
    if (method !== 'private_key_jwt' && options.privateKey !== undefined)
      throw new TypeError(`${owner}: privateKey conflicts with authMethod ${method}`);
    if (typeof options.privateKey === 'string' && !isPkcs8Pem(options.privateKey))
      throw new TypeError(
        `${owner}: privateKey must be a CryptoKey or PKCS #8 PEM ("BEGIN PRIVATE KEY")`,
      );
    const audience = options.assertionAudience ?? 'token_endpoint';
    if (typeof audience !== 'string' || audience === '')
      throw new TypeError(
        `${owner}: assertionAudience must be 'token_endpoint', 'issuer' or an audience string`,
      );
    if (options.assertionAudience !== undefined && method !== 'private_key_jwt')
      throw new TypeError(`${owner}: assertionAudience applies only to private_key_jwt`);
    if (
      options.certificateBoundTokens !== undefined &&
      typeof options.certificateBoundTokens !== 'boolean'
    )
      throw new TypeError(`${owner}: certificateBoundTokens must be true or false`);
    this.certificateBoundTokens = options.certificateBoundTokens === true;
    this.tlsMethod =
      method === 'tls_client_auth' || method === 'self_signed_tls_client_auth' ? method : undefined;
    this.mutualTls = this.tlsMethod !== undefined || this.certificateBoundTokens;
    this.method = method;
    this.#automatic = options.authMethod === undefined && usesSecret;
    this.#secret = options.clientSecret;
    this.#privateKey = options.privateKey;
    this.#keyId = options.keyId;
    this.#algorithm = options.signingAlgorithm ?? 'ES256';
    this.#audience = audience;
    this.#clientAssertion = options.clientAssertion;
    if (!(this.#algorithm in IMPORT_PARAMS))
      throw new TypeError(
        `${owner}: signingAlgorithm must be one of ${Object.keys(IMPORT_PARAMS).join(', ')}`,
      );
    // An outside assertion rotates: only that one is used (not its value) tells the key apart.
    const keyMaterial =
      options.clientAssertion !== undefined
        ? 'client_assertion'
        : typeof options.privateKey === 'string'
          ? options.privateKey
          : options.keyId;
    this.fingerprint = fingerprint([this.clientId, method, options.clientSecret, keyMaterial]);
  }

  /**
   * The method of a request to `endpoint`: the explicit or defaulted one, or, when it is
   * automatic, what was settled there before, else what the server's metadata lists for the
   * endpoint (`revocation_endpoint_auth_methods_supported`, …, else
   * `token_endpoint_auth_methods_supported`), preferring `client_secret_post` when Basic would
   * have to change the id or secret (servers that do not form-decode Basic would read other
   * values), else `client_secret_basic` (also when the metadata lists no methods: RFC 8414's
   * default).
   *
   * @param as - The server's metadata.
   * @param endpoint - Which endpoint the request goes to.
   */
  methodFor(as: oauth.AuthorizationServer, endpoint: EndpointName): ClientAuthMethod {
    if (!this.#automatic) return this.method;
    const settled = this.#settled.get(String(as[endpoint]));
    if (settled) return settled;
    const listed =
      (as as Record<string, unknown>)[`${endpoint}_auth_methods_supported`] ??
      as.token_endpoint_auth_methods_supported;
    // Without a list, RFC 8414 §2's default: Basic (refused, it falls back to post).
    if (!Array.isArray(listed) || !listed.includes('client_secret_post'))
      return 'client_secret_basic';
    const encoded = basicMustEncode(this.clientId) || basicMustEncode(this.#secret!);
    return encoded || !listed.includes('client_secret_basic')
      ? 'client_secret_post'
      : 'client_secret_basic';
  }

  /**
   * The method to try once more after `refused` was refused at `endpoint`:
   * `client_secret_post` after an automatically chosen Basic that was not settled there
   * before, else none. Trying it settles the endpoint on post, whatever it answers, so a
   * client makes at most one extra request per endpoint in its lifetime (a wrong secret is not
   * sent twice on every request, nor a refresh token or code).
   *
   * @param as - The server's metadata.
   * @param endpoint - The endpoint that refused.
   * @param refused - The method it refused.
   */
  fallbackAfter(
    as: oauth.AuthorizationServer,
    endpoint: EndpointName,
    refused: ClientAuthMethod,
  ): ClientAuthMethod | undefined {
    const url = String(as[endpoint]);
    if (!this.#automatic || refused !== 'client_secret_basic' || this.#settled.has(url))
      return undefined;
    this.#settled.set(url, 'client_secret_post');
    return 'client_secret_post';
  }

  /** Settles `endpoint` on `method` once the server has read the credentials (automatic methods only). */
  settle(as: oauth.AuthorizationServer, endpoint: EndpointName, method: ClientAuthMethod): void {
    if (this.#automatic) this.#settled.set(String(as[endpoint]), method);
  }

  /**
   * The oauth4webapi client and its authentication.
   *
   * @param as - The server's metadata (the assertion audience comes from it).
   * @param method - The method, from {@link methodFor}.
   */
  async resolve(
    as: oauth.AuthorizationServer,
    method: ClientAuthMethod,
  ): Promise<{ client: oauth.Client; auth: oauth.ClientAuth }> {
    const client: oauth.Client = { client_id: this.clientId };
    switch (method) {
      case 'client_secret_basic':
        return { client, auth: clientSecretBasic(this.#secret!) };
      case 'client_secret_post':
        return { client, auth: oauth.ClientSecretPost(this.#secret!) };
      case 'private_key_jwt': {
        if (this.#clientAssertion !== undefined)
          return { client, auth: outsideAssertion(this.#clientAssertion) };
        const key = await this.#signingKey();
        const aud = this.#assertionAudience(as);
        return {
          client,
          auth: oauth.PrivateKeyJwt(
            { key, kid: this.#keyId },
            {
              [oauth.modifyAssertion]: (_header, payload) => {
                payload.aud = aud;
              },
            },
          ),
        };
      }
      case 'tls_client_auth':
      case 'self_signed_tls_client_auth':
        return { client, auth: oauth.TlsClientAuth() };
      case 'none':
        return { client, auth: oauth.None() };
    }
  }

  /** The client secret, for redacting it from server text; never shown. */
  get secret(): string | undefined {
    return this.#secret;
  }

  /** The settings a status screen may show. */
  describe(): Record<string, string | undefined> {
    return {
      clientId: this.clientId,
      authMethod: this.#automatic ? 'automatic' : this.method,
      clientSecret: presence(this.#secret),
      privateKey: presence(this.#privateKey),
      ...(this.#clientAssertion === undefined ? {} : { clientAssertion: 'set' }),
      keyId: this.#keyId,
      certificateBoundTokens: this.certificateBoundTokens ? 'true' : undefined,
    };
  }

  #assertionAudience(as: oauth.AuthorizationServer): string {
    if (this.#audience === 'issuer') return as.issuer;
    if (this.#audience === 'token_endpoint') return as.token_endpoint ?? as.issuer;
    return this.#audience;
  }

  #signingKey(): Promise<CryptoKey> {
    const key = this.#privateKey!;
    if (typeof key !== 'string') return Promise.resolve(key);
    this.#imported ??= importPkcs8(key, IMPORT_PARAMS[this.#algorithm]).catch((error: unknown) => {
      this.#imported = undefined;
      throw new TypeError(`privateKey could not be imported as ${this.#algorithm} PKCS #8`, {
        cause: error,
      });
    });
    return this.#imported;
  }
}

/**
 * Checks `clientAssertion` against the other settings: a function, only with
 * `private_key_jwt`, and instead of the settings of a key this client would sign with.
 *
 * @throws {TypeError} Naming the conflict.
 */
function checkClientAssertion(
  owner: string,
  method: ClientAuthMethod,
  options: ClientOptions,
): void {
  if (options.clientAssertion === undefined) return;
  if (typeof options.clientAssertion !== 'function')
    throw new TypeError(`${owner}: clientAssertion must be a function returning the assertion`);
  if (method !== 'private_key_jwt')
    throw new TypeError(`${owner}: clientAssertion conflicts with authMethod ${method}`);
  for (const name of ['privateKey', 'keyId', 'signingAlgorithm', 'assertionAudience'] as const)
    if (options[name] !== undefined)
      throw new TypeError(
        `${owner}: ${name} conflicts with clientAssertion (the assertion is made elsewhere)`,
      );
}

/**
 * oauth4webapi's client authentication with an assertion made elsewhere (RFC 7521 §4.2):
 * `client_id`, `client_assertion_type` and the value `assertion` returns now (called per
 * request; the token client's redactor reads it from the body before it is sent).
 *
 * @throws {AuthError} `assertion` threw (its error is the `cause`), unless it threw an `AuthError`, passed on as it is.
 * @throws {TypeError} `assertion` returned no assertion.
 */
function outsideAssertion(assertion: () => string | Promise<string>): oauth.ClientAuth {
  return async (_as, client, body) => {
    let value: unknown;
    try {
      value = await assertion();
    } catch (error) {
      if (AuthError.isInstance(error)) throw error;
      throw new AuthError('clientAssertion failed to supply an assertion', 'auth_error', {
        cause: error,
      });
    }
    if (typeof value !== 'string' || value.trim() === '')
      throw new TypeError('clientAssertion returned no assertion (a non-empty string)');
    body.set('client_id', client.client_id);
    body.set('client_assertion_type', JWT_ASSERTION_TYPE);
    body.set('client_assertion', value.trim());
  };
}

async function importPkcs8(
  pem: string,
  algorithm: EcKeyImportParams | RsaHashedImportParams | Algorithm,
): Promise<CryptoKey> {
  const base64 = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '');
  return crypto.subtle.importKey('pkcs8', fromBase64(base64), algorithm, false, ['sign']);
}

/** Whether `pem` is one PKCS #8 block whose body is Base64: checked at construction, imported on first use. */
function isPkcs8Pem(pem: string): boolean {
  const body = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem)?.[1];
  if (body === undefined) return false;
  try {
    return fromBase64(body.replace(/\s+/g, '')).length > 0;
  } catch {
    return false;
  }
}
