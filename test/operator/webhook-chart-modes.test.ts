/**
 * The webhook as the Helm chart runs it: the chart owns the
 * MutatingWebhookConfiguration and the operator writes only its caBundle
 * (`--webhook-registration=ca-bundle`), or cert-manager issues the serving
 * certificate and injects the caBundle (`--webhook-cert-dir` with
 * `--webhook-registration=none`). The fake API server calls the webhook over
 * real TLS, trusting only the caBundle stored in the configuration.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AdmissionregistrationV1Api, type V1MutatingWebhookConfiguration, type V1Pod } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { parseCli } from '../../operator/cli.js';
import { ManualClock } from '../../sidecar/clock.js';
import { eventually } from '../fakes/kube/poll.js';
import { startWebhook, type StartWebhookOptions } from '../../operator/webhook/index.js';
import { issueCA, issueServing } from '../../operator/webhook/pki.js';
import { withCaBundle } from '../../operator/webhook/registration.js';
import { OPERATOR_NS, SIDECAR, createPod, createRoute, fakeKube, freePort, servedCertificate, silentLog } from './webhook-harness.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});
const NAME = 'bellwether-sidecar-injector';
const sidecarOf = (pod: V1Pod) => [...(pod.spec?.initContainers ?? []), ...(pod.spec?.containers ?? [])].find((c) => c.name === 'bellwether');

/** What the chart renders (templates/webhook.yaml): no caBundle, its own selectors and timeout. */
function chartConfiguration(url: string, caBundle?: string): V1MutatingWebhookConfiguration {
  return {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    metadata: { name: NAME, labels: { 'app.kubernetes.io/managed-by': 'Helm' } },
    webhooks: [
      {
        name: 'inject.bellwether.dev',
        clientConfig: { url, ...(caBundle ? { caBundle: Buffer.from(caBundle).toString('base64') } : {}) },
        rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'], scope: 'Namespaced' }],
        failurePolicy: 'Ignore',
        timeoutSeconds: 3,
        sideEffects: 'None',
        admissionReviewVersions: ['v1'],
        reinvocationPolicy: 'IfNeeded',
        namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'NotIn', values: [OPERATOR_NS, 'kube-system', 'monitoring'] }] },
        objectSelector: { matchExpressions: [{ key: 'bellwether.dev/inject', operator: 'NotIn', values: ['false'] }] },
      },
    ],
  };
}

async function start(kube: Awaited<ReturnType<typeof fakeKube>>, port: number, opts: Partial<StartWebhookOptions>) {
  const webhook = await startWebhook({
    kube: kube.kubeconfig,
    namespace: OPERATOR_NS,
    port,
    host: '127.0.0.1',
    url: `https://127.0.0.1:${port}/mutate-pods`,
    serviceName: 'bellwether-webhook',
    sidecar: SIDECAR,
    log: silentLog,
    registry: new Registry(),
    ...opts,
  });
  cleanup.push(() => webhook.close());
  return webhook;
}

describe('--webhook-registration=ca-bundle (the chart owns the configuration)', () => {
  it('writes only the caBundle into the chart’s configuration and never creates one', async () => {
    const kube = await fakeKube();
    cleanup.push(() => kube.close());
    const hooks = kube.kubeconfig.makeApiClient(AdmissionregistrationV1Api);
    const port = await freePort();
    await hooks.createMutatingWebhookConfiguration({ body: chartConfiguration(`https://127.0.0.1:${port}/mutate-pods`) });
    await createRoute(kube);
    const before = await createPod(kube, 'shop', 'before-operator');
    expect(sidecarOf(before)).toBeUndefined(); // no caBundle yet: the call fails, failurePolicy Ignore admits it

    await start(kube, port, { registration: 'ca-bundle' });
    const stored = await hooks.readMutatingWebhookConfiguration({ name: NAME });
    const hook = stored.webhooks?.[0];
    const secret = kube.get('v1', 'Secret', OPERATOR_NS, 'bellwether-webhook-tls') as unknown as { data: Record<string, string> };
    expect(Buffer.from(hook?.clientConfig.caBundle ?? '', 'base64').toString()).toBe(Buffer.from(secret.data['ca.crt'] ?? '', 'base64').toString());
    // The chart's choices survive: timeout, the extra excluded namespace, its labels.
    expect(hook?.timeoutSeconds).toBe(3);
    expect(hook?.namespaceSelector?.matchExpressions?.[0]?.values).toEqual([OPERATOR_NS, 'kube-system', 'monitoring']);
    expect(stored.metadata?.labels?.['app.kubernetes.io/managed-by']).toBe('Helm');
    expect(sidecarOf(await createPod(kube, 'shop', 'after-operator'))).toBeDefined();
  });

  it('starts before the configuration exists, creates none, and writes the caBundle within a minute of it appearing', async () => {
    const kube = await fakeKube();
    cleanup.push(() => kube.close());
    const clock = new ManualClock(Date.now());
    const port = await freePort();
    const webhook = await start(kube, port, { registration: 'ca-bundle', clock });
    expect(kube.list('admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration')).toHaveLength(0);
    await expect(webhook.recheck()).rejects.toThrow(/not found: with --webhook-registration=ca-bundle it is created by the Helm chart/);

    const hooks = kube.kubeconfig.makeApiClient(AdmissionregistrationV1Api);
    await hooks.createMutatingWebhookConfiguration({ body: chartConfiguration(`https://127.0.0.1:${port}/mutate-pods`) });
    clock.advance(60_000); // the retry after a failed start, not the hourly re-check
    await eventually(async () => ((await hooks.readMutatingWebhookConfiguration({ name: NAME })).webhooks?.[0]?.clientConfig.caBundle ? true : undefined), { what: 'the caBundle' });
    await createRoute(kube);
    expect(sidecarOf(await createPod(kube, 'shop', 'app-1'))).toBeDefined();
  });

  it('repairs a caBundle wiped by helm rollback / --force / an Argo replace within a minute', async () => {
    const kube = await fakeKube();
    cleanup.push(() => kube.close());
    const clock = new ManualClock(Date.now());
    const hooks = kube.kubeconfig.makeApiClient(AdmissionregistrationV1Api);
    const port = await freePort();
    await hooks.createMutatingWebhookConfiguration({ body: chartConfiguration(`https://127.0.0.1:${port}/mutate-pods`) });
    await start(kube, port, { registration: 'ca-bundle', clock });
    const caBundle = async () => (await hooks.readMutatingWebhookConfiguration({ name: NAME })).webhooks?.[0]?.clientConfig.caBundle;
    expect(await caBundle()).toBeTruthy();
    // The chart's copy put back as rendered: no caBundle, so pods are admitted without a sidecar.
    await hooks.replaceMutatingWebhookConfiguration({ name: NAME, body: { ...chartConfiguration(`https://127.0.0.1:${port}/mutate-pods`), metadata: { ...chartConfiguration('x').metadata, resourceVersion: (await hooks.readMutatingWebhookConfiguration({ name: NAME })).metadata?.resourceVersion } } });
    expect(await caBundle()).toBeUndefined();
    await createRoute(kube);
    expect(sidecarOf(await createPod(kube, 'shop', 'during-the-gap'))).toBeUndefined();
    clock.advance(60_000);
    await eventually(async () => ((await caBundle()) ? true : undefined), { what: 'the caBundle repaired' });
    expect(sidecarOf(await createPod(kube, 'shop', 'after-the-repair'))).toBeDefined();
  });

  it('withCaBundle leaves a configuration that already trusts the CA alone', () => {
    const pem = (x: string) => `-----BEGIN CERTIFICATE-----\n${x}\n-----END CERTIFICATE-----\n`;
    const cfg = chartConfiguration('https://x', pem('A'));
    expect(withCaBundle(cfg, 'inject.bellwether.dev', pem('A'))).toBeUndefined();
    expect(withCaBundle(cfg, 'inject.bellwether.dev', pem('B'))?.webhooks?.[0]?.clientConfig.caBundle).toBe(Buffer.from(pem('B')).toString('base64'));
    expect(() => withCaBundle(cfg, 'other.bellwether.dev', pem('B'))).toThrow(/no webhook named other/);
  });
});

describe('--webhook-cert-dir with --webhook-registration=none (cert-manager)', () => {
  it('serves the mounted certificate, writes nothing, and hot-swaps a renewed one', async () => {
    const kube = await fakeKube();
    cleanup.push(() => kube.close());
    const dir = mkdtempSync(join(tmpdir(), 'bw-certdir-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const now = Date.now();
    const ca = await issueCA({ now, commonName: 'cert-manager-test-ca' });
    const write = async () => {
      const serving = await issueServing({ ca, now, dnsNames: ['bellwether-webhook.bellwether-system.svc'], ipAddresses: ['127.0.0.1'] });
      writeFileSync(join(dir, 'tls.crt'), serving.certPem);
      writeFileSync(join(dir, 'tls.key'), serving.keyPem);
      writeFileSync(join(dir, 'ca.crt'), ca.certPem);
    };
    await write();
    const port = await freePort();
    // cert-manager's CA injector has already put the CA into the chart's configuration.
    const hooks = kube.kubeconfig.makeApiClient(AdmissionregistrationV1Api);
    await hooks.createMutatingWebhookConfiguration({ body: chartConfiguration(`https://127.0.0.1:${port}/mutate-pods`, ca.certPem) });
    const webhook = await start(kube, port, { registration: 'none', certDir: dir });
    await createRoute(kube);
    expect(sidecarOf(await createPod(kube, 'shop', 'app-1'))).toBeDefined();
    expect(kube.list('v1', 'Secret', OPERATOR_NS)).toHaveLength(0); // no own CA
    const first = await servedCertificate(port);

    await write(); // cert-manager renewed: the kubelet swaps the files
    await webhook.recheck();
    const second = await servedCertificate(port);
    expect(second.fingerprint256).not.toBe(first.fingerprint256);
    expect(sidecarOf(await createPod(kube, 'shop', 'app-2'))).toBeDefined();
    const stored = await hooks.readMutatingWebhookConfiguration({ name: NAME });
    expect(Buffer.from(stored.webhooks?.[0]?.clientConfig.caBundle ?? '', 'base64').toString()).toBe(ca.certPem);
  });

  it('refuses to start when the directory has no certificate', async () => {
    const kube = await fakeKube();
    cleanup.push(() => kube.close());
    const dir = mkdtempSync(join(tmpdir(), 'bw-certdir-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    await expect(start(kube, await freePort(), { registration: 'none', certDir: dir })).rejects.toThrow(/needs tls.crt and tls.key/);
  });
});

describe('operator flags', () => {
  const run = (...argv: string[]) => parseCli(argv, {});
  it('defaults to create, takes ca-bundle and none, and a cert directory', () => {
    const d = run();
    expect(d.kind === 'run' && d.cli.webhookRegistration).toBe('create');
    const c = run('--webhook-registration', 'none', '--webhook-cert-dir', '/tls');
    expect(c.kind === 'run' && [c.cli.webhookRegistration, c.cli.webhookCertDir]).toEqual(['none', '/tls']);
    expect(run('--webhook-registration=ca-bundle').kind).toBe('run');
  });
  it('refuses an unknown mode', () => {
    expect(run('--webhook-registration', 'chart')).toEqual({ kind: 'error', message: '--webhook-registration takes one of create, ca-bundle, none, not "chart"' });
  });
});
