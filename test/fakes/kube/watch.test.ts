/** Watches and informers through client-node 1.x: events, resume, bookmarks, 410 Expired and the informer's relist. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CoreV1Api, makeInformer, Watch, type V1ConfigMap } from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from './server.js';
import { eventually } from './poll.js';

let kube: FakeKube;
let core: CoreV1Api;
const ns = 'watch';

beforeAll(async () => {
  kube = await startFakeKube({ bookmarkIntervalMs: 50 });
  core = kube.kubeconfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: ns } } });
});
afterAll(() => kube.close());

const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = {}) => ({ metadata: { name, labels }, data });

/** Collect `type name` lines from a client-node Watch until stopped. */
function collect(path: string, query: Record<string, string>) {
  const seen: string[] = [];
  const raw: { type: string; object: any }[] = [];
  let done: unknown = 'open';
  const ctrl = new Watch(kube.kubeconfig).watch(path, query, (type, obj) => {
    seen.push(`${type} ${obj?.metadata?.name ?? obj?.reason ?? ''}`);
    raw.push({ type, object: obj });
  }, (err) => (done = err));
  return { seen, raw, done: () => done, stop: async () => (await ctrl).abort() };
}

describe('fake kube: watch', () => {
  it('delivers ADDED/MODIFIED/DELETED, replays from a resourceVersion, and follows a label selector', async () => {
    const start = (await core.listNamespacedConfigMap({ namespace: ns })).metadata!.resourceVersion!;
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('a', { app: 'x' }) });
    await core.patchNamespacedConfigMap({ namespace: ns, name: 'a', body: [{ op: 'add', path: '/data/k', value: 'v' }] });
    // Resume from before those writes: they are replayed in order, then live events follow.
    const w = collect(`/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: start, labelSelector: 'app=x' });
    await eventually(() => w.seen.length === 2);
    await core.patchNamespacedConfigMap({ namespace: ns, name: 'a', body: [{ op: 'replace', path: '/metadata/labels/app', value: 'y' }] });
    await core.patchNamespacedConfigMap({ namespace: ns, name: 'a', body: [{ op: 'replace', path: '/metadata/labels/app', value: 'x' }] });
    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'a' });
    await eventually(() => w.seen.length === 5);
    expect(w.seen).toEqual(['ADDED a', 'MODIFIED a', 'DELETED a', 'ADDED a', 'DELETED a']);
    const rvs = w.raw.map((e) => Number(e.object.metadata.resourceVersion));
    expect([...rvs].sort((x, y) => x - y)).toEqual(rvs);
    await w.stop();
  });

  it('starts with the current objects when no resourceVersion is given', async () => {
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('b') });
    const w = collect(`/api/v1/namespaces/${ns}/configmaps`, {});
    await eventually(() => w.seen.includes('ADDED b'));
    await w.stop();
  });

  it('sends BOOKMARK events when asked, and ends the stream at timeoutSeconds', async () => {
    const rv = (await core.listNamespacedConfigMap({ namespace: ns })).metadata!.resourceVersion!;
    const w = collect(`/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: rv, allowWatchBookmarks: 'true', timeoutSeconds: '1' });
    const bm = await eventually(() => w.raw.find((e) => e.type === 'BOOKMARK'));
    expect(bm.object).toMatchObject({ kind: 'ConfigMap', apiVersion: 'v1' });
    expect(Number(bm.object.metadata.resourceVersion)).toBeGreaterThanOrEqual(Number(rv));
    await eventually(() => w.done() === null, { timeoutMs: 3000 });
  });

  it('answers a watch from a compacted resourceVersion with an ERROR event carrying 410 Expired', async () => {
    const rv = (await core.listNamespacedConfigMap({ namespace: ns })).metadata!.resourceVersion!;
    kube.compact();
    const w = collect(`/api/v1/namespaces/${ns}/configmaps`, { resourceVersion: rv });
    await eventually(() => w.done() === null);
    expect(w.raw).toHaveLength(1);
    expect(w.raw[0]).toMatchObject({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } });
    expect(w.raw[0]!.object.message).toMatch(/^too old resource version: \d+ \(\d+\)$/);
    // An Exact list from before the compaction is gone too; NotOlderThan still works.
    await expect(core.listNamespacedConfigMap({ namespace: ns, resourceVersion: rv, resourceVersionMatch: 'Exact' })).rejects.toMatchObject({ code: 410 });
    expect((await core.listNamespacedConfigMap({ namespace: ns, resourceVersion: rv, resourceVersionMatch: 'NotOlderThan' })).items.length).toBeGreaterThan(0);
  });

  it('lists the state at an exact resourceVersion', async () => {
    const before = (await core.listNamespacedConfigMap({ namespace: ns })).metadata!.resourceVersion!;
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('later') });
    const exact = await core.listNamespacedConfigMap({ namespace: ns, resourceVersion: before, resourceVersionMatch: 'Exact' });
    expect(exact.metadata?.resourceVersion).toBe(before);
    expect(exact.items.map((i) => i.metadata?.name)).not.toContain('later');
  });
});

describe('fake kube: informer', () => {
  it('calls add/update/delete, and relists after 410 Gone', async () => {
    const events: string[] = [];
    const informer = makeInformer(kube.kubeconfig, `/api/v1/namespaces/${ns}/configmaps`, () => core.listNamespacedConfigMap({ namespace: ns }));
    informer.on('add', (o: V1ConfigMap) => events.push(`add ${o.metadata?.name}`));
    informer.on('update', (o: V1ConfigMap) => events.push(`update ${o.metadata?.name}`));
    informer.on('delete', (o: V1ConfigMap) => events.push(`delete ${o.metadata?.name}`));
    informer.on('error', (e: unknown) => events.push(`error ${String(e)}`));
    await informer.start();
    await eventually(() => kube.openWatches() === 1);
    expect(events).toContain('add b');

    await core.createNamespacedConfigMap({ namespace: ns, body: cm('i1') });
    await eventually(() => events.includes('add i1'));
    await core.patchNamespacedConfigMap({ namespace: ns, name: 'i1', body: [{ op: 'add', path: '/data', value: { x: '1' } }] });
    await eventually(() => events.includes('update i1'));
    await core.deleteNamespacedConfigMap({ namespace: ns, name: 'i1' });
    await eventually(() => events.includes('delete i1'));

    // Drop history and end the watch; change things before the informer reconnects. Its resume
    // from the old resourceVersion gets 410, it relists, and the cache converges.
    const lists = () => kube.requests.filter((r) => r.verb === 'list' && r.resource === 'configmaps').length;
    const listsBefore = lists();
    kube.compact();
    kube.seed({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after-compact', namespace: ns } });
    kube.store.delete(kube.resource('v1', 'ConfigMap'), ns, 'b');
    await eventually(() => events.includes('add after-compact') && events.includes('delete b'));
    expect(lists()).toBe(listsBefore + 1);
    expect(informer.list(ns).map((o) => o.metadata?.name).sort()).toEqual(['after-compact', 'later']);
    expect(events.filter((e) => e.startsWith('error'))).toEqual([]);

    // And it keeps watching after the relist.
    await eventually(() => kube.openWatches() === 1);
    await core.createNamespacedConfigMap({ namespace: ns, body: cm('i2') });
    await eventually(() => events.includes('add i2'));
    await informer.stop();
  });
});
