/** Owner-reference garbage collection, finalizers, Lease races, Events, setPodReady and TLS. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiException, CoordinationV1Api, CoreV1Api, CustomObjectsApi, EventsV1Api, type V1Lease } from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from './server.js';
import { eventually } from './poll.js';
import { route, TEST_CRD } from './fixtures.js';

let kube: FakeKube;
let core: CoreV1Api;
const ns = 'life';

beforeAll(async () => {
  kube = await startFakeKube({ crds: [TEST_CRD] });
  core = kube.kubeconfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
});
afterAll(() => kube.close());

describe('fake kube: lifecycle', () => {
  it('deletes dependents in the background after their owner is deleted', async () => {
    const crs = kube.kubeconfig.makeApiClient(CustomObjectsApi);
    const rr = { group: 'bellwether.dev', version: 'v1alpha1', namespace: ns, plural: 'relayroutes' };
    const owner = await crs.createNamespacedCustomObject({ ...rr, body: route('owner') });
    const ref = { apiVersion: 'bellwether.dev/v1alpha1', kind: 'RelayRoute', name: 'owner', uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true };
    const cm = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'bellwether-owner', ownerReferences: [ref] } } });
    // A dependent of the dependent, and an object with a second, live owner.
    await core.createNamespacedSecret({ namespace: ns, body: { metadata: { name: 'grandchild', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: cm.metadata!.name!, uid: cm.metadata!.uid! }] } } });
    const other = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'other-owner' } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'shared', ownerReferences: [ref, { apiVersion: 'v1', kind: 'ConfigMap', name: 'other-owner', uid: other.metadata!.uid! }] } } });

    await crs.deleteNamespacedCustomObject({ ...rr, name: 'owner' });
    await eventually(async () => (await core.listNamespacedSecret({ namespace: ns })).items.length === 0);
    const left = (await core.listNamespacedConfigMap({ namespace: ns })).items;
    expect(left.map((c) => c.metadata?.name).sort()).toEqual(['other-owner', 'shared']);
    expect(left.find((c) => c.metadata?.name === 'shared')?.metadata?.ownerReferences?.map((r) => r.name)).toEqual(['other-owner']);
  });

  it('orphans dependents with propagationPolicy=Orphan', async () => {
    const owner = await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'o2' } } });
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'dep2', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'o2', uid: owner.metadata!.uid! }] } } });
    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'o2', propagationPolicy: 'Orphan' });
    const dep = await eventually(async () => {
      const d = await core.readNamespacedConfigMap({ namespace: ns, name: 'dep2' });
      return d.metadata?.ownerReferences ? undefined : d;
    });
    expect(dep.metadata?.name).toBe('dep2');
  });

  it('keeps an object with finalizers until they are removed', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: { metadata: { name: 'fin', finalizers: ['bellwether.dev/cleanup'] } } });
    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'fin' });
    const marked = await core.readNamespacedConfigMap({ namespace: ns, name: 'fin' });
    expect(marked.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    await core.patchNamespacedConfigMap({ namespace: ns, name: 'fin', body: [{ op: 'remove', path: '/metadata/finalizers' }] });
    await expect(core.readNamespacedConfigMap({ namespace: ns, name: 'fin' })).rejects.toMatchObject({ code: 404 });
  });

  it('lets exactly one of two Lease writers win; the other gets 409', async () => {
    const leases = kube.kubeconfig.makeApiClient(CoordinationV1Api);
    const now = new Date();
    await leases.createNamespacedLease({ namespace: ns, body: { metadata: { name: 'bellwether-operator' }, spec: { holderIdentity: '', leaseDurationSeconds: 15 } } });
    const a = await leases.readNamespacedLease({ namespace: ns, name: 'bellwether-operator' });
    const b = await leases.readNamespacedLease({ namespace: ns, name: 'bellwether-operator' });
    const take = (l: V1Lease, who: string) =>
      leases.replaceNamespacedLease({ namespace: ns, name: 'bellwether-operator', body: { ...l, spec: { ...l.spec, holderIdentity: who, acquireTime: now as never, renewTime: now as never } } });
    const results = await Promise.allSettled([take(a, 'a'), take(b, 'b')]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]!.reason).toBeInstanceOf(ApiException);
    expect((lost[0]!.reason as ApiException<unknown>).code).toBe(409);
    const { metadata: _m, ...noVersion } = a;
    const blind = await leases.replaceNamespacedLease({ namespace: ns, name: 'bellwether-operator', body: { ...noVersion, metadata: { name: 'bellwether-operator' } } }).catch((e: ApiException<unknown>) => e);
    expect((blind as ApiException<unknown>).code).toBe(422);
    const holder = (await leases.readNamespacedLease({ namespace: ns, name: 'bellwether-operator' })).spec?.holderIdentity;
    expect(holder).toBe((won[0] as PromiseFulfilledResult<V1Lease>).value.spec?.holderIdentity);
    expect(new Date((await leases.readNamespacedLease({ namespace: ns, name: 'bellwether-operator' })).spec!.renewTime as never).getTime()).toBe(now.getTime());
  });

  it('accepts core/v1 and events.k8s.io/v1 Events and lists them', async () => {
    await core.createNamespacedEvent({ namespace: ns, body: { metadata: { generateName: 'rr.' }, involvedObject: { kind: 'RelayRoute', name: 'x', namespace: ns }, reason: 'RolledBack', message: 'Rolled back: relay error rate 3.2% > 1.0%', type: 'Warning' } });
    const ev = kube.kubeconfig.makeApiClient(EventsV1Api);
    await ev.createNamespacedEvent({ namespace: ns, body: { metadata: { generateName: 'rr.' }, eventTime: new Date() as never, reportingController: 'bellwether.dev/operator', reportingInstance: 'op-1', action: 'Advance', reason: 'Advance', regarding: { kind: 'RelayRoute', name: 'x', namespace: ns }, note: 'Advance: 5% → 25%', type: 'Normal' } });
    const all = kube.events(ns);
    expect(all.map((e) => e.reason)).toEqual(['RolledBack', 'Advance']);
    const byField = await core.listNamespacedEvent({ namespace: ns, fieldSelector: 'involvedObject.name=x,reason=RolledBack' });
    expect(byField.items).toHaveLength(1);
  });

  it('setPodReady marks a pod Running and Ready with its IP; pods start Pending', async () => {
    const pod = await core.createNamespacedPod({ namespace: ns, body: { metadata: { name: 'p' }, spec: { containers: [{ name: 'app', image: 'app' }] } } });
    expect(pod.status?.phase).toBe('Pending');
    kube.setPodReady(ns, 'p', '127.0.0.1');
    const ready = await core.readNamespacedPod({ namespace: ns, name: 'p' });
    expect(ready.status?.phase).toBe('Running');
    expect(ready.status?.podIP).toBe('127.0.0.1');
    expect(ready.status?.conditions?.find((c) => c.type === 'Ready')?.status).toBe('True');
    const running = await core.listNamespacedPod({ namespace: ns, fieldSelector: 'status.phase=Running' });
    expect(running.items.map((p) => p.metadata?.name)).toEqual(['p']);
  });

  it('serves HTTPS with its own CA when tls is set', async () => {
    const secure = await startFakeKube({ tls: true });
    try {
      expect(secure.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const api = secure.kubeconfig.makeApiClient(CoreV1Api);
      expect((await api.listNamespace()).items.map((n) => n.metadata?.name)).toEqual(['default', 'kube-system']);
    } finally {
      await secure.close();
    }
  });
});
