/** CRUD, selectors, optimistic concurrency and errors, through the real @kubernetes/client-node 1.x. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiException, CoordinationV1Api, CoreV1Api, KubernetesObjectApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from './server.js';
import { TEST_CRD } from './fixtures.js';

let kube: FakeKube;
let core: CoreV1Api;

/** The Status body of a failed client-node call (client-node 1.x puts it, parsed or as text, on ApiException.body). */
async function failure(p: Promise<unknown>): Promise<{ code: number; reason: string; message: string; details?: { causes?: { field?: string }[] } }> {
  const e = await p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiException);
  const body = (e as ApiException<unknown>).body;
  return typeof body === 'string' ? JSON.parse(body) : (body as never);
}

beforeAll(async () => {
  kube = await startFakeKube({ crds: [TEST_CRD] });
  core = kube.kubeconfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: 'shop', labels: { team: 'a' } } } });
});
afterAll(() => kube.close());

describe('fake kube: core CRUD', () => {
  it('creates, reads and lists ConfigMaps with label and field selectors', async () => {
    const mk = (name: string, labels: Record<string, string>) => core.createNamespacedConfigMap({ namespace: 'shop', body: { metadata: { name, labels }, data: { k: name } } });
    const a = await mk('a', { app: 'x', tier: 'web' });
    await mk('b', { app: 'y', tier: 'web' });
    await mk('c', { app: 'z' });
    expect(a.metadata?.uid).toMatch(/-/);
    expect(a.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(Number(a.metadata?.resourceVersion)).toBeGreaterThan(0);
    expect((await core.readNamespacedConfigMap({ namespace: 'shop', name: 'a' })).data).toEqual({ k: 'a' });

    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (await core.listNamespacedConfigMap({ namespace: 'shop', labelSelector, fieldSelector })).items.map((i) => i.metadata?.name);
    expect(await names('app=x')).toEqual(['a']);
    expect(await names('app!=x')).toEqual(['b', 'c']);
    expect(await names('app in (x,y)')).toEqual(['a', 'b']);
    expect(await names('app notin (x,y)')).toEqual(['c']);
    expect(await names('tier')).toEqual(['a', 'b']);
    expect(await names('!tier')).toEqual(['c']);
    expect(await names('tier=web,app=y')).toEqual(['b']);
    expect(await names(undefined, 'metadata.name=c')).toEqual(['c']);
    const list = await core.listNamespacedConfigMap({ namespace: 'shop' });
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThanOrEqual(Number(a.metadata?.resourceVersion));
  });

  it('pages a list with limit and continue', async () => {
    const first = await core.listNamespacedConfigMap({ namespace: 'shop', limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.metadata?._continue).toBeTruthy();
    const rest = await core.listNamespacedConfigMap({ namespace: 'shop', limit: 2, _continue: first.metadata!._continue! });
    expect(rest.items.map((i) => i.metadata?.name)).toEqual(['c']);
    expect(rest.metadata?._continue).toBeFalsy();
  });

  it('generates names and refuses duplicates with 409 AlreadyExists', async () => {
    const made = await core.createNamespacedSecret({ namespace: 'shop', body: { metadata: { generateName: 'key-' }, stringData: { a: 'b' } } });
    expect(made.metadata?.name).toMatch(/^key-[a-z0-9]{5}$/);
    const st = await failure(core.createNamespacedConfigMap({ namespace: 'shop', body: { metadata: { name: 'a' } } }));
    expect(st).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'configmaps "a" already exists' });
  });

  it('answers 404 NotFound in the Status shape', async () => {
    const st = await failure(core.readNamespacedConfigMap({ namespace: 'shop', name: 'nope' }));
    expect(st).toMatchObject({ kind: 'Status', status: 'Failure', code: 404, reason: 'NotFound', message: 'configmaps "nope" not found' });
  });

  it('refuses a PUT with a stale resourceVersion with 409 Conflict', async () => {
    const cm = await core.readNamespacedConfigMap({ namespace: 'shop', name: 'b' });
    await core.replaceNamespacedConfigMap({ namespace: 'shop', name: 'b', body: { ...cm, data: { k: 'new' } } });
    const st = await failure(core.replaceNamespacedConfigMap({ namespace: 'shop', name: 'b', body: { ...cm, data: { k: 'lost' } } }));
    expect(st.code).toBe(409);
    expect(st.reason).toBe('Conflict');
    expect(st.message).toContain('the object has been modified');
  });

  it('patches with merge patch and JSON patch; a failing JSON patch test → 422', async () => {
    const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
    const merged = await core.patchNamespacedConfigMap({ namespace: 'shop', name: 'c', body: { data: { extra: '1' } } }, merge);
    expect(merged.data).toEqual({ k: 'c', extra: '1' });
    const json = await core.patchNamespacedConfigMap({ namespace: 'shop', name: 'c', body: [{ op: 'test', path: '/data/k', value: 'c' }, { op: 'remove', path: '/data/extra' }] });
    expect(json.data).toEqual({ k: 'c' });
    const st = await failure(core.patchNamespacedConfigMap({ namespace: 'shop', name: 'c', body: [{ op: 'test', path: '/data/k', value: 'other' }, { op: 'remove', path: '/data/k' }] }));
    expect(st).toMatchObject({ code: 422 });
    expect(st.message).toContain('test failed');
    expect((await core.readNamespacedConfigMap({ namespace: 'shop', name: 'c' })).data).toEqual({ k: 'c' });
  });

  it('deletes, then 404', async () => {
    await core.deleteNamespacedConfigMap({ namespace: 'shop', name: 'a' });
    expect((await failure(core.readNamespacedConfigMap({ namespace: 'shop', name: 'a' }))).code).toBe(404);
  });

  it('serves discovery so KubernetesObjectApi can map kinds to paths', async () => {
    const objects = KubernetesObjectApi.makeApiClient(kube.kubeconfig);
    await objects.create({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', namespace: 'shop' }, spec: { holderIdentity: 'me' } } as never);
    const read = await objects.read({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: 'l', namespace: 'shop' } });
    expect((read as unknown as { spec: { holderIdentity: string } }).spec.holderIdentity).toBe('me');
    const leases = await kube.kubeconfig.makeApiClient(CoordinationV1Api).listNamespacedLease({ namespace: 'shop' });
    expect(leases.items).toHaveLength(1);
    const version = await fetch(`${kube.url}/version`).then((r) => r.json() as Promise<{ minor: string }>);
    expect(version.minor).toBe('29');
  });

  it('requires a bearer token (401) and enforces per-token allow-lists (403)', async () => {
    expect((await fetch(`${kube.url}/api/v1/namespaces/shop/configmaps`)).status).toBe(401);
    const sa = kube.serviceAccount('shop', 'app', [{ verbs: ['get', 'watch', 'list'], apiGroups: [''], resources: ['configmaps'], resourceNames: ['b'], namespaces: ['shop'] }]);
    const asSa = sa.kubeconfig.makeApiClient(CoreV1Api);
    expect((await asSa.readNamespacedConfigMap({ namespace: 'shop', name: 'b' })).metadata?.name).toBe('b');
    expect((await asSa.listNamespacedConfigMap({ namespace: 'shop', fieldSelector: 'metadata.name=b' })).items).toHaveLength(1);
    const st = await failure(asSa.readNamespacedConfigMap({ namespace: 'shop', name: 'c' }));
    expect(st).toMatchObject({ code: 403, reason: 'Forbidden' });
    expect(st.message).toBe('configmaps "c" is forbidden: User "system:serviceaccount:shop:app" cannot get resource "configmaps" in API group "" in the namespace "shop"');
    expect((await failure(asSa.listNamespacedConfigMap({ namespace: 'shop' }))).code).toBe(403);
    expect((await failure(asSa.deleteNamespacedConfigMap({ namespace: 'shop', name: 'b' }))).code).toBe(403);
  });

  it('authorizes a service account from stored Roles and RoleBindings', async () => {
    const sa = kube.serviceAccount('shop', 'sidecar');
    const asSa = sa.kubeconfig.makeApiClient(CoreV1Api);
    expect((await failure(asSa.readNamespacedConfigMap({ namespace: 'shop', name: 'b' }))).code).toBe(403);
    const rbac = KubernetesObjectApi.makeApiClient(kube.kubeconfig);
    await rbac.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'read-b', namespace: 'shop' }, rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: ['b'], verbs: ['get', 'watch'] }] } as never);
    await rbac.create({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'read-b', namespace: 'shop' }, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'read-b' }, subjects: [{ kind: 'Group', name: 'system:serviceaccounts:shop' }] } as never);
    expect((await asSa.readNamespacedConfigMap({ namespace: 'shop', name: 'b' })).metadata?.name).toBe('b');
    expect((await failure(asSa.readNamespacedConfigMap({ namespace: 'shop', name: 'c' }))).code).toBe(403);
  });

  it('records requests for assertions', () => {
    expect(kube.requests.some((r) => r.verb === 'update' && r.resource === 'configmaps' && r.code === 409)).toBe(true);
  });
});
