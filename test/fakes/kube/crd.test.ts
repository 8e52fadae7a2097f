/** Custom resources through CustomObjectsApi: defaulting, schema validation, strict fields, status subresource, generation. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ApiException, CustomObjectsApi, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { startFakeKube, type FakeKube } from './server.js';
import { route, TEST_CRD } from './fixtures.js';

let kube: FakeKube;
let crs: CustomObjectsApi;
const rr = { group: 'bellwether.dev', version: 'v1alpha1', namespace: 'shop', plural: 'relayroutes' };
const merge = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
type Route = { metadata: { generation: number; resourceVersion: string }; spec: Record<string, any>; status?: Record<string, unknown> };

async function failure(p: Promise<unknown>): Promise<{ code: number; reason: string; message: string; details?: { causes?: { field?: string; reason: string }[] } }> {
  const e = await p.then(() => new Error('expected the call to fail'), (err: unknown) => err);
  expect(e).toBeInstanceOf(ApiException);
  const body = (e as ApiException<unknown>).body;
  return typeof body === 'string' ? JSON.parse(body) : (body as never);
}

beforeAll(async () => {
  kube = await startFakeKube({ crds: [TEST_CRD] });
  crs = kube.kubeconfig.makeApiClient(CustomObjectsApi);
});
afterAll(() => kube.close());

describe('fake kube: custom resources', () => {
  it('defaults from the schema on create, starts at generation 1 and drops .status', async () => {
    const created: Route = await crs.createNamespacedCustomObject({ ...rr, body: { ...route('a'), status: { phase: 'Progressing' } } });
    expect(created.spec.canary).toEqual({ weight: 0, fallbackToOfficial: true });
    expect(created.spec.rollback).toEqual({ action: 'rollback', window: '15m' });
    expect(created.metadata.generation).toBe(1);
    expect(created.status).toBeUndefined();
  });

  it('merge patch bumps generation on spec changes only; /status changes only status', async () => {
    const patched: Route = await crs.patchNamespacedCustomObject({ ...rr, name: 'a', body: { spec: { canary: { weight: 25 } } } }, merge);
    expect(patched.spec.canary).toEqual({ weight: 25, fallbackToOfficial: true });
    expect(patched.metadata.generation).toBe(2);
    const labelled: Route = await crs.patchNamespacedCustomObject({ ...rr, name: 'a', body: { metadata: { labels: { x: 'y' } } } }, merge);
    expect(labelled.metadata.generation).toBe(2);

    const st: Route = await crs.patchNamespacedCustomObjectStatus(
      { ...rr, name: 'a', body: { status: { observedGeneration: 2, phase: 'Progressing' }, spec: { canary: { weight: 99 } } } },
      merge,
    );
    expect(st.status).toEqual({ observedGeneration: 2, phase: 'Progressing' });
    expect(st.spec.canary.weight).toBe(25);
    expect(st.metadata.generation).toBe(2);

    // A main-resource write ignores .status.
    const main: Route = await crs.patchNamespacedCustomObject({ ...rr, name: 'a', body: { status: { phase: 'RolledBack' } } }, merge);
    expect(main.status?.phase).toBe('Progressing');
    const got: Route = await crs.getNamespacedCustomObjectStatus({ ...rr, name: 'a' });
    expect(got.status?.phase).toBe('Progressing');
  });

  it('PUT /status with a stale resourceVersion → 409', async () => {
    const cur: Route = await crs.getNamespacedCustomObject({ ...rr, name: 'a' });
    await crs.replaceNamespacedCustomObjectStatus({ ...rr, name: 'a', body: { ...cur, status: { phase: 'Pending' } } });
    const st = await failure(crs.replaceNamespacedCustomObjectStatus({ ...rr, name: 'a', body: { ...cur, status: { phase: 'RolledBack' } } }));
    expect(st).toMatchObject({ code: 409, reason: 'Conflict' });
  });

  it('JSON patch (client-node 1.x default for CustomObjectsApi) with a resourceVersion test', async () => {
    const cur: Route = await crs.getNamespacedCustomObject({ ...rr, name: 'a' });
    const ok: Route = await crs.patchNamespacedCustomObject({ ...rr, name: 'a', body: [{ op: 'test', path: '/metadata/resourceVersion', value: cur.metadata.resourceVersion }, { op: 'replace', path: '/spec/canary/weight', value: 50 }] });
    expect(ok.spec.canary.weight).toBe(50);
    const st = await failure(crs.patchNamespacedCustomObject({ ...rr, name: 'a', body: [{ op: 'test', path: '/metadata/resourceVersion', value: cur.metadata.resourceVersion }] }));
    expect(st.code).toBe(422);
  });

  it('refuses strategic merge patch and server-side apply for custom resources with 415', async () => {
    const smp = setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch);
    expect((await failure(crs.patchNamespacedCustomObject({ ...rr, name: 'a', body: { spec: {} } }, smp))).code).toBe(415);
    const apply = await fetch(`${kube.url}/apis/bellwether.dev/v1alpha1/namespaces/shop/relayroutes/a?fieldManager=t`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${kube.token}`, 'Content-Type': 'application/apply-patch+yaml' },
      body: 'spec: {}',
    });
    expect(apply.status).toBe(415);
  });

  it('validates against the schema (422 Invalid naming the field), after defaulting', async () => {
    const st = await failure(crs.createNamespacedCustomObject({ ...rr, body: route('bad', { canary: { weight: 150 }, rollback: { action: 'panic' }, relay: { baseURL: 'ftp://x' } }) }));
    expect(st.code).toBe(422);
    expect(st.reason).toBe('Invalid');
    expect(st.message).toContain('RelayRoute.bellwether.dev "bad" is invalid: [');
    expect(st.message).toContain('spec.canary.weight: Invalid value: 150: spec.canary.weight in body should be less than or equal to 100');
    expect(st.message).toContain('spec.rollback.action: Unsupported value: "panic": supported values: "rollback", "alert"');
    expect(st.details?.causes?.map((c) => c.field).sort()).toEqual(['spec.canary.weight', 'spec.relay.baseURL', 'spec.rollback.action']);
    const missing = await failure(crs.createNamespacedCustomObject({ ...rr, body: { ...route('bad2'), spec: {} } }));
    expect(missing.message).toBe('RelayRoute.bellwether.dev "bad2" is invalid: spec.relay: Required value');
    const typed = await failure(crs.createNamespacedCustomObject({ ...rr, body: route('bad3', { canary: { weight: 'ten' } }) }));
    expect(typed.message).toContain('spec.canary.weight in body must be of type integer: "string"');
  });

  it('fieldValidation=Strict refuses unknown fields with 400; Warn prunes them and warns', async () => {
    const st = await failure(crs.createNamespacedCustomObject({ ...rr, fieldValidation: 'Strict', body: route('s', { foo: 1, canary: { wieght: 5 } }) }));
    expect(st).toMatchObject({ code: 400, reason: 'BadRequest' });
    expect(st.message).toBe('strict decoding error: unknown field "spec.foo", unknown field "spec.canary.wieght"');
    const info = await crs.createNamespacedCustomObjectWithHttpInfo({ ...rr, body: route('w', { foo: 1 }) });
    expect(info.headers['warning']).toBe('299 - "unknown field \\"spec.foo\\""');
    expect((info.data as Route).spec.foo).toBeUndefined();
  });

  it('serves the project CRD (crds/relayroute.yaml) with its defaults', async () => {
    const crd = parse(readFileSync(new URL('../../../crds/relayroute.yaml', import.meta.url), 'utf8')) as object;
    const real = await startFakeKube({ crds: [crd] });
    try {
      const api = real.kubeconfig.makeApiClient(CustomObjectsApi);
      const body = {
        apiVersion: 'bellwether.dev/v1alpha1',
        kind: 'RelayRoute',
        metadata: { name: 'support-bot' },
        spec: {
          official: { baseURL: 'https://api.openai.com/v1' },
          relay: { baseURL: 'https://relay.example/v1', apiKeySecretRef: { name: 'k', key: 'API_KEY' } },
          models: [{ match: ['*'], chain: ['kimi-k2'] }],
          catalog: [{ name: 'kimi-k2', price: { input: 0.18, output: 0.36 } }],
        },
      };
      const made: Route = await api.createNamespacedCustomObject({ ...rr, namespace: 'default', body });
      expect(made.spec.canary.fallbackToOfficial).toBe(true);
      expect(made.spec.rollback.maxErrorRate).toBe(0.01);
      expect(made.metadata.generation).toBe(1);
      const crdObj = real.get('apiextensions.k8s.io/v1', 'CustomResourceDefinition', undefined, 'relayroutes.bellwether.dev') as any;
      expect(crdObj.status.conditions.map((c: { type: string }) => c.type)).toContain('Established');
      expect(real.kubeconfig.exportConfig()).toContain(real.url);
    } finally {
      await real.close();
    }
  });

  it('registers a CRD created through the API and reports it Established', async () => {
    const crd = structuredClone(TEST_CRD) as any;
    crd.metadata.name = 'widgets.example.com';
    crd.spec.group = 'example.com';
    crd.spec.names = { kind: 'Widget', plural: 'widgets' };
    const res = await fetch(`${kube.url}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${kube.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(crd),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { status: { conditions: { type: string; status: string }[] } };
    expect(body.status.conditions).toContainEqual(expect.objectContaining({ type: 'Established', status: 'True' }));
    const w = await crs.createNamespacedCustomObject({ group: 'example.com', version: 'v1alpha1', namespace: 'shop', plural: 'widgets', body: { apiVersion: 'example.com/v1alpha1', kind: 'Widget', metadata: { name: 'w' }, spec: { relay: { baseURL: 'http://x' } } } });
    expect(w.kind).toBe('Widget');
  });
});
