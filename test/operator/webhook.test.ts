/**
 * The webhook end to end: the fake API server calls `startWebhook`'s HTTPS
 * server with real AdmissionReview v1 requests when a Pod is created, trusting
 * the caBundle the webhook registered itself.
 */
import { AdmissionregistrationV1Api, CoreV1Api, type V1Pod } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../sidecar/clock.js';
import { startWebhook, type StartWebhookOptions, type Webhook } from '../../operator/webhook/index.js';
import { inspect, splitPemBundle } from '../../operator/webhook/pki.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { eventually } from '../fakes/kube/poll.js';
import { OPERATOR_NS, SIDECAR, createPod, createRoute, fakeKube, freePort, servedCertificate, silentLog } from './webhook-harness.js';

const DAY = 86_400_000;
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(kubeOpts: Parameters<typeof fakeKube>[0] = {}, hookOpts: Partial<StartWebhookOptions> = {}) {
  const kube = await fakeKube(kubeOpts);
  cleanup.push(() => kube.close());
  const port = await freePort();
  const registry = new Registry();
  const webhook = await startWebhook({
    kube: kube.kubeconfig,
    namespace: OPERATOR_NS,
    port,
    host: '127.0.0.1',
    url: `https://127.0.0.1:${port}/mutate-pods`,
    serviceName: 'bellwether-webhook',
    sidecar: SIDECAR,
    log: silentLog,
    registry,
    ...hookOpts,
  });
  cleanup.push(() => webhook.close());
  return { kube, webhook, registry, port };
}

const secret = (kube: FakeKube) => kube.get('v1', 'Secret', OPERATOR_NS, 'bellwether-webhook-tls') as unknown as { data: Record<string, string> };
const caBundle = (kube: FakeKube) =>
  Buffer.from(
    ((kube.get('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, 'bellwether-sidecar-injector') as unknown as { webhooks: Array<{ clientConfig: { caBundle: string } }> }).webhooks[0]?.clientConfig.caBundle ?? ''),
    'base64',
  ).toString('utf8');
const pem = (kube: FakeKube, key: string) => Buffer.from(secret(kube).data[key] ?? '', 'base64').toString('utf8');
const sidecarOf = (pod: V1Pod) => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === 'bellwether');

describe('webhook end to end', () => {
  it('injects a native sidecar (server 1.29, detected through /version), annotations and env', async () => {
    const { kube, registry } = await setup();
    await createRoute(kube);
    const pod = await createPod(kube, 'shop', 'app-1');
    expect(kube.webhookCalls.at(-1)?.outcome).toBe('patched');
    expect(pod.spec?.initContainers?.[0]?.name).toBe('bellwether');
    expect(pod.spec?.initContainers?.[0]?.restartPolicy).toBe('Always');
    expect(pod.spec?.initContainers?.[0]?.image).toBe(SIDECAR.image);
    expect(pod.metadata?.annotations).toMatchObject({ 'bellwether.dev/injected': 'true', 'bellwether.dev/route': 'support-bot' });
    expect(pod.spec?.containers[0]?.env).toEqual(expect.arrayContaining([{ name: 'OPENAI_BASE_URL', value: 'http://127.0.0.1:14000/v1' }]));
    expect(pod.spec?.volumes?.map((v) => v.name)).toContain('bellwether-route');
    // What the API server stored is what the client got back.
    const stored = await kube.kubeconfig.makeApiClient(CoreV1Api).readNamespacedPod({ namespace: 'shop', name: 'app-1' });
    expect(sidecarOf(stored)).toBeDefined();
    expect(await registry.getSingleMetricAsString('bellwether_webhook_injections_total')).toContain('bellwether_webhook_injections_total{sidecar="native"} 1');
  });

  it('injects a plain container when the API server says 1.28', async () => {
    const { kube } = await setup({ serverVersion: { major: '1', minor: '28' } });
    await createRoute(kube);
    const pod = await createPod(kube, 'shop', 'app-1');
    expect(pod.spec?.initContainers ?? []).toHaveLength(0);
    expect(pod.spec?.containers.map((c) => c.name)).toEqual(['app', 'bellwether']);
    expect(pod.spec?.containers[1]?.restartPolicy).toBeUndefined();
  });

  it('records why a pod was skipped, in the annotation and the metric', async () => {
    const { kube, registry } = await setup();
    const pod = await createPod(kube, 'shop', 'lonely', { app: 'nobody' });
    expect(sidecarOf(pod)).toBeUndefined();
    expect(pod.metadata?.annotations?.['bellwether.dev/skip-reason']).toBe('no RelayRoute selects this pod');
    expect(await registry.getSingleMetricAsString('bellwether_webhook_skips_total')).toContain('reason="no_route"} 1');
  });

  it('never sees pods in the operator namespace or labelled inject=false', async () => {
    const { kube } = await setup();
    await createRoute(kube, OPERATOR_NS);
    await createRoute(kube);
    const calls = kube.webhookCalls.length;
    const own = await createPod(kube, OPERATOR_NS, 'operator-0');
    const optedOut = await createPod(kube, 'shop', 'opted-out', { app: 'support-bot', 'bellwether.dev/inject': 'false' });
    expect(kube.webhookCalls.length).toBe(calls);
    expect(own.metadata?.annotations).toBeUndefined();
    expect(sidecarOf(own)).toBeUndefined();
    expect(sidecarOf(optedOut)).toBeUndefined();
  });

  it('lets pods through unmutated while the webhook is down (failurePolicy Ignore)', async () => {
    const { kube, webhook } = await setup();
    await createRoute(kube);
    await webhook.close();
    const pod = await createPod(kube, 'shop', 'app-2');
    expect(sidecarOf(pod)).toBeUndefined();
    expect(kube.webhookCalls.at(-1)?.outcome).toBe('failed');
  });

  it('rotates the serving certificate past two thirds of its validity, keeping the CA and hot-reloading', async () => {
    // Start 250 days in the past, so the first certificate is valid now for real TLS and
    // has less than a third of its year left once the clock reaches the present.
    const clock = new ManualClock(Date.now() - 250 * DAY);
    const { kube, webhook, port } = await setup({}, { clock, recheckIntervalMs: 3_600_000 });
    await createRoute(kube);
    const ca = pem(kube, 'ca.crt');
    const first = await servedCertificate(port);
    expect(sidecarOf(await createPod(kube, 'shop', 'before'))).toBeDefined();
    expect(caBundle(kube)).toBe(ca);

    clock.advance(250 * DAY); // wakes the hourly re-check
    const second = await eventually(async () => {
      const c = await servedCertificate(port);
      return c.fingerprint256 !== first.fingerprint256 ? c : undefined;
    }, { what: 'a new serving certificate' });
    expect(pem(kube, 'ca.crt')).toBe(ca);
    expect(second.issuer).toBe(first.issuer);
    expect(inspect(pem(kube, 'tls.crt')).notBefore).toBeGreaterThan(Date.now() - 2 * 3_600_000);
    expect(caBundle(kube)).toBe(ca);
    expect(sidecarOf(await createPod(kube, 'shop', 'after'))).toBeDefined();
    expect(kube.webhookCalls.at(-1)?.outcome).toBe('patched');
    expect(webhook.ready()).toBe(true);
  });

  it('rotates the CA: the caBundle carries old and new, and calls keep succeeding', async () => {
    const clock = new ManualClock(Date.now() - 25 * DAY);
    const { kube, webhook } = await setup({}, { clock, caValidityDays: 30, servingValidityDays: 30 });
    await createRoute(kube);
    const oldCa = pem(kube, 'ca.crt');
    expect(sidecarOf(await createPod(kube, 'shop', 'before'))).toBeDefined();

    clock.advance(25 * DAY); // 5 of 30 days left: under a third
    await webhook.recheck();
    const newCa = pem(kube, 'ca.crt');
    expect(newCa).not.toBe(oldCa);
    expect(pem(kube, 'ca-previous.crt')).toBe(oldCa);
    expect(splitPemBundle(caBundle(kube))).toEqual([newCa, oldCa]);
    expect(sidecarOf(await createPod(kube, 'shop', 'after'))).toBeDefined();

    clock.advance(25 * 3_600_000); // past the 24 h overlap: the old CA leaves the bundle
    await webhook.recheck();
    expect(splitPemBundle(caBundle(kube))).toEqual([newCa]);
    expect(secret(kube).data['ca-previous.crt']).toBeUndefined();
    expect(sidecarOf(await createPod(kube, 'shop', 'later'))).toBeDefined();
  });

  it('puts the caBundle back when someone changes it (drift)', async () => {
    const { kube, webhook } = await setup();
    const hooks = kube.kubeconfig.makeApiClient(AdmissionregistrationV1Api);
    const cfg = await hooks.readMutatingWebhookConfiguration({ name: 'bellwether-sidecar-injector' });
    cfg.webhooks![0]!.clientConfig.caBundle = Buffer.from('garbage').toString('base64');
    await hooks.replaceMutatingWebhookConfiguration({ name: 'bellwether-sidecar-injector', body: cfg });
    await webhook.recheck();
    expect(caBundle(kube)).toBe(pem(kube, 'ca.crt'));
  });

  it('two replicas sharing the Secret agree on the CA and serve the same certificate', async () => {
    const kube = await fakeKube();
    cleanup.push(() => kube.close());
    const start = async (): Promise<Webhook> => {
      const w = await startWebhook({
        kube: kube.kubeconfig,
        namespace: OPERATOR_NS,
        port: 0,
        host: '127.0.0.1',
        serviceName: 'bellwether-webhook',
        sidecar: SIDECAR,
        serverVersion: 'v1.29.0',
        routesIn: () => [],
        log: silentLog,
        registry: new Registry(),
      });
      cleanup.push(() => w.close());
      return w;
    };
    const [a, b] = await Promise.all([start(), start()]);
    const [ca, cb] = await Promise.all([servedCertificate(a.port), servedCertificate(b.port)]);
    expect(ca.fingerprint256).toBe(cb.fingerprint256);
    expect(kube.list('v1', 'Secret', OPERATOR_NS)).toHaveLength(1);
    expect(caBundle(kube)).toBe(pem(kube, 'ca.crt'));
    const cfg = kube.get('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', undefined, 'bellwether-sidecar-injector') as unknown as {
      webhooks: Array<{ clientConfig: { service?: { name: string; namespace: string; path: string; port: number } } }>;
    };
    expect(cfg.webhooks[0]?.clientConfig.service).toEqual({ name: 'bellwether-webhook', namespace: OPERATOR_NS, path: '/mutate-pods', port: 443 });
  });
});
