import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BACKDATE_MS, inspect, issueCA, issueServing, keyMatches, needsRotation, rotationReason, signedBy, splitPemBundle } from './pki.js';

const DAY = 86_400_000;
const now = Date.UTC(2030, 0, 1);
const sans = { dnsNames: ['bellwether-webhook.bellwether-system.svc', 'bellwether-webhook.bellwether-system.svc.cluster.local'], ipAddresses: ['127.0.0.1'] };

describe('pki', async () => {
  const ca = await issueCA({ now });
  const serving = await issueServing({ ca, now, ...sans });

  it('makes a CA that may sign only leaves', () => {
    const c = new X509Certificate(ca.certPem);
    expect(c.ca).toBe(true);
    expect(c.publicKey.asymmetricKeyType).toBe('ec');
    expect(c.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    expect(inspect(ca.certPem).notAfter - now).toBe(3650 * DAY);
  });

  it('makes an ECDSA P-256 serverAuth certificate with the SANs, signed by the CA', async () => {
    const c = new X509Certificate(serving.certPem);
    expect(c.ca).toBe(false);
    expect(c.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(c.subjectAltName).toBe(`DNS:${sans.dnsNames[0]}, DNS:${sans.dnsNames[1]}, IP Address:127.0.0.1`);
    expect(c.verify(new X509Certificate(ca.certPem).publicKey)).toBe(true);
    expect(c.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(c.checkHost(sans.dnsNames[0] as string)).toBe(sans.dnsNames[0]);
    expect(await signedBy(serving.certPem, ca.certPem)).toBe(true);
    expect(await keyMatches(serving.certPem, serving.keyPem)).toBe(true);
    expect(await keyMatches(serving.certPem, ca.keyPem)).toBe(false);
    const facts = inspect(serving.certPem);
    expect(facts.notBefore).toBe(now - BACKDATE_MS);
    expect(facts.notAfter).toBe(now + 365 * DAY);
  });

  it('rotates with less than a third of the validity left, when expired, or when the SANs change', () => {
    expect(rotationReason(serving.certPem, now, sans)).toBeUndefined();
    expect(needsRotation(serving.certPem, now + 240 * DAY, sans)).toBe(false);
    expect(rotationReason(serving.certPem, now + 245 * DAY, sans)).toBe('less than a third of its validity left');
    expect(rotationReason(serving.certPem, now + 400 * DAY)).toBe('expired');
    expect(rotationReason(serving.certPem, now - 2 * BACKDATE_MS)).toBe('not valid yet');
    expect(rotationReason(serving.certPem, now, { dnsNames: sans.dnsNames })).toBe('SANs changed');
    expect(rotationReason(serving.certPem, now, { ...sans, dnsNames: ['other.svc'] })).toBe('SANs changed');
    expect(rotationReason('garbage', now)).toMatch(/^unreadable/);
  });

  it('does not take a certificate from another CA for one of ours', async () => {
    const other = await issueCA({ now });
    expect(await signedBy(serving.certPem, other.certPem)).toBe(false);
  });

  it('splits a bundle', () => {
    expect(splitPemBundle(ca.certPem + serving.certPem)).toEqual([ca.certPem, serving.certPem]);
  });
});
