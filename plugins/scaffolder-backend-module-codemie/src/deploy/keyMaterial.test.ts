import crypto from 'node:crypto';
import { natsAccountKey, selfSignedCertificate } from './keyMaterial';

describe('key material', () => {
  it('makes a self-signed certificate that verifies, matches its key and names the hosts', () => {
    const { certificatePem, privateKeyPem } = selfSignedCertificate(
      'elasticsearch-master',
      ['elasticsearch-master', '*.elasticsearch-master-headless'],
    );
    const cert = new crypto.X509Certificate(certificatePem);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.checkPrivateKey(crypto.createPrivateKey(privateKeyPem))).toBe(
      true,
    );
    expect(cert.ca).toBe(true);
    expect(cert.subjectAltName).toBe(
      'DNS:elasticsearch-master, DNS:*.elasticsearch-master-headless',
    );
    expect(
      new Date(cert.validTo).getUTCFullYear() - new Date().getUTCFullYear(),
    ).toBe(10);
  });

  it('makes NATS account nkeys in the nkeys encoding (SA… seed, A… public key)', () => {
    const { seed, publicKey } = natsAccountKey();
    expect(seed).toMatch(/^SA[A-Z2-7]{56}$/);
    expect(publicKey).toMatch(/^A[A-Z2-7]{55}$/);
    expect(natsAccountKey().seed).not.toBe(seed);
  });
});
