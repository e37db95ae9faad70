/**
 * TLS material for the emulated API servers: a CA per cluster (as each GKE cluster has its
 * own `masterAuth.clusterCaCertificate`) and a server certificate for 127.0.0.1 signed by it.
 *
 * node-forge builds the certificates, but its pure-JavaScript RSA is slow (seconds per
 * signature under jest), so keys come from Node's native generator and signatures from Node's
 * native RSA (PKCS#1 v1.5 over the DigestInfo, which is exactly what forge would compute). The
 * two key pairs are made once per process; each cluster still gets its own CA *certificate*
 * (own subject and serial), so a client that trusts one cluster's CA does not trust another's.
 */
import {
  KeyObject,
  constants,
  generateKeyPairSync,
  privateEncrypt,
  randomBytes,
} from 'node:crypto';
import forge from 'node-forge';

/** PEM-encoded TLS material for one server. */
export interface ServerTls {
  caCertificatePem: string;
  certificatePem: string;
  privateKeyPem: string;
}

interface KeyPair {
  publicKey: forge.pki.PublicKey;
  privateKey: KeyObject;
  privateKeyPem: string;
}

let keys: { ca: KeyPair; server: KeyPair } | undefined;

function keyPair(): KeyPair {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKey: forge.pki.publicKeyFromPem(
      pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    ),
    privateKey: pair.privateKey,
    privateKeyPem: pair.privateKey
      .export({ type: 'pkcs1', format: 'pem' })
      .toString(),
  };
}

function keyPairs() {
  keys ??= { ca: keyPair(), server: keyPair() };
  return keys;
}

/** ASN.1 DigestInfo prefix for SHA-256 (RFC 8017, section 9.2). */
const SHA256_DIGEST_INFO = Buffer.from(
  '3031300d060960864801650304020105000420',
  'hex',
);

/** A forge-compatible signer backed by Node's native RSA. */
function nativeSigner(privateKey: KeyObject) {
  return {
    sign(md: forge.md.MessageDigest): string {
      const digest = Buffer.from(md.digest().getBytes(), 'binary');
      const signature = privateEncrypt(
        { key: privateKey, padding: constants.RSA_PKCS1_PADDING },
        Buffer.concat([SHA256_DIGEST_INFO, digest]),
      );
      return signature.toString('binary');
    },
  } as unknown as forge.pki.rsa.PrivateKey;
}

function serial(): string {
  // DER INTEGER: positive (top bit clear) and minimal (no leading zero byte), or OpenSSL
  // rejects the certificate with "illegal padding".
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x01;
  return bytes.toString('hex');
}

/** Generates a CA named after the cluster and a server certificate for 127.0.0.1/localhost. */
export function generateServerTls(clusterName: string): ServerTls {
  const { ca, server } = keyPairs();
  const notBefore = new Date(Date.now() - 60 * 60 * 1000);
  const notAfter = new Date(Date.now() + 365 * 24 * 60 * 60 * 1000);
  const unique = randomBytes(4).toString('hex');

  const caCert = forge.pki.createCertificate();
  caCert.publicKey = ca.publicKey;
  caCert.serialNumber = serial();
  caCert.validity.notBefore = notBefore;
  caCert.validity.notAfter = notAfter;
  const caSubject = [
    { name: 'commonName', value: `${clusterName}-sandbox-ca-${unique}` },
  ];
  caCert.setSubject(caSubject);
  caCert.setIssuer(caSubject);
  caCert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    {
      name: 'keyUsage',
      keyCertSign: true,
      cRLSign: true,
      digitalSignature: true,
      critical: true,
    },
    { name: 'subjectKeyIdentifier' },
  ]);
  caCert.sign(nativeSigner(ca.privateKey), forge.md.sha256.create());

  const cert = forge.pki.createCertificate();
  cert.publicKey = server.publicKey;
  cert.serialNumber = serial();
  cert.validity.notBefore = notBefore;
  cert.validity.notAfter = notAfter;
  cert.setSubject([{ name: 'commonName', value: 'kube-apiserver' }]);
  cert.setIssuer(caSubject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    {
      name: 'keyUsage',
      digitalSignature: true,
      keyEncipherment: true,
      critical: true,
    },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
        { type: 2, value: 'kubernetes.default.svc' },
      ],
    },
    {
      name: 'authorityKeyIdentifier',
      keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes(),
    },
  ]);
  cert.sign(nativeSigner(ca.privateKey), forge.md.sha256.create());

  return {
    caCertificatePem: forge.pki.certificateToPem(caCert),
    certificatePem: forge.pki.certificateToPem(cert),
    privateKeyPem: server.privateKeyPem,
  };
}
