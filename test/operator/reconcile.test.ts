/** The reconcile loop against the fake API server, through client-node unmodified. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RbacAuthorizationV1Api } from '@kubernetes/client-node';
import { findCondition, type RelayRoute } from '../../operator/route.js';
import type { Operator } from '../../operator/controller/operator.js';
import { eventually } from '../fakes/kube/poll.js';
import type { FakeKube } from '../fakes/kube/server.js';
import { NS, RR, apis, createRoute, createSecret, fakeKube, getRoute, makeOperator, routeBody, writesSince } from './harness.js';

let kube: FakeKube;
let op: Operator;

beforeEach(async () => {
  kube = await fakeKube();
  op = makeOperator(kube);
});
afterEach(async () => {
  await op.stop();
  await kube.close();
});

const cond = (r: RelayRoute | undefined, type: string) => findCondition(r?.status?.conditions, type);

async function settled(name: string, pred: (r: RelayRoute) => boolean = () => true): Promise<RelayRoute> {
  const r = await eventually(() => {
    const route = getRoute(kube, name);
    return route?.status?.observedGeneration === route?.metadata.generation && route && pred(route) ? route : undefined;
  });
  await op.idle();
  return r;
}

describe('operator reconcile', () => {
  it('renders the ConfigMap, Role and RoleBinding with owner references and writes the status; a second reconcile writes nothing', async () => {
    await createSecret(kube);
    const created = await createRoute(kube, 'support-bot');
    await op.start();
    const route = await settled('support-bot', (r) => cond(r, 'ConfigDistributed')?.status === 'True');

    const cm = kube.get('v1', 'ConfigMap', NS, 'bellwether-support-bot');
    const role = kube.get('rbac.authorization.k8s.io/v1', 'Role', NS, 'bellwether-support-bot-config');
    const rb = kube.get('rbac.authorization.k8s.io/v1', 'RoleBinding', NS, 'bellwether-support-bot-config');
    for (const o of [cm, role, rb]) {
      expect(o?.metadata.ownerReferences).toEqual([
        { apiVersion: 'bellwether.dev/v1alpha1', kind: 'RelayRoute', name: 'support-bot', uid: created.metadata.uid, controller: true, blockOwnerDeletion: true },
      ]);
      expect(o?.metadata.labels).toMatchObject({ 'app.kubernetes.io/managed-by': 'bellwether', 'bellwether.dev/route': 'support-bot' });
    }
    expect((cm as { data?: Record<string, string> }).data?.['route.yaml']).toContain('bellwether.dev/effective-weight: "25"');
    expect(route.status).toMatchObject({ observedGeneration: 1, phase: 'Progressing', desiredWeight: 25, effectiveWeight: 25, pods: { selected: 0, injected: 0, reporting: 0 } });
    expect(cond(route, 'Ready')).toMatchObject({ status: 'True', reason: 'Valid' });
    expect(cond(route, 'SecretFound')).toMatchObject({ status: 'True' });
    expect(cond(route, 'TrafficSeen')).toMatchObject({ status: 'Unknown' });

    const from = kube.requests.length;
    op.enqueue(`${NS}/support-bot`);
    await op.idle();
    op.enqueue(`${NS}/support-bot`);
    await op.idle();
    expect(op.outcomes.get(`${NS}/support-bot`)).toMatchObject({ applied: { ConfigMap: 'unchanged', Role: 'unchanged', RoleBinding: 'unchanged' }, statusWritten: false, events: [] });
    expect(writesSince(kube, from)).toEqual([]);
    expect(kube.requests.slice(from).some((r) => r.verb === 'get' && r.resource === 'relayroutes')).toBe(true); // it did run
  });

  it('updates the ConfigMap when the spec changes, and recreates a deleted one', async () => {
    await createSecret(kube);
    await createRoute(kube, 'bot');
    await op.start();
    await settled('bot');
    await apis(kube).crs.patchNamespacedCustomObject({ ...RR, namespace: NS, name: 'bot', body: { spec: { canary: { weight: 60 } } } }, (await import('@kubernetes/client-node')).setHeaderOptions('Content-Type', 'application/merge-patch+json'));
    await eventually(() => (kube.get('v1', 'ConfigMap', NS, 'bellwether-bot') as { data?: Record<string, string> }).data?.['route.yaml']?.includes('effective-weight: "60"'));
    const route = await settled('bot');
    expect(route.status).toMatchObject({ observedGeneration: 2, effectiveWeight: 60 });
    expect(kube.events(NS).map((e) => (e as unknown as { reason: string }).reason)).toContain('WeightChanged');

    await apis(kube).core.deleteNamespacedConfigMap({ namespace: NS, name: 'bellwether-bot' });
    await kube.kubeconfig.makeApiClient(RbacAuthorizationV1Api).deleteNamespacedRoleBinding({ namespace: NS, name: 'bellwether-bot-config' });
    await eventually(() => kube.get('v1', 'ConfigMap', NS, 'bellwether-bot') && kube.get('rbac.authorization.k8s.io/v1', 'RoleBinding', NS, 'bellwether-bot-config'), { what: 'recreated' });
    expect((kube.get('v1', 'ConfigMap', NS, 'bellwether-bot') as { data?: Record<string, string> }).data?.['route.yaml']).toContain('effective-weight: "60"');
  });

  it('reports a missing Secret in SecretFound and an Event, and clears it once the Secret exists', async () => {
    await createRoute(kube, 'bot', { secret: 'holysheep-api-credentials' });
    await op.start();
    const route = await settled('bot', (r) => cond(r, 'SecretFound')?.status === 'False');
    expect(cond(route, 'SecretFound')).toMatchObject({ reason: 'SecretNotFound' });
    expect(cond(route, 'SecretFound')?.message).toContain('"holysheep-api-credentials"');
    expect(cond(route, 'Ready')).toMatchObject({ status: 'False', reason: 'SecretNotFound' });
    const events = () => kube.events(NS) as unknown as Array<{ reason: string; message: string; count: number; involvedObject: { name: string; kind: string }; type: string }>;
    expect(events().filter((e) => e.reason === 'SecretNotFound')).toHaveLength(1);
    expect(events()[0]).toMatchObject({ type: 'Warning', count: 1, involvedObject: { kind: 'RelayRoute', name: 'bot' } });

    // Not reported twice by the next reconciles.
    op.enqueue(`${NS}/bot`);
    await op.idle();
    expect(events().filter((e) => e.reason === 'SecretNotFound')).toHaveLength(1);

    await createSecret(kube, 'holysheep-api-credentials');
    op.enqueue(`${NS}/bot`); // in production: the next fleet tick (every --status-interval)
    const fixed = await settled('bot', (r) => cond(r, 'SecretFound')?.status === 'True');
    expect(cond(fixed, 'Ready')).toMatchObject({ status: 'True' });
  });

  it('reports a missing Redis password Secret (spec.cache.redis.passwordSecretRef) in SecretFound and an Event', async () => {
    await createSecret(kube);
    const body = routeBody('bot') as { spec: Record<string, unknown> };
    body.spec.cache = { backend: 'redis', redis: { url: 'redis://redis:6379', passwordSecretRef: { name: 'redis-auth', key: 'password' } } };
    await apis(kube).crs.createNamespacedCustomObject({ ...RR, namespace: NS, body });
    await op.start();
    const route = await settled('bot', (r) => cond(r, 'SecretFound')?.status === 'False');
    expect(cond(route, 'SecretFound')).toMatchObject({ reason: 'SecretNotFound', message: expect.stringContaining('Secret "redis-auth" (spec.cache.redis.passwordSecretRef)') });
    const events = kube.events(NS) as unknown as Array<{ reason: string; message: string }>;
    expect(events.filter((e) => e.reason === 'SecretNotFound').map((e) => e.message)).toEqual([expect.stringContaining('"redis-auth"')]);

    await createSecret(kube, 'redis-auth', 'password');
    op.enqueue(`${NS}/bot`);
    await settled('bot', (r) => cond(r, 'SecretFound')?.status === 'True');
  });

  it('marks two routes selecting the same pods Invalid, with an Event each', async () => {
    await createSecret(kube);
    await createRoute(kube, 'a', { selector: { matchLabels: { app: 'shared' } } });
    await createRoute(kube, 'b', { selector: { matchLabels: { app: 'shared' } } });
    await op.start();
    for (const name of ['a', 'b']) {
      const r = await settled(name, (x) => x.status?.phase === 'Invalid');
      expect(cond(r, 'Ready')).toMatchObject({ status: 'False', reason: 'SelectorOverlap' });
    }
    const overlaps = (kube.events(NS) as unknown as Array<{ reason: string; involvedObject: { name: string } }>).filter((e) => e.reason === 'SelectorOverlap');
    expect(overlaps.map((e) => e.involvedObject.name).sort()).toEqual(['a', 'b']);
  });

  it('keeps its caches through watch ends (informer restart) and 410 Gone (relist)', async () => {
    await createSecret(kube);
    await op.start();
    await op.whenSynced();
    kube.closeWatches();
    await createRoute(kube, 'after-close');
    await settled('after-close');
    kube.compact(); // history dropped and watches closed: resuming gets 410 Expired, the informer relists
    await createRoute(kube, 'after-compact');
    await settled('after-compact');
    // The owned-object informers relisted too: a deleted ConfigMap is still noticed.
    await apis(kube).core.deleteNamespacedConfigMap({ namespace: NS, name: 'bellwether-after-compact' });
    await eventually(() => kube.get('v1', 'ConfigMap', NS, 'bellwether-after-compact'));
  });

  it('leaves deleting the rendered objects to the garbage collector', async () => {
    await createSecret(kube);
    await createRoute(kube, 'gone');
    await op.start();
    await settled('gone');
    await apis(kube).crs.deleteNamespacedCustomObject({ ...RR, namespace: NS, name: 'gone' });
    await eventually(() => !kube.get('v1', 'ConfigMap', NS, 'bellwether-gone') && !kube.get('rbac.authorization.k8s.io/v1', 'Role', NS, 'bellwether-gone-config'));
  });
});
