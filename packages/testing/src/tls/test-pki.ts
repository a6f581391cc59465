import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A certificate and its private key, as Node's `tls` options take them. */
export interface TestCertificate {
  /** The certificate, PEM. */
  cert: string;
  /** Its private key, PKCS #8 PEM. */
  key: string;
  /** The subject distinguished name, RFC 4514 form (e.g. `CN=reporting, O=Example`). */
  subject: string;
  /** The SHA-256 thumbprint of the DER certificate, base64url: RFC 8705's `x5t#S256`. */
  thumbprint: string;
  /** The certificate as a JWK (EC P-256 public key with `x5c`), for client registrations. */
  jwk: Record<string, unknown>;
}

/** A throwaway certificate authority on loopback and the certificates it issues. */
export interface TestPki {
  /** The CA certificate, PEM: what servers and clients trust. */
  caCert: string;
  /** A server certificate for `127.0.0.1` and `localhost`, issued by the CA. */
  server: TestCertificate;
  /** Issues a client certificate (extended key usage `clientAuth`) for `subject`. */
  issueClient(subject: string): Promise<TestCertificate>;
  /** A self-signed client certificate for `subject`, issued by no CA (RFC 8705 §2.2). */
  selfSigned(subject: string): Promise<TestCertificate>;
}

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const VALIDITY_MS = 24 * 3600 * 1000;

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

/**
 * Creates a certificate authority, a server certificate for 127.0.0.1 and a way to issue
 * client certificates (EC P-256, valid one day from an hour ago), all in memory with Node's
 * Web Crypto and `@peculiar/x509`: no `openssl` binary needed.
 *
 * @returns The CA, its server certificate and the client certificate issuers.
 * @example
 * ```ts
 * const pki = await createTestPki();
 * const client = await pki.issueClient('CN=reporting, O=Example');
 * // https.createServer({ ...pki.server, ca: pki.caCert, requestCert: true }) …
 * ```
 */
export async function createTestPki(): Promise<TestPki> {
  const caKeys = await generateKeys();
  const caName = 'CN=auth test CA, O=auth tests';
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: caName,
    ...validity(),
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
        true,
      ),
    ],
  });

  async function issue(
    subject: string,
    usage: string,
    extra: x509.Extension[] = [],
  ): Promise<TestCertificate> {
    const keys = await generateKeys();
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serial(),
      subject,
      issuer: ca.subject,
      ...validity(),
      publicKey: keys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: ALGORITHM,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([usage]),
        ...extra,
      ],
    });
    return described(cert, keys);
  }

  return {
    caCert: ca.toString('pem'),
    server: await issue('CN=127.0.0.1', x509.ExtendedKeyUsage.serverAuth, [
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: 'localhost' },
      ]),
    ]),
    issueClient: (subject) => issue(subject, x509.ExtendedKeyUsage.clientAuth),
    async selfSigned(subject) {
      const keys = await generateKeys();
      const cert = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: serial(),
        name: subject,
        ...validity(),
        keys,
        signingAlgorithm: ALGORITHM,
        extensions: [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth])],
      });
      return described(cert, keys);
    },
  };
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify'])) as CryptoKeyPair;
}

function validity(): { notBefore: Date; notAfter: Date } {
  const now = Date.now();
  return { notBefore: new Date(now - 3600_000), notAfter: new Date(now + VALIDITY_MS) };
}

function serial(): string {
  return Buffer.from(webcrypto.getRandomValues(new Uint8Array(8))).toString('hex');
}

async function described(
  cert: x509.X509Certificate,
  keys: CryptoKeyPair,
): Promise<TestCertificate> {
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const der = Buffer.from(cert.rawData);
  const publicJwk = await webcrypto.subtle.exportKey('jwk', keys.publicKey);
  return {
    cert: cert.toString('pem'),
    key: `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n')}\n-----END PRIVATE KEY-----\n`,
    subject: cert.subject,
    thumbprint: createHash('sha256').update(der).digest('base64url'),
    jwk: {
      kty: publicJwk.kty,
      crv: publicJwk.crv,
      x: publicJwk.x,
      y: publicJwk.y,
      x5c: [der.toString('base64')],
    },
  };
}
