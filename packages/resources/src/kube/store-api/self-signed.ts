import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { isIP } from "node:net";

/**
 * A self-signed TLS certificate for the store API, built with node:crypto alone (it can sign
 * but not issue certificates, so the X.509 structure is encoded here in DER).
 *
 * Why TLS on loopback: kubectl (client-go) never sends a bearer token over plain http, so a
 * token-protected store API must speak https for kubectl to work. The certificate is its own
 * CA and goes into the kubeconfig as `certificate-authority-data`.
 */

export interface CertificateAndKey {
  /** PEM; also the CA to trust. */
  cert: string;
  /** PEM (PKCS#8). */
  key: string;
}

export interface SelfSignedOptions {
  /** Names and IP addresses the certificate is valid for. Default 127.0.0.1, ::1, localhost. */
  hosts?: readonly string[];
  /** Default 365. */
  days?: number;
  /** Default now. */
  now?: Date;
}

function length(size: number): Buffer {
  if (size < 0x80) return Buffer.from([size]);
  const bytes: number[] = [];
  for (let rest = size; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, ...content: Buffer[]): Buffer {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items);

function oid(text: string): Buffer {
  const [first = 0, second = 0, ...rest] = text.split(".").map(Number);
  const bytes = [first * 40 + second];
  for (const arc of rest) {
    const groups: number[] = [arc & 0x7f];
    for (let value = arc >>> 7; value > 0; value >>>= 7) groups.unshift((value & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/** A positive INTEGER from big-endian bytes (a leading 0 keeps the sign bit clear). */
function integer(bytes: Buffer): Buffer {
  return tlv(0x02, (bytes[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

/** UTCTime until 2049, GeneralizedTime after, as RFC 5280 requires. */
function time(date: Date): Buffer {
  const text = date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(`${text.slice(2)}Z`)) : tlv(0x18, Buffer.from(`${text}Z`));
}

function ipBytes(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split(".").map(Number));
  // IPv6: expand "::" and write eight 16-bit groups.
  const [head = "", tail] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right];
  const bytes = Buffer.alloc(16);
  groups.forEach((group, index) => bytes.writeUInt16BE(parseInt(group, 16), index * 2));
  return bytes;
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return sequence(oid(id), ...(critical ? [tlv(0x01, Buffer.from([0xff]))] : []), tlv(0x04, value));
}

const ECDSA_WITH_SHA256 = "1.2.840.10045.4.3.2";

export function createSelfSignedCertificate(options: SelfSignedOptions = {}): CertificateAndKey {
  const hosts = options.hosts ?? ["127.0.0.1", "::1", "localhost"];
  const now = options.now ?? new Date();
  const { publicKey, privateKey } = generateKeyPairSync("ec", { namedCurve: "prime256v1" });
  const name = sequence(tlv(0x31, sequence(oid("2.5.4.3"), tlv(0x0c, Buffer.from("spreadops-store-api")))));
  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f;
  const notBefore = new Date(now.getTime() - 60_000); // tolerate a little clock skew
  const notAfter = new Date(now.getTime() + (options.days ?? 365) * 86_400_000);
  const altNames = hosts.map((host) => (isIP(host) === 0 ? tlv(0x82, Buffer.from(host)) : tlv(0x87, ipBytes(host))));
  const extensions = sequence(
    extension("2.5.29.19", true, sequence(tlv(0x01, Buffer.from([0xff])))), // basicConstraints: CA (it is its own root)
    extension("2.5.29.15", true, tlv(0x03, Buffer.from([0x02, 0x84]))), // keyUsage: digitalSignature, keyCertSign
    extension("2.5.29.37", false, sequence(oid("1.3.6.1.5.5.7.3.1"))), // extKeyUsage: serverAuth
    extension("2.5.29.17", false, sequence(...altNames)), // subjectAltName
  );
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))),
    integer(serial),
    sequence(oid(ECDSA_WITH_SHA256)),
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    publicKey.export({ type: "spki", format: "der" }),
    tlv(0xa3, extensions),
  );
  const signature = sign("sha256", tbs, privateKey);
  const certificate = sequence(tbs, sequence(oid(ECDSA_WITH_SHA256)), tlv(0x03, Buffer.from([0]), signature));
  const base64 = certificate.toString("base64").replace(/.{64}/g, "$&\n").trimEnd();
  return {
    cert: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`,
    key: privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  };
}
