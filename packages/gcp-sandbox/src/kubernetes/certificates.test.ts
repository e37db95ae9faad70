import { X509Certificate } from 'node:crypto';
import { generateServerTls } from './certificates';

describe('generateServerTls', () => {
  it('issues a fresh CA per cluster and a 127.0.0.1 certificate it verifies', () => {
    for (let i = 0; i < 50; i++) {
      const tls = generateServerTls(`cluster-${i}`);
      const ca = new X509Certificate(tls.caCertificatePem);
      const cert = new X509Certificate(tls.certificatePem);
      expect(ca.ca).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(cert.checkIssued(ca)).toBe(true);
    }
    const a = new X509Certificate(generateServerTls('a').caCertificatePem);
    const b = new X509Certificate(generateServerTls('b').caCertificatePem);
    expect(a.subject).not.toBe(b.subject);
  });
});
