/** ensureCertificates against the fake API server: create, adopt the winner's on 409, rotate, repair. */
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCertificates } from '../../operator/webhook/certs.js';
import { inspect } from '../../operator/webhook/pki.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { OPERATOR_NS, fakeKube } from './webhook-harness.js';

const DAY = 86_400_000;
const sans = { dnsNames: ['bellwether-webhook.bellwether-system.svc'], ipAddresses: [] };
let kube: FakeKube;
let core: CoreV1Api;
beforeAll(async () => {
  kube = await fakeKube();
  core = kube.kubeconfig.makeApiClient(CoreV1Api);
});
afterAll(() => kube.close());

describe('ensureCertificates', () => {
  it('lets racing replicas agree: one creates, the others adopt its certificates', async () => {
    const now = Date.now();
    const all = await Promise.all([1, 2, 3, 4].map(() => ensureCertificates(core, { namespace: OPERATOR_NS, secretName: 'race', now, ...sans })));
    expect(new Set(all.map((c) => c.caPem)).size).toBe(1);
    expect(new Set(all.map((c) => c.certPem)).size).toBe(1);
    expect(all.filter((c) => c.changes.length > 0)).toHaveLength(1);
    expect(kube.requests.filter((r) => r.verb === 'create' && r.code === 409).length).toBeGreaterThanOrEqual(1);
  });

  it('changes nothing while the certificates are good', async () => {
    const now = Date.now();
    const a = await ensureCertificates(core, { namespace: OPERATOR_NS, secretName: 'steady', now, ...sans });
    const rv = kube.get('v1', 'Secret', OPERATOR_NS, 'steady')?.metadata.resourceVersion;
    const b = await ensureCertificates(core, { namespace: OPERATOR_NS, secretName: 'steady', now: now + 100 * DAY, ...sans });
    expect(b).toEqual({ ...a, changes: [] });
    expect(kube.get('v1', 'Secret', OPERATOR_NS, 'steady')?.metadata.resourceVersion).toBe(rv);
  });

  it('re-issues the serving certificate when the SANs change, keeping the CA', async () => {
    const now = Date.now();
    const a = await ensureCertificates(core, { namespace: OPERATOR_NS, secretName: 'sans', now, ...sans });
    const b = await ensureCertificates(core, { namespace: OPERATOR_NS, secretName: 'sans', now, dnsNames: sans.dnsNames, ipAddresses: ['127.0.0.1'] });
    expect(b.changes).toEqual(['serving certificate: SANs changed']);
    expect(b.caPem).toBe(a.caPem);
    expect(inspect(b.certPem).ipAddresses).toEqual(['127.0.0.1']);
  });

  it('repairs a Secret whose serving key was tampered with, and keeps labels others set', async () => {
    const now = Date.now();
    const a = await ensureCertificates(core, { namespace: OPERATOR_NS, secretName: 'tampered', now, ...sans });
    const s = await core.readNamespacedSecret({ name: 'tampered', namespace: OPERATOR_NS });
    s.data!['tls.key'] = s.data!['ca.key']!;
    s.metadata!.labels = { ...s.metadata!.labels, team: 'platform' };
    await core.replaceNamespacedSecret({ name: 'tampered', namespace: OPERATOR_NS, body: s });
    const b = await ensureCertificates(core, { namespace: OPERATOR_NS, secretName: 'tampered', now, ...sans });
    expect(b.changes).toEqual(['serving certificate: key does not match']);
    expect(b.caPem).toBe(a.caPem);
    const after = await core.readNamespacedSecret({ name: 'tampered', namespace: OPERATOR_NS });
    expect(after.type).toBe('kubernetes.io/tls');
    expect(after.metadata?.labels).toMatchObject({ team: 'platform', 'app.kubernetes.io/managed-by': 'bellwether' });
  });

  it('starts over with a new CA (and nothing to overlap) when the old one expired', async () => {
    const now = Date.now();
    const a = await ensureCertificates(core, { namespace: OPERATOR_NS, secretName: 'expired', now, caValidityDays: 10, servingValidityDays: 5, ...sans });
    const b = await ensureCertificates(core, { namespace: OPERATOR_NS, secretName: 'expired', now: now + 11 * DAY, caValidityDays: 10, servingValidityDays: 5, ...sans });
    expect(b.caPem).not.toBe(a.caPem);
    expect(b.caBundlePem).toBe(b.caPem);
    expect(b.changes).toEqual(['CA: expired', 'serving certificate: expired']);
  });
});
