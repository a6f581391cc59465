import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestPki, type TestPki } from './test-pki.js';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki();
}, 60_000);

describe('createTestPki', () => {
  it('issues a server certificate for 127.0.0.1 signed by its CA', () => {
    const ca = new X509Certificate(pki.caCert);
    const server = new X509Certificate(pki.server.cert);
    expect(ca.ca).toBe(true);
    expect(server.checkIssued(ca)).toBe(true);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(server.checkPrivateKey(createPrivateKey(pki.server.key))).toBe(true);
  });

  it('issues client certificates of the given subject with the clientAuth usage, and a matching x5t#S256 and JWK', async () => {
    const client = await pki.issueClient('CN=reporting, O=Example');
    const cert = new X509Certificate(client.cert);
    expect(cert.checkIssued(new X509Certificate(pki.caCert))).toBe(true);
    expect(cert.subject.split('\n').sort()).toEqual(['CN=reporting', 'O=Example']);
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.2');
    expect(client.thumbprint).toBe(createHash('sha256').update(cert.raw).digest('base64url'));
    expect(client.jwk.x5c).toEqual([cert.raw.toString('base64')]);
    expect(client.jwk).not.toHaveProperty('d');
  });

  it('makes self-signed client certificates that no CA issued', async () => {
    const self = new X509Certificate((await pki.selfSigned('CN=self')).cert);
    expect(self.checkIssued(self)).toBe(true);
    expect(self.checkIssued(new X509Certificate(pki.caCert))).toBe(false);
  });
});
