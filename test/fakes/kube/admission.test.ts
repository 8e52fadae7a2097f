/**
 * Mutating admission: the fake calls a real HTTPS webhook (a CA and serving cert made with
 * the `openssl` binary, see certs.ts) with an AdmissionReview v1 when a Pod is created.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdmissionregistrationV1Api, ApiException, CoreV1Api, type V1MutatingWebhook } from '@kubernetes/client-node';
import { makeTestPki, type TestPki } from './certs.js';
import { startFakeKube, type FakeKube } from './server.js';

let pki: TestPki;
let hook: Server;
let hookUrl: string;
let kube: FakeKube;
let core: CoreV1Api;
let hooks: AdmissionregistrationV1Api;
/** What the webhook does with the next review: patch (default), deny, hang. */
let mode: 'patch' | 'deny' | 'hang' = 'patch';

beforeAll(async () => {
  pki = makeTestPki();
  hook = createServer({ cert: pki.server.cert, key: pki.server.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (mode === 'hang') return; // never answers; the caller's timeout decides
      const review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const uid = review.request.uid;
      const response =
        mode === 'deny'
          ? { uid, allowed: false, status: { code: 403, message: 'no sidecars on Fridays' } }
          : {
              uid,
              allowed: true,
              patchType: 'JSONPatch',
              patch: Buffer.from(
                JSON.stringify([
                  { op: 'add', path: '/metadata/annotations', value: { 'bellwether.dev/injected': 'true', 'seen-path': req.url } },
                  { op: 'add', path: '/spec/containers/-', value: { name: 'bellwether', image: 'bellwether:dev' } },
                ]),
              ).toString('base64'),
            };
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response }));
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  hookUrl = `https://127.0.0.1:${(hook.address() as AddressInfo).port}`;
  kube = await startFakeKube({ resolveService: (svc) => (svc.name === 'bellwether-webhook' ? hookUrl : undefined) });
  core = kube.kubeconfig.makeApiClient(CoreV1Api);
  hooks = kube.kubeconfig.makeApiClient(AdmissionregistrationV1Api);
  await core.createNamespace({ body: { metadata: { name: 'shop', labels: { 'bellwether.dev/enabled': 'true' } } } });
  await core.createNamespace({ body: { metadata: { name: 'other' } } });
});
afterAll(async () => {
  await kube.close();
  hook.closeAllConnections();
  await new Promise((r) => hook.close(r));
});

const webhook = (over: Partial<V1MutatingWebhook> = {}): V1MutatingWebhook => ({
  name: 'inject.bellwether.dev',
  admissionReviewVersions: ['v1'],
  sideEffects: 'None',
  failurePolicy: 'Ignore',
  timeoutSeconds: 2,
  clientConfig: { url: `${hookUrl}/mutate`, caBundle: pki.caBundle },
  rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }],
  namespaceSelector: { matchExpressions: [{ key: 'bellwether.dev/enabled', operator: 'In', values: ['true'] }] },
  objectSelector: { matchExpressions: [{ key: 'bellwether.dev/inject', operator: 'NotIn', values: ['false'] }] },
  ...over,
});

async function configure(...webhooks: V1MutatingWebhook[]): Promise<void> {
  await hooks.deleteCollectionMutatingWebhookConfiguration({});
  await hooks.createMutatingWebhookConfiguration({ body: { metadata: { name: 'bellwether' }, webhooks } });
  kube.webhookCalls.length = 0;
}

const pod = (labels: Record<string, string> = {}) => ({ metadata: { generateName: 'app-', labels }, spec: { containers: [{ name: 'app', image: 'app' }] } });

describe('fake kube: mutating admission webhooks', () => {
  it('sends a real AdmissionReview over HTTPS and applies the returned JSONPatch', async () => {
    await configure(webhook());
    const created = await core.createNamespacedPod({ namespace: 'shop', body: pod({ app: 'bot' }) });
    expect(created.spec?.containers.map((c) => c.name)).toEqual(['app', 'bellwether']);
    expect(created.metadata?.annotations?.['bellwether.dev/injected']).toBe('true');
    expect(created.metadata?.annotations?.['seen-path']).toBe('/mutate?timeout=2s');
    expect(created.metadata?.name).toMatch(/^app-/);
    expect(kube.webhookCalls).toHaveLength(1);
    const call = kube.webhookCalls[0]!;
    expect(call).toMatchObject({ webhook: 'inject.bellwether.dev', outcome: 'patched' });
    expect(call.error).toBeUndefined();
    expect(call.latencyMs).toBeGreaterThan(0);
    expect(call.request).toMatchObject({
      apiVersion: 'admission.k8s.io/v1',
      kind: 'AdmissionReview',
      request: {
        kind: { group: '', version: 'v1', kind: 'Pod' },
        resource: { group: '', version: 'v1', resource: 'pods' },
        name: '',
        namespace: 'shop',
        operation: 'CREATE',
        userInfo: { username: 'kubernetes-admin' },
        dryRun: false,
        options: { kind: 'CreateOptions', apiVersion: 'meta.k8s.io/v1' },
        object: { metadata: { generateName: 'app-', namespace: 'shop' } },
      },
    });
    expect((call.request as any).request.uid).toMatch(/-/);
  });

  it('skips pods outside the namespaceSelector or objectSelector', async () => {
    await configure(webhook());
    const elsewhere = await core.createNamespacedPod({ namespace: 'other', body: pod() });
    const optedOut = await core.createNamespacedPod({ namespace: 'shop', body: pod({ 'bellwether.dev/inject': 'false' }) });
    expect(elsewhere.spec?.containers).toHaveLength(1);
    expect(optedOut.spec?.containers).toHaveLength(1);
    expect(kube.webhookCalls).toHaveLength(0);
  });

  it('resolves clientConfig.service through the test resolver', async () => {
    await configure(webhook({ clientConfig: { service: { namespace: 'bellwether-system', name: 'bellwether-webhook', path: '/inject', port: 9443 }, caBundle: pki.caBundle } }));
    const created = await core.createNamespacedPod({ namespace: 'shop', body: pod() });
    expect(created.metadata?.annotations?.['seen-path']).toBe('/inject?timeout=2s');
  });

  it('failurePolicy Ignore: a timeout or an untrusted certificate creates the pod unpatched', async () => {
    await configure(webhook({ timeoutSeconds: 1 }));
    mode = 'hang';
    try {
      const created = await core.createNamespacedPod({ namespace: 'shop', body: pod() });
      expect(created.spec?.containers).toHaveLength(1);
      expect(kube.webhookCalls[0]).toMatchObject({ outcome: 'failed' });
      expect(kube.webhookCalls[0]!.error).toContain('context deadline exceeded');
      expect(kube.webhookCalls[0]!.latencyMs).toBeGreaterThanOrEqual(900);
    } finally {
      mode = 'patch';
    }
    const other = makeTestPki();
    await configure(webhook({ clientConfig: { url: `${hookUrl}/mutate`, caBundle: other.caBundle } }));
    const untrusted = await core.createNamespacedPod({ namespace: 'shop', body: pod() });
    expect(untrusted.spec?.containers).toHaveLength(1);
    expect(kube.webhookCalls[0]!.error).toMatch(/certificate/i);
  });

  it('failurePolicy Fail: an unreachable webhook refuses the create with a 500 InternalError', async () => {
    await configure(webhook({ failurePolicy: 'Fail', clientConfig: { url: 'https://127.0.0.1:1/mutate', caBundle: pki.caBundle } }));
    const err = await core.createNamespacedPod({ namespace: 'shop', body: pod() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    const body = (err as ApiException<any>).body;
    const st = typeof body === 'string' ? JSON.parse(body) : body;
    expect(st).toMatchObject({ code: 500, reason: 'InternalError' });
    expect(st.message).toMatch(/^Internal error occurred: failed calling webhook "inject.bellwether.dev": failed to call webhook: Post "https:\/\/127.0.0.1:1\/mutate\?timeout=2s": /);
  });

  it('a denial refuses the create with the webhook message', async () => {
    await configure(webhook());
    mode = 'deny';
    try {
      const err = (await core.createNamespacedPod({ namespace: 'shop', body: pod() }).catch((e: unknown) => e)) as ApiException<any>;
      const st = typeof err.body === 'string' ? JSON.parse(err.body) : err.body;
      expect(st).toMatchObject({ code: 403, message: 'admission webhook "inject.bellwether.dev" denied the request: no sidecars on Fridays' });
      expect(kube.webhookCalls[0]!.outcome).toBe('denied');
    } finally {
      mode = 'patch';
    }
  });
});
