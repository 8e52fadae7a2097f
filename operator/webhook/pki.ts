/**
 * The webhook's PKI, pure (data in, PEM out; WebCrypto is the only thing it
 * touches): a self-signed CA and an ECDSA P-256 serving certificate it signs,
 * made with @peculiar/x509 because the operator image has no openssl binary.
 *
 * - CA: `CA:TRUE, pathlen:0`, keyCertSign + cRLSign. Default 10 years.
 * - Serving: `CA:FALSE`, digitalSignature, EKU serverAuth, SANs
 *   `<service>.<ns>.svc`, `<service>.<ns>.svc.cluster.local` (and `127.0.0.1`
 *   in development). Default 1 year.
 * - notBefore is backdated by an hour, so a replica or API server whose clock
 *   lags a little does not see a certificate from the future.
 * - Rotation (`needsRotation`): less than a third of the validity left, or
 *   the SANs differ from what is wanted (cert-manager's default renewBefore
 *   is also a third).
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const subtle = webcrypto.subtle;
const ALG = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const SIGNING = { name: 'ECDSA', hash: 'SHA-256' } as const;
const DAY_MS = 86_400_000;
export const BACKDATE_MS = 3_600_000;

/** A certificate and its PKCS#8 private key, both PEM. */
export interface KeyPair {
  certPem: string;
  keyPem: string;
}

export interface SanSet {
  dnsNames: readonly string[];
  ipAddresses?: readonly string[];
}

function toPem(der: ArrayBuffer, label: string): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function fromPem(pem: string, label: string): ArrayBuffer {
  const m = new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`).exec(pem);
  if (!m) throw new Error(`no ${label} in PEM`);
  const buf = Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64');
  return buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) as ArrayBuffer;
}

/** Every certificate in a PEM bundle, in order. */
export function splitPemBundle(pem: string): string[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g)].map((m) => `${m[0]}\n`);
}

function serial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // positive
  return Buffer.from(bytes).toString('hex');
}

async function keyPair(): Promise<CryptoKeyPair> {
  return (await subtle.generateKey(ALG, true, ['sign', 'verify'])) as CryptoKeyPair;
}

async function exportKey(key: CryptoKey): Promise<string> {
  return toPem(await subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

async function importKey(pem: string): Promise<CryptoKey> {
  return subtle.importKey('pkcs8', fromPem(pem, 'PRIVATE KEY'), ALG, true, ['sign']);
}

function validity(now: number, days: number): { notBefore: Date; notAfter: Date } {
  return { notBefore: new Date(now - BACKDATE_MS), notAfter: new Date(now + days * DAY_MS) };
}

export async function issueCA(opts: { now: number; validityDays?: number; commonName?: string }): Promise<KeyPair> {
  const keys = await keyPair();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: `CN=${opts.commonName ?? 'bellwether-webhook-ca'}, O=bellwether`,
    ...validity(opts.now, opts.validityDays ?? 3650),
    signingAlgorithm: SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKey(keys.privateKey) };
}

export async function issueServing(opts: { ca: KeyPair; now: number; validityDays?: number } & SanSet): Promise<KeyPair> {
  if (opts.dnsNames.length === 0 && (opts.ipAddresses ?? []).length === 0) throw new Error('a serving certificate needs at least one SAN');
  const ca = new x509.X509Certificate(opts.ca.certPem);
  const caKey = await importKey(opts.ca.keyPem);
  const keys = await keyPair();
  const sans: x509.JsonGeneralName[] = [
    ...opts.dnsNames.map((value) => ({ type: 'dns' as const, value })),
    ...(opts.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: `CN=${opts.dnsNames[0] ?? opts.ipAddresses?.[0] ?? 'bellwether-webhook'}`,
    issuer: ca.subject,
    ...validity(opts.now, opts.validityDays ?? 365),
    signingAlgorithm: SIGNING,
    publicKey: keys.publicKey,
    signingKey: caKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth], false),
      new x509.SubjectAlternativeNameExtension(sans, false),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(ca, false),
    ],
  });
  return { certPem: cert.toString('pem') + '\n', keyPem: await exportKey(keys.privateKey) };
}

export interface CertFacts {
  notBefore: number;
  notAfter: number;
  dnsNames: string[];
  ipAddresses: string[];
  subject: string;
  issuer: string;
  serialNumber: string;
}

/** The first certificate of a PEM, as facts. */
export function inspect(certPem: string): CertFacts {
  const cert = new x509.X509Certificate(splitPemBundle(certPem)[0] ?? certPem);
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const names = san?.names.toJSON() ?? [];
  return {
    notBefore: cert.notBefore.getTime(),
    notAfter: cert.notAfter.getTime(),
    dnsNames: names.filter((n) => n.type === 'dns').map((n) => n.value),
    ipAddresses: names.filter((n) => n.type === 'ip').map((n) => n.value),
    subject: cert.subject,
    issuer: cert.issuer,
    serialNumber: cert.serialNumber,
  };
}

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().every((v, i) => v === [...b].sort()[i]);

/**
 * Why `certPem` should be replaced at `now`, or undefined when it is fine:
 * unreadable, expired or not yet valid, less than a third of its validity
 * left, or (when `want` is given) SANs other than wanted.
 */
export function rotationReason(certPem: string, now: number, want?: SanSet): string | undefined {
  let facts: CertFacts;
  try {
    facts = inspect(certPem);
  } catch (e) {
    return `unreadable certificate: ${(e as Error).message}`;
  }
  if (now < facts.notBefore) return 'not valid yet';
  if (now >= facts.notAfter) return 'expired';
  const lifetime = facts.notAfter - facts.notBefore;
  if (facts.notAfter - now < lifetime / 3) return 'less than a third of its validity left';
  if (want && (!sameSet(facts.dnsNames, want.dnsNames) || !sameSet(facts.ipAddresses, want.ipAddresses ?? []))) return 'SANs changed';
  return undefined;
}

export function needsRotation(certPem: string, now: number, want?: SanSet): boolean {
  return rotationReason(certPem, now, want) !== undefined;
}

/** True when `certPem` was signed by the CA `caPem` (signature checked, not just the names). */
export async function signedBy(certPem: string, caPem: string): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(certPem);
    const ca = new x509.X509Certificate(caPem);
    return cert.issuer === ca.subject && (await cert.verify({ publicKey: ca.publicKey, signatureOnly: true }));
  } catch {
    return false;
  }
}

/** True when `keyPem` is the private key of `certPem`. */
export async function keyMatches(certPem: string, keyPem: string): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(certPem);
    const key = await importKey(keyPem);
    const data = new Uint8Array([1, 2, 3]);
    const sig = await subtle.sign(SIGNING, key, data);
    return subtle.verify(SIGNING, await cert.publicKey.export(ALG, ['verify']), sig, data);
  } catch {
    return false;
  }
}
