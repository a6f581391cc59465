import { randomBytes } from 'node:crypto';
import { exportJWK, exportPKCS8, generateKeyPair, type JWK } from 'jose';
import type { ClientMetadata } from 'oidc-provider';

/** The grant type URNs the test bed registers beside the built-in ones. */
export const GRANT_TYPES = {
  password: 'password',
  deviceCode: 'urn:ietf:params:oauth:grant-type:device_code',
  tokenExchange: 'urn:ietf:params:oauth:grant-type:token-exchange',
  jwtBearer: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
} as const;

/** A confidential client authenticated with a shared secret. */
export interface SecretClient {
  clientId: string;
  clientSecret: string;
}

/** A client authenticated with a signed JWT (RFC 7523 `private_key_jwt`). */
export interface KeyClient {
  clientId: string;
  /** The ES256 private key, as a `CryptoKey` (usable for signing). */
  privateKey: CryptoKey;
  /** The same key as PKCS #8 PEM. */
  privateKeyPem: string;
  /** The `kid` registered with the provider. */
  keyId: string;
}

/** A public client (`token_endpoint_auth_method: none`). */
export interface PublicClient {
  clientId: string;
}

/** Every client registered with the test bed, with its credentials. */
export interface TestClients {
  /** client_credentials, `client_secret_basic`. */
  basic: SecretClient;
  /** client_credentials, `client_secret_post`. */
  post: SecretClient;
  /** client_credentials, `private_key_jwt`. */
  privateKeyJwt: KeyClient;
  /** client_credentials, `none` (a public client). */
  publicMachine: PublicClient;
  /**
   * client_credentials, `client_secret_basic`, with `:`, `+`, `%` and spaces in id and
   * secret (RFC 6749 §2.3.1). No non-ASCII: oidc-provider enforces RFC 6749 Appendix A
   * (`VSCHAR`, %x20-7E) on both and refuses anything else.
   */
  awkward: SecretClient;
  /** password, refresh_token, token exchange and JWT bearer grants, `client_secret_basic`. */
  user: SecretClient;
  /** Device authorization grant and refresh tokens, public. */
  device: PublicClient;
  /** Authorization code + PKCE and refresh tokens, public native client with a loopback redirect. */
  native: PublicClient & { redirectUri: string };
}

/** Keys the test bed holds: its own signing keys and the trusted JWT-bearer assertion issuer. */
export interface TestKeys {
  /** The provider's private signing keys (JWKS). */
  providerJwks: { keys: JWK[] };
  /** Who may issue JWT-bearer assertions (`iss`), and the key they sign with. */
  assertionIssuer: { issuer: string; privateKey: CryptoKey; publicKey: CryptoKey; keyId: string };
}

const secret = (label: string) => `${label}-secret-${randomBytes(12).toString('hex')}`;

/**
 * Generates fresh clients and keys for one test bed.
 *
 * @returns The clients (with credentials), their oidc-provider metadata, and the keys.
 */
export async function createTestClients(): Promise<{
  clients: TestClients;
  metadata: ClientMetadata[];
  keys: TestKeys;
}> {
  const clientKey = await generateKeyPair('ES256', { extractable: true });
  const clientPublicJwk = {
    ...(await exportJWK(clientKey.publicKey)),
    kid: 'client-key-1',
    alg: 'ES256',
    use: 'sig',
  };
  const signingKey = await generateKeyPair('RS256', { extractable: true });
  const assertionKey = await generateKeyPair('ES256', { extractable: true });

  const clients: TestClients = {
    basic: { clientId: 'machine-basic', clientSecret: secret('basic') },
    post: { clientId: 'machine-post', clientSecret: secret('post') },
    privateKeyJwt: {
      clientId: 'machine-jwt',
      privateKey: clientKey.privateKey,
      privateKeyPem: await exportPKCS8(clientKey.privateKey),
      keyId: 'client-key-1',
    },
    publicMachine: { clientId: 'machine-public' },
    awkward: {
      clientId: 'odd:client+id%20 x',
      clientSecret: `${secret('odd')}:+%20 /=`,
    },
    user: { clientId: 'user-app', clientSecret: secret('user') },
    device: { clientId: 'device-cli' },
    native: { clientId: 'native-cli', redirectUri: 'http://127.0.0.1/callback' },
  };

  const machineGrants = {
    grant_types: ['client_credentials'],
    response_types: [],
    redirect_uris: [],
  };
  const metadata: ClientMetadata[] = [
    {
      ...machineGrants,
      client_id: clients.basic.clientId,
      client_secret: clients.basic.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      ...machineGrants,
      client_id: clients.post.clientId,
      client_secret: clients.post.clientSecret,
      token_endpoint_auth_method: 'client_secret_post',
    },
    {
      ...machineGrants,
      client_id: clients.privateKeyJwt.clientId,
      token_endpoint_auth_method: 'private_key_jwt',
      token_endpoint_auth_signing_alg: 'ES256',
      jwks: { keys: [clientPublicJwk] },
    },
    {
      ...machineGrants,
      client_id: clients.publicMachine.clientId,
      token_endpoint_auth_method: 'none',
    },
    {
      ...machineGrants,
      client_id: clients.awkward.clientId,
      client_secret: clients.awkward.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
    },
    {
      client_id: clients.user.clientId,
      client_secret: clients.user.clientSecret,
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: [
        'client_credentials',
        'refresh_token',
        GRANT_TYPES.password,
        GRANT_TYPES.tokenExchange,
        GRANT_TYPES.jwtBearer,
      ],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: clients.device.clientId,
      token_endpoint_auth_method: 'none',
      grant_types: [GRANT_TYPES.deviceCode, 'refresh_token'],
      response_types: [],
      redirect_uris: [],
    },
    {
      client_id: clients.native.clientId,
      token_endpoint_auth_method: 'none',
      application_type: 'native',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [clients.native.redirectUri],
    },
  ];

  const providerJwk = {
    ...(await exportJWK(signingKey.privateKey)),
    kid: 'provider-key-1',
    alg: 'RS256',
    use: 'sig',
  };
  return {
    clients,
    metadata,
    keys: {
      providerJwks: { keys: [providerJwk] },
      assertionIssuer: {
        issuer: 'https://assertions.test',
        privateKey: assertionKey.privateKey,
        publicKey: assertionKey.publicKey,
        keyId: 'assertion-key-1',
      },
    },
  };
}
