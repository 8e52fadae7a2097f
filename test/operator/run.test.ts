/** The operator process (runOperator) against the fake API server: servers, readiness, the webhook seam, graceful stop. */
import { afterEach, describe, expect, it } from 'vitest';
import { CoordinationV1Api } from '@kubernetes/client-node';
import { parseCli } from '../../operator/cli.js';
import { runOperator, type RunningOperator } from '../../operator/run.js';
import type { WebhookSettings } from '../../operator/webhook-starter.js';
import { eventually } from '../fakes/kube/poll.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { createRoute, createSecret, fakeKube, getRoute, silentLog } from './harness.js';

let kube: FakeKube;
let running: RunningOperator | undefined;
afterEach(async () => {
  await running?.stop();
  await kube.close();
});

describe('runOperator', () => {
  it('serves /metrics, /healthz and /readyz, hands the flags to the webhook, and releases the Lease on stop', async () => {
    kube = await fakeKube();
    await createSecret(kube);
    await createRoute(kube, 'bot');
    const parsed = parseCli(
      ['--metrics-port', '0', '--health-port', '0', '--namespace', 'bellwether-system', '--identity', 'op-1', '--webhook-url', 'https://127.0.0.1:9443', '--sidecar-image', 'img:1', '--sidecar-log-level', 'debug', '--webhook-registration', 'none', '--webhook-cert-dir', '/tls'],
      {},
    );
    if (parsed.kind !== 'run') throw new Error('flags');
    const seen: WebhookSettings[] = [];
    let webhookClosed = false;
    running = await runOperator(parsed.cli, {
      log: silentLog,
      kubeconfig: kube.kubeconfig,
      startWebhook: async (settings) => {
        seen.push(settings);
        return { close: async () => void (webhookClosed = true) };
      },
    });
    expect(seen).toEqual([{ port: 9443, url: 'https://127.0.0.1:9443', registration: 'none', certDir: '/tls', namespace: 'bellwether-system', identity: 'op-1', sidecar: { image: 'img:1', logLevel: 'debug' } }]);

    const health = (path: string) => fetch(`http://127.0.0.1:${running!.healthPort}${path}`).then((r) => r.status);
    expect(await health('/healthz')).toBe(200);
    await eventually(async () => (await health('/readyz')) === 200);
    await eventually(() => getRoute(kube, 'bot')?.status?.observedGeneration === 1);
    const metrics = await (await fetch(`http://127.0.0.1:${running.metricsPort}/metrics`)).text();
    expect(metrics).toContain('bellwether_operator_reconciles_total{result="success"}');
    expect(metrics).toContain('bellwether_operator_leader 1');

    await running.stop();
    running = undefined;
    expect(webhookClosed).toBe(true);
    const lease = await kube.kubeconfig.makeApiClient(CoordinationV1Api).readNamespacedLease({ namespace: 'bellwether-system', name: 'bellwether-operator' });
    expect(lease.spec).toMatchObject({ holderIdentity: '', leaseDurationSeconds: 1 });
  });
});
