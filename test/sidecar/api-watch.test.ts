/**
 * Config distribution through the API server: a sidecar follows its rendered
 * ConfigMap with its pod's service-account token and nothing more than `get`
 * and `watch` on that one ConfigMap; the mounted file is the boot copy and the
 * fallback. Against the fake API server (test/fakes/kube), over real HTTP.
 */
import { afterEach, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { startFakeKube, type FakeKube } from '../fakes/kube/server.js';
import { baseSpec, eventually, startStack, type Stack } from './harness.js';

let stack: Stack | undefined;
let kube: FakeKube | undefined;
afterEach(async () => {
  await stack?.close();
  await kube?.close();
  stack = undefined;
  kube = undefined;
});

const NS = 'shop';
const CM = 'bellwether-support-bot';

function routeText(spec: Record<string, unknown>, generation: number, weight?: number): string {
  const annotations = weight === undefined ? {} : { 'bellwether.dev/effective-weight': String(weight), 'bellwether.dev/phase': weight === 0 ? 'RolledBack' : 'Progressing' };
  return stringify({ apiVersion: 'bellwether.dev/v1alpha1', kind: 'RelayRoute', metadata: { name: 'support-bot', namespace: NS, generation, annotations }, spec });
}

/**
 * The fake API server with the Role/RoleBinding the operator renders (get +
 * watch on the one ConfigMap, by name), a token file for the pod's service
 * account, and `seed` to put the rendered ConfigMap in place.
 */
async function cluster(): Promise<{ kube: FakeKube; tokenFile: string; seed: (text: string) => void }> {
  const k = await startFakeKube();
  const put = (apiVersion: string, kind: string, body: { metadata: { name: string; namespace: string } } & Record<string, unknown>) => k.seed({ apiVersion, kind, ...body });
  put('rbac.authorization.k8s.io/v1', 'Role', { metadata: { name: `${CM}-config`, namespace: NS }, rules: [{ apiGroups: [''], resources: ['configmaps'], resourceNames: [CM], verbs: ['get', 'watch'] }] });
  put('rbac.authorization.k8s.io/v1', 'RoleBinding', {
    metadata: { name: `${CM}-config`, namespace: NS },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: `${CM}-config` },
    subjects: [{ kind: 'Group', apiGroup: 'rbac.authorization.k8s.io', name: `system:serviceaccounts:${NS}` }],
  });
  const { token } = k.serviceAccount(NS, 'default');
  const tokenFile = join(mkdtempSync(join(tmpdir(), 'bellwether-sa-')), 'token');
  writeFileSync(tokenFile, token);
  return { kube: k, tokenFile, seed: (text) => put('v1', 'ConfigMap', { metadata: { name: CM, namespace: NS }, data: { 'route.yaml': text } }) };
}

/** A sidecar whose route file and ConfigMap both hold `spec` at generation 1. */
async function start(backoff?: { baseMs: number; maxMs: number }): Promise<Record<string, unknown>> {
  const c = await cluster();
  kube = c.kube;
  let spec: Record<string, unknown> = {};
  stack = await startStack(
    (official, relay) => {
      spec = { ...baseSpec(official, relay), canary: { weight: 0 } };
      c.seed(routeText(spec, 1));
      return spec;
    },
    { kube: { server: c.kube.url, namespace: NS, name: CM, key: 'route.yaml', tokenFile: c.tokenFile, ...(backoff ? { backoff } : {}) } },
  );
  return spec;
}

async function patchRoute(k: FakeKube, text: string): Promise<void> {
  const res = await fetch(`${k.url}/api/v1/namespaces/${NS}/configmaps/${CM}`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${k.token}`, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ data: { 'route.yaml': text } }),
  });
  expect(res.status).toBe(200);
}

it('applies a ConfigMap change within moments, with only get and watch on that one ConfigMap, and ignores the lagging mounted copy', async () => {
  const spec = await start();
  await eventually(async () => (await stack!.status()).config.files.route_api?.ok === true, 2_000);
  await patchRoute(kube!, routeText(spec, 2, 100));
  const seen = await eventually(async () => {
    const st = await stack!.status();
    return st.generation === 2 && st;
  }, 2_000);
  expect(seen.weight).toEqual({ desired: 0, fleet: 100, effective: 100 });
  expect(seen.config.files.route_api).toEqual({ ok: true });

  // The kubelet's copy of the file arrives late and older: it does not take the weight back.
  stack!.writeRoute({ canary: { weight: 0 } }, { generation: 1 });
  await new Promise((r) => setTimeout(r, 300)); // a poll interval of the file watcher (100 ms) and then some
  expect((await stack!.status()).weight.effective).toBe(100);

  // The service account never needed list, or anything beyond this ConfigMap.
  const mine = kube!.requests.filter((r) => r.user?.includes('serviceaccount'));
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.every((r) => r.code < 400)).toBe(true);
  expect(new Set(mine.map((r) => r.verb))).toEqual(new Set(['get', 'watch']));
});

it('relists after 410 Gone, keeps serving when the API server goes away, and refuses an invalid copy', async () => {
  const spec = await start({ baseMs: 20, maxMs: 100 });
  await eventually(async () => (await stack!.status()).config.files.route_api?.ok === true, 2_000);

  // History compacted under the watch: the sidecar lists again and still sees the next change.
  kube!.compact();
  await patchRoute(kube!, routeText(spec, 2, 40));
  await eventually(async () => (await stack!.status()).weight.effective === 40, 3_000);

  // An invalid rendered route is refused; the last good one keeps serving.
  await patchRoute(kube!, routeText({ ...spec, canary: { weight: 500 } }, 3));
  const refused = await eventually(async () => {
    const st = await stack!.status();
    return st.config.files.route_api?.ok === false && st;
  }, 2_000);
  expect(refused.config.files.route_api.error).toContain('spec.canary.weight');
  expect(refused.weight.effective).toBe(40);

  // The API server goes away: the sidecar keeps serving from what it has.
  await kube!.close();
  kube = undefined;
  const res = await stack!.client().chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
  expect(res.response.status).toBe(200);
  expect((await stack!.status()).weight.effective).toBe(40);
});
