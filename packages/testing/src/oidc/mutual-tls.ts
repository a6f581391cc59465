import { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import type { ClientMetadata, Configuration, KoaContextWithOIDC } from 'oidc-provider';

/** A client of the mTLS listener (RFC 8705). */
export interface MutualTlsClient {
  clientId: string;
  /**
   * How it authenticates: `tls_client_auth` (a CA-issued certificate whose subject is
   * `subjectDn`), `self_signed_tls_client_auth` (a certificate in `jwks`), or a secret
   * (`client_secret_basic` with `clientSecret`, e.g. to ask for certificate-bound tokens only).
   */
  authMethod: 'tls_client_auth' | 'self_signed_tls_client_auth' | 'client_secret_basic';
  /** `tls_client_auth_subject_dn`: the subject distinguished name of its certificate. */
  subjectDn?: string;
  /** The keys of a self-signed client: JWKs with `x5c` (see `TestCertificate.jwk`). */
  jwks?: { keys: Record<string, unknown>[] };
  clientSecret?: string;
  /** `tls_client_certificate_bound_access_tokens` (RFC 8705 §3.4). Default false. */
  certificateBoundTokens?: boolean;
  /** The grant types it may use. Default `['client_credentials']`. */
  grantTypes?: readonly string[];
}

/** Settings of the test bed's mTLS listener. */
export interface MutualTlsOptions {
  /** The listener's certificate for 127.0.0.1 (PEM). */
  server: { cert: string; key: string };
  /** The CA whose certificates `tls_client_auth` accepts as verified (PEM). */
  caCert: string;
  /** The clients registered for it, beside the test bed's own. */
  clients: readonly MutualTlsClient[];
}

/** The endpoints on the mTLS listener, as `mtls_endpoint_aliases` publishes them. */
export interface MutualTlsEndpoints {
  /** `https://127.0.0.1:<port>` */
  url: string;
  tokenUrl: string;
  revocationUrl: string;
  deviceAuthorizationUrl: string;
  introspectionUrl: string;
}

/** The aliases of the endpoints a client calls directly, on the listener at `url`. */
export function mutualTlsEndpoints(url: string): MutualTlsEndpoints {
  return {
    url,
    tokenUrl: `${url}/token`,
    revocationUrl: `${url}/token/revocation`,
    deviceAuthorizationUrl: `${url}/device/auth`,
    introspectionUrl: `${url}/token/introspection`,
  };
}

/**
 * Turns oidc-provider's `features.mTLS` on (both client authentication methods and
 * certificate-bound tokens), reading the client certificate from the TLS socket, and
 * publishes `mtls_endpoint_aliases` (RFC 8705 §5) pointing at the mTLS listener.
 *
 * @param configuration - The test bed's configuration, changed in place.
 * @param endpoints - The listener's endpoints.
 */
export function enableMutualTls(configuration: Configuration, endpoints: MutualTlsEndpoints): void {
  configuration.clientAuthMethods = [
    'client_secret_basic',
    'client_secret_post',
    'private_key_jwt',
    'none',
    'tls_client_auth',
    'self_signed_tls_client_auth',
  ];
  configuration.discovery = {
    ...configuration.discovery,
    mtls_endpoint_aliases: {
      token_endpoint: endpoints.tokenUrl,
      revocation_endpoint: endpoints.revocationUrl,
      device_authorization_endpoint: endpoints.deviceAuthorizationUrl,
      introspection_endpoint: endpoints.introspectionUrl,
    },
  };
  configuration.features = {
    ...configuration.features,
    mTLS: {
      enabled: true,
      certificateBoundAccessTokens: true,
      tlsClientAuth: true,
      selfSignedTlsClientAuth: true,
      getCertificate: (ctx) => peerCertificate(ctx)?.toString(),
      certificateAuthorized: (ctx) => (ctx.socket as TLSSocket).authorized === true,
      certificateSubjectMatches: (ctx, property, expected) =>
        property === 'tls_client_auth_subject_dn' &&
        normalisedDn(peerCertificate(ctx)?.subject ?? '') === normalisedDn(expected),
    },
  };
}

/** The oidc-provider registrations of the mTLS clients. */
export function mutualTlsClientMetadata(clients: readonly MutualTlsClient[]): ClientMetadata[] {
  return clients.map((client) => ({
    client_id: client.clientId,
    token_endpoint_auth_method: client.authMethod,
    ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
    ...(client.subjectDn ? { tls_client_auth_subject_dn: client.subjectDn } : {}),
    ...(client.jwks ? { jwks: client.jwks as ClientMetadata['jwks'] } : {}),
    tls_client_certificate_bound_access_tokens: client.certificateBoundTokens === true,
    grant_types: [...(client.grantTypes ?? ['client_credentials'])],
    response_types: [],
    redirect_uris: [],
  }));
}

/** The certificate of the TLS connection the request came on; none on plain HTTP. */
function peerCertificate(ctx: KoaContextWithOIDC): X509Certificate | undefined {
  const socket = ctx.socket as Partial<TLSSocket>;
  const raw = socket.getPeerCertificate?.()?.raw;
  return raw ? new X509Certificate(raw) : undefined;
}

/** A DN's attributes in a fixed order: `CN=a, O=b` and Node's `O=b\nCN=a` compare equal. */
function normalisedDn(dn: string): string {
  return dn
    .split(/,\s*|\n/)
    .map((part) => part.trim())
    .filter(Boolean)
    .sort()
    .join(',');
}
