/**
 * Key material generated for an environment, with Node's crypto only: a self-signed X.509
 * certificate (Elasticsearch transport TLS) and a NATS account nkey. Pure apart from the
 * randomness.
 */
import crypto from 'node:crypto';

// ---- minimal DER writer (just what a certificate needs) ----

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
const tlv = (tag: number, content: Buffer) =>
  Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const seq = (...parts: Buffer[]) => tlv(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]) => tlv(0x31, Buffer.concat(parts));
const explicit = (n: number, content: Buffer) => tlv(0xa0 + n, content);
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const octets = (content: Buffer) => tlv(0x04, content);
const bitString = (content: Buffer) =>
  tlv(0x03, Buffer.concat([Buffer.from([0]), content]));
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));

function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && (b[1] & 0x80) === 0) b = b.subarray(1);
  return tlv(0x02, b[0] & 0x80 ? Buffer.concat([Buffer.from([0]), b]) : b);
}

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128))
      chunk.unshift((v & 0x7f) | 0x80);
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}

function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDHHMMSS
  return date.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tlv(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}

const OID = {
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  commonName: '2.5.4.3',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
};

const name = (cn: string) => seq(set(seq(oid(OID.commonName), utf8(cn))));
const extension = (id: string, critical: boolean, value: Buffer) =>
  seq(oid(id), ...(critical ? [bool(true)] : []), octets(value));

/** A certificate and its key, PEM. @internal */
export interface CertificateAndKey {
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * A self-signed ECDSA P-256 certificate that is its own CA, for TLS between the nodes of one
 * cluster (Elasticsearch's transport layer with `verification_mode: certificate` trusts it as
 * the only authority). Valid for ten years.
 *
 * @internal
 */
export function selfSignedCertificate(
  commonName: string,
  dnsNames: string[],
  now = new Date(),
): CertificateAndKey {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ec', {
    namedCurve: 'P-256',
  });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const algorithm = seq(oid(OID.ecdsaWithSha256));
  const notAfter = new Date(now.getTime());
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + 10);
  // keyUsage bits: digitalSignature (0), keyEncipherment (2), keyCertSign (5).
  const keyUsage = tlv(0x03, Buffer.from([0x02, 0xa4]));
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(crypto.randomBytes(16)),
    algorithm,
    name(commonName),
    seq(time(new Date(now.getTime() - 60_000)), time(notAfter)),
    name(commonName),
    spki,
    explicit(
      3,
      seq(
        extension(OID.basicConstraints, true, seq(bool(true))),
        extension(OID.keyUsage, true, keyUsage),
        extension(
          OID.extKeyUsage,
          false,
          seq(oid(OID.serverAuth), oid(OID.clientAuth)),
        ),
        extension(
          OID.subjectAltName,
          false,
          seq(...dnsNames.map(d => tlv(0x82, Buffer.from(d, 'ascii')))),
        ),
      ),
    ),
  );
  const signature = crypto.sign('sha256', tbs, privateKey);
  const der = seq(tbs, algorithm, bitString(signature));
  const b64 = der
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .replace(/\n$/, '');
  return {
    certificatePem: `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`,
    privateKeyPem: privateKey
      .export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  };
}

// ---- NATS nkeys ----

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function base32(data: Buffer): string {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of data) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += BASE32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += BASE32[(value << (5 - bits)) & 31];
  return out;
}

/** CRC-16/XMODEM, as the nkeys format checksums its payload (little-endian). */
function crc16(data: Buffer): Buffer {
  let crc = 0;
  for (const byte of data) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return Buffer.from([crc & 0xff, crc >> 8]);
}

const withCrc = (payload: Buffer) => Buffer.concat([payload, crc16(payload)]);

/**
 * A NATS account nkey (ed25519): the seed (`SA…`) the auth callout signs with and the public
 * key (`A…`) the server trusts as the callout's issuer.
 *
 * @internal
 */
export function natsAccountKey(): { seed: string; publicKey: string } {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('ed25519');
  const rawPublic = publicKey
    .export({ type: 'spki', format: 'der' })
    .subarray(-32);
  const rawSeed = privateKey
    .export({ type: 'pkcs8', format: 'der' })
    .subarray(-32);
  const ACCOUNT = 0; // prefix byte of accounts ('A')
  const SEED = 18 << 3; // prefix byte of seeds ('S')
  const seedPrefix = Buffer.from([SEED | (ACCOUNT >> 5), (ACCOUNT & 31) << 3]);
  return {
    seed: base32(withCrc(Buffer.concat([seedPrefix, rawSeed]))),
    publicKey: base32(
      withCrc(Buffer.concat([Buffer.from([ACCOUNT]), rawPublic])),
    ),
  };
}
