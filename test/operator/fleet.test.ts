/** The fleet poll: sidecars' /status over real HTTP → merged status, TrafficSeen, fleet rollback. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { statusURLResolver } from '../../operator/controller/fleet.js';
import type { Operator } from '../../operator/controller/operator.js';
import { OperatorMetrics } from '../../operator/metrics.js';
import { findCondition, type RelayRoute } from '../../operator/route.js';
import type { SidecarStatus } from '../../operator/sidecar-status.js';
import { statusDoc, type SideSpec } from '../../operator/testdata/fixtures.js';
import { eventually } from '../fakes/kube/poll.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { NS, createPod, createRoute, createSecret, fakeKube, getRoute, makeOperator, statusServer } from './harness.js';

let kube: FakeKube;
let op: Operator;
let metrics: OperatorMetrics;
const servers: Array<{ close(): Promise<void> }> = [];
const docs: Record<string, SidecarStatus | 'hang'> = {};

const doc = (relay: SideSpec, official: SideSpec = { requests: 0 }) => statusDoc({ generation: 1, route: { namespace: NS, name: 'bot' }, relay, official, cost: 1.5, savings: 4 });

beforeEach(async () => {
  kube = await fakeKube();
  metrics = new OperatorMetrics();
  op = makeOperator(kube, { statusURL: statusURLResolver({ adminPortAnnotation: true }), fleetTimeoutMs: 300, metrics });
  await createSecret(kube);
  await createRoute(kube, 'bot');
  for (const pod of ['bot-1', 'bot-2']) {
    const s = await statusServer(() => docs[pod] ?? 'hang');
    servers.push(s);
    await createPod(kube, pod, 'bot', s.port);
  }
  // A selected pod without a sidecar: selected, not injected.
  await kube.kubeconfig.makeApiClient((await import('@kubernetes/client-node')).CoreV1Api).createNamespacedPod({
    namespace: NS,
    body: { metadata: { name: 'bot-plain', labels: { app: 'bot' } }, spec: { containers: [{ name: 'app', image: 'app:1' }] } },
  });
  kube.setPodReady(NS, 'bot-plain', '127.0.0.1');
  await op.start();
});
afterEach(async () => {
  await op.stop();
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await kube.close();
  for (const k of Object.keys(docs)) delete docs[k];
});

async function poll(): Promise<RelayRoute> {
  await op.pollFleet();
  await op.idle();
  return getRoute(kube, 'bot')!;
}
const cond = (r: RelayRoute, type: string) => findCondition(r.status?.conditions, type);
const cmText = () => (kube.get('v1', 'ConfigMap', NS, 'bellwether-bot') as { data?: Record<string, string> } | undefined)?.data?.['route.yaml'] ?? '';

describe('fleet status', () => {
  it('merges the sidecars\' windows into the status and says TrafficSeen', async () => {
    await eventually(() => getRoute(kube, 'bot')?.status?.observedGeneration === 1);
    await op.idle(); // the first poll, at becoming the leader
    docs['bot-1'] = doc({ requests: 120, failures: 0 }, { requests: 30 });
    docs['bot-2'] = doc({ requests: 80, failures: 1 });
    const r = await poll();
    expect(r.status).toMatchObject({
      phase: 'Progressing',
      effectiveWeight: 25,
      pods: { selected: 3, injected: 2, reporting: 2 },
      sides: { relay: { requests: 200, errorRate: 0.005 }, official: { requests: 30, errorRate: 0 } },
      costUSD: 3,
      savingsUSD: 8,
    });
    expect(r.status?.sides?.relay.p99LatencyMs).toBeGreaterThan(0);
    expect(cond(r, 'TrafficSeen')).toMatchObject({ status: 'True' });
    expect(cond(r, 'RolledBack')).toMatchObject({ status: 'False', reason: 'WithinThresholds' });
    expect(await metrics.registry.getSingleMetricAsString('bellwether_operator_pods_reporting')).toContain('route="bot"} 2');
    // The status as route gauges, for the dashboard and the alerts (route-metrics.ts).
    const text = await metrics.registry.metrics();
    expect(text).toContain('bellwether_operator_route_pods{namespace="shop",route="bot",state="selected"} 3');
    expect(text).toContain('bellwether_operator_route_pods{namespace="shop",route="bot",state="injected"} 2');
    expect(text).toContain('bellwether_operator_route_phase{namespace="shop",route="bot",phase="Progressing"} 1');
    expect(text).toContain('bellwether_operator_route_window_requests{namespace="shop",route="bot",side="relay"} 200');
    expect(text).toContain('bellwether_operator_route_condition{namespace="shop",route="bot",type="TrafficSeen",status="True"} 1');
  });

  it('says TrafficSeen=False when running injected pods send nothing through their sidecars', async () => {
    docs['bot-1'] = doc({ requests: 0 });
    docs['bot-2'] = doc({ requests: 0 });
    const r = await poll();
    expect(cond(r, 'TrafficSeen')).toMatchObject({ status: 'False', reason: 'NoTraffic' });
    expect(cond(r, 'TrafficSeen')?.message).toContain('2 reporting sidecars counted no request over 15m');
  });

  it('counts a pod whose /status does not answer as not reporting, never healthy', async () => {
    docs['bot-1'] = doc({ requests: 150, failures: 0 });
    docs['bot-2'] = 'hang'; // times out after fleetTimeoutMs
    const silent = async () => Number(/result="silent"} (\d+)/.exec(await metrics.registry.getSingleMetricAsString('bellwether_operator_fleet_polls_total'))?.[1] ?? 0);
    await op.idle();
    const before = await silent();
    const r = await poll();
    expect(r.status?.pods).toEqual({ selected: 3, injected: 2, reporting: 1 });
    expect(r.status?.sides?.relay.requests).toBe(150);
    expect((await silent()) - before).toBe(1);
  });

  it('rolls the fleet back on a merged breach: effective weight 0 in the ConfigMap, phase RolledBack, the Event; it holds', async () => {
    docs['bot-1'] = doc({ requests: 300, failures: 12 });
    docs['bot-2'] = doc({ requests: 112, failures: 1 });
    const r = await poll();
    expect(r.status).toMatchObject({ phase: 'RolledBack', effectiveWeight: 0, desiredWeight: 25, lastRollback: { reason: 'error_rate', generation: 1 } });
    expect(cond(r, 'RolledBack')).toMatchObject({ status: 'True', reason: 'ErrorRateExceeded' });
    expect(cmText()).toContain('bellwether.dev/effective-weight: "0"');
    expect(cmText()).toContain('bellwether.dev/fleet-rollback');
    const events = kube.events(NS) as unknown as Array<{ reason: string; message: string; type: string }>;
    const rolled = events.filter((e) => e.reason === 'RolledBack');
    expect(rolled).toEqual([expect.objectContaining({ type: 'Warning', message: 'Rolled back: relay error rate 3.2% > 1.0% over 15m (412 relay requests from 2 pods)' })]);
    expect(await metrics.registry.getSingleMetricAsString('bellwether_operator_rollbacks_total')).toContain('route="bot"} 1');
    const text = await metrics.registry.metrics();
    expect(text).toContain('bellwether_operator_route_phase{namespace="shop",route="bot",phase="RolledBack"} 1');
    expect(text).toContain('bellwether_operator_route_weight_percent{namespace="shop",route="bot",kind="effective"} 0');
    expect(text).toContain('bellwether_operator_route_weight_percent{namespace="shop",route="bot",kind="desired"} 25');

    // The relay recovers: the rollback holds until a new generation, and is not recorded twice.
    docs['bot-1'] = doc({ requests: 300 });
    docs['bot-2'] = doc({ requests: 300 });
    const again = await poll();
    expect(again.status).toMatchObject({ phase: 'RolledBack', effectiveWeight: 0 });
    expect((kube.events(NS) as unknown as Array<{ reason: string }>).filter((e) => e.reason === 'RolledBack')).toHaveLength(1);
  });
});
