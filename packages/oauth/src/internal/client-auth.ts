import * as oauth from 'oauth4webapi';
import type {
  ClientAssertionAlgorithm,
  ClientAuthMethod,
  ClientOptions,
} from '../endpoint-options.js';
import { credentialTag } from './hash.js';
import { requiredString } from './options.js';
import { presence } from './redaction.js';

const METHODS: readonly ClientAuthMethod[] = [
  'client_secret_basic',
  'client_secret_post',
  'private_key_jwt',
  'none',
];

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
 * A client's resolved authentication: oauth4webapi does the mechanics (Basic with the
 * RFC 6749 §2.3.1 form-urlencoding of id and secret, `client_secret_post`, RFC 7523
 * assertions, `none`); this checks the settings up front and imports a PEM key once.
 */
export class ClientAuthentication {
  readonly clientId: string;
  readonly method: ClientAuthMethod;
  /** A tag of the credential for cache keys (never the credential). */
  readonly credentialTag: string;
  readonly #secret: string | undefined;
  readonly #privateKey: CryptoKey | string | undefined;
  readonly #keyId: string | undefined;
  readonly #algorithm: ClientAssertionAlgorithm;
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
      (options.privateKey !== undefined
        ? 'private_key_jwt'
        : options.clientSecret !== undefined
          ? 'client_secret_basic'
          : 'none');
    if (!METHODS.includes(method))
      throw new TypeError(`${owner}: authMethod must be one of ${METHODS.join(', ')}`);
    const usesSecret = method === 'client_secret_basic' || method === 'client_secret_post';
    if (usesSecret)
      requiredString(owner, `clientSecret (authMethod ${method})`, options.clientSecret);
    if (!usesSecret && options.clientSecret !== undefined)
      throw new TypeError(`${owner}: clientSecret conflicts with authMethod ${method}`);
    if (method === 'private_key_jwt' && !options.privateKey)
      throw new TypeError(`${owner} needs privateKey (authMethod private_key_jwt)`);
    if (method !== 'private_key_jwt' && options.privateKey !== undefined)
      throw new TypeError(`${owner}: privateKey conflicts with authMethod ${method}`);
    if (typeof options.privateKey === 'string' && !isPkcs8Pem(options.privateKey))
      throw new TypeError(
        `${owner}: privateKey must be a CryptoKey or PKCS #8 PEM ("BEGIN PRIVATE KEY")`,
      );
    this.method = method;
    this.#secret = options.clientSecret;
    this.#privateKey = options.privateKey;
    this.#keyId = options.keyId;
    this.#algorithm = options.signingAlgorithm ?? 'ES256';
    if (!(this.#algorithm in IMPORT_PARAMS))
      throw new TypeError(
        `${owner}: signingAlgorithm must be one of ${Object.keys(IMPORT_PARAMS).join(', ')}`,
      );
    const keyMaterial = typeof options.privateKey === 'string' ? options.privateKey : options.keyId;
    this.credentialTag = credentialTag(this.clientId, method, options.clientSecret, keyMaterial);
  }

  /** The oauth4webapi client and its authentication. */
  async resolve(): Promise<{ client: oauth.Client; auth: oauth.ClientAuth }> {
    const client: oauth.Client = { client_id: this.clientId };
    switch (this.method) {
      case 'client_secret_basic':
        return { client, auth: oauth.ClientSecretBasic(this.#secret!) };
      case 'client_secret_post':
        return { client, auth: oauth.ClientSecretPost(this.#secret!) };
      case 'private_key_jwt': {
        const key = await this.#signingKey();
        return { client, auth: oauth.PrivateKeyJwt({ key, kid: this.#keyId }) };
      }
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
      authMethod: this.method,
      clientSecret: presence(this.#secret),
      privateKey: presence(this.#privateKey),
      keyId: this.#keyId,
    };
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

async function importPkcs8(
  pem: string,
  algorithm: EcKeyImportParams | RsaHashedImportParams | Algorithm,
): Promise<CryptoKey> {
  const base64 = pem.replace(/-----(BEGIN|END) PRIVATE KEY-----/g, '').replace(/\s+/g, '');
  const der = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
  return crypto.subtle.importKey('pkcs8', der, algorithm, false, ['sign']);
}

/** Whether `pem` is one PKCS #8 block whose body is Base64: checked at construction, imported on first use. */
function isPkcs8Pem(pem: string): boolean {
  const body = /-----BEGIN PRIVATE KEY-----([\s\S]+?)-----END PRIVATE KEY-----/.exec(pem)?.[1];
  if (body === undefined) return false;
  try {
    return atob(body.replace(/\s+/g, '')).length > 0;
  } catch {
    return false;
  }
}
