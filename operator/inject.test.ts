import { readFileSync, readdirSync } from 'node:fs';
import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { AdmissionReview } from './admission.js';
import { injectable, injectPatch, review, supportsNativeSidecars, type InjectContext } from './inject.js';
import { applyPatch, type JsonPatchOp } from './json-patch.js';
import type { RelayRoute } from './route.js';
import { routeFixture } from './testdata/fixtures.js';
import { expectGolden } from './testdata/golden.js';

const dir = new URL('./testdata/inject/', import.meta.url);
const route = routeFixture();
const twin = routeFixture({ name: 'support-bot-v2' });
const withOfficialKey = routeFixture({ spec: { official: { apiKeySecretRef: { name: 'openai', key: 'apiKey' } } } });

const base: InjectContext = {
  routes: [route],
  operatorNamespace: 'bellwether-system',
  serverVersion: { major: '1', minor: '29' },
  sidecar: {
    image: 'ghcr.io/bellwether/sidecar:0.1.0',
    imagePullPolicy: 'IfNotPresent',
    resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '128Mi' } },
    logLevel: 'info',
  },
};
const legacy = { serverVersion: { major: '1', minor: '28' } };

/** The context of each golden case; a request file without an entry here fails the test. */
const CASES: Record<string, { ctx: Partial<InjectContext>; inject: boolean }> = {
  'plain-pod-native': { ctx: {}, inject: true },
  'plain-pod-legacy': { ctx: legacy, inject: true },
  'existing-env': { ctx: {}, inject: true },
  'already-injected': { ctx: {}, inject: false },
  'opted-out': { ctx: {}, inject: false },
  'two-routes': { ctx: { routes: [route, twin] }, inject: false },
  'bare-pod': { ctx: legacy, inject: true },
  'deployment-pod': { ctx: {}, inject: true },
  'no-route': { ctx: {}, inject: false },
  'host-network': { ctx: {}, inject: false },
  'job-pod-legacy': { ctx: legacy, inject: false },
  'job-pod-native': { ctx: {}, inject: true },
  'operator-namespace': { ctx: {}, inject: false },
  'official-key': { ctx: { routes: [withOfficialKey] }, inject: true },
  'stale-skip-reason': { ctx: {}, inject: true },
};

const requests = readdirSync(dir).filter((f) => f.endsWith('-request.json')).map((f) => f.replace(/-request\.json$/, ''));
const load = (name: string) => JSON.parse(readFileSync(new URL(`${name}-request.json`, dir), 'utf8')) as AdmissionReview;
const ctxOf = (name: string, review: AdmissionReview): InjectContext => ({
  ...base,
  ...(CASES[name]?.ctx ?? {}),
  ...(review.request?.namespace ? { namespace: review.request.namespace } : {}),
});
const decodePatch = (r: AdmissionReview): JsonPatchOp[] =>
  r.response?.patch === undefined ? [] : (JSON.parse(Buffer.from(r.response.patch, 'base64').toString('utf8')) as JsonPatchOp[]);

describe('golden files: AdmissionReview request → JSON patch', () => {
  it('has a context for every request file, and a request file for every case', () => {
    expect(requests.sort()).toEqual(Object.keys(CASES).sort());
  });

  it.each(requests)('%s', (name) => {
    const req = load(name);
    const ctx = ctxOf(name, req);
    const res = review(req, ctx);
    expect(res).toMatchObject({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: req.request?.uid, allowed: true } });
    const ops = decodePatch(res);
    if (ops.length > 0) expect(res.response?.patchType).toBe('JSONPatch');
    else expect(res.response?.patch).toBeUndefined();
    expectGolden(new URL(`${name}-patch.json`, dir), `${JSON.stringify(ops, null, 2)}\n`);

    const pod = req.request?.object as V1Pod;
    const patched = applyPatch(pod, ops);
    const names = [...(patched.spec?.containers ?? []), ...(patched.spec?.initContainers ?? [])].map((c) => c.name);
    expect(names.includes('bellwether')).toBe(CASES[name]?.inject || name === 'already-injected');
    if (!CASES[name]?.inject && name !== 'already-injected') {
      expect(patched.metadata?.annotations?.['bellwether.dev/skip-reason']).toBe(injectable(pod, ctx).reasons.join('; '));
    }
  });

  it.each(requests)('%s: a second pass over the patched pod changes nothing', (name) => {
    const req = load(name);
    const ctx = ctxOf(name, req);
    const once = applyPatch(req.request?.object as V1Pod, decodePatch(review(req, ctx)));
    expect(injectPatch(once, ctx)).toEqual([]);
    expect(decodePatch(review({ ...req, request: { ...req.request!, object: once } }, ctx))).toEqual([]);
  });
});

describe('the injected pod', () => {
  const pod = load('plain-pod-native').request?.object as V1Pod;
  const native = applyPatch(pod, injectPatch(pod, base));
  const plain = applyPatch(pod, injectPatch(pod, { ...base, ...legacy }));

  it('runs the sidecar as a native sidecar first among init containers on 1.29, as the last container on 1.28', () => {
    expect(native.spec?.initContainers?.[0]).toMatchObject({ name: 'bellwether', restartPolicy: 'Always' });
    expect(native.spec?.containers.map((c) => c.name)).toEqual(['app']);
    expect(plain.spec?.containers.map((c) => c.name)).toEqual(['app', 'bellwether']);
    expect(plain.spec?.containers[1]?.restartPolicy).toBeUndefined();
  });

  it('drains at once only as a native sidecar (it is stopped after the app)', () => {
    expect(native.spec?.initContainers?.[0]?.args?.join(' ')).toContain('--drain-delay 0s');
    expect(plain.spec?.containers[1]?.args).not.toContain('--drain-delay');
  });

  it('points the app at the sidecar and mounts only the relay key', () => {
    expect(native.spec?.containers[0]?.env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'OPENAI_BASE_URL', value: 'http://127.0.0.1:14000/v1' },
      { name: 'OPENAI_API_BASE', value: 'http://127.0.0.1:14000/v1' },
    ]);
    const relay = native.spec?.volumes?.find((v) => v.name === 'bellwether-relay-key');
    expect(relay?.secret).toEqual({ secretName: 'holysheep-api-credentials', items: [{ key: 'API_KEY', path: 'API_KEY' }], optional: true });
    expect(native.spec?.initContainers?.[0]?.args).toEqual(expect.arrayContaining(['--relay-key-file', '/etc/bellwether/relay/API_KEY']));
    expect(native.metadata?.annotations).toMatchObject({ 'bellwether.dev/injected': 'true', 'bellwether.dev/route': 'support-bot' });
  });

  it('mounts the Redis password Secret of spec.cache.redis.passwordSecretRef, and only for a Redis backend', () => {
    const redis = { backend: 'redis' as const, ttl: '1h', maxEntries: 1, maxBytes: '1Mi', maxEntryBytes: '1Mi', redis: { url: 'redis://redis:6379', timeout: '50ms', keyPrefix: 'bw:', maxInFlight: 64, passwordSecretRef: { name: 'redis-auth', key: 'password' } } };
    const withRedis = routeFixture({ spec: { cache: redis } });
    const patched = applyPatch(pod, injectPatch(pod, { ...base, routes: [withRedis] }));
    expect(patched.spec?.volumes?.find((v) => v.name === 'bellwether-redis-password')?.secret).toEqual({ secretName: 'redis-auth', items: [{ key: 'password', path: 'password' }], optional: true });
    const sidecar = patched.spec?.initContainers?.[0];
    expect(sidecar?.args).toEqual(expect.arrayContaining(['--redis-password-file', '/etc/bellwether/redis/password']));
    expect(sidecar?.volumeMounts).toContainEqual({ name: 'bellwether-redis-password', mountPath: '/etc/bellwether/redis', readOnly: true });

    const memory = routeFixture({ spec: { cache: { ...redis, backend: 'memory' as const } } });
    const plainCache = applyPatch(pod, injectPatch(pod, { ...base, routes: [memory] }));
    expect(plainCache.spec?.volumes?.map((v) => v.name)).not.toContain('bellwether-redis-password');
    expect(native.spec?.initContainers?.[0]?.args).not.toContain('--redis-password-file');
  });

  it('runs the sidecar locked down', () => {
    expect(native.spec?.initContainers?.[0]?.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });
});

describe('injectable', () => {
  const pod = load('plain-pod-native').request?.object as V1Pod;
  const variant = (f: (p: V1Pod) => void) => {
    const p = structuredClone(pod);
    f(p);
    return p;
  };
  it.each<[string, V1Pod, Partial<InjectContext>, string[]]>([
    ['a selected pod', pod, {}, []],
    ['kube-system', variant((p) => (p.metadata!.namespace = 'kube-system')), {}, ['pod is in the system namespace "kube-system"']],
    ['a container on the admin port', variant((p) => (p.spec!.containers[0]!.ports = [{ containerPort: 14001 }])), {}, ['container "app" already uses port 14001']],
    ['three routes', pod, { routes: [route, twin, routeFixture({ name: 'z' })] }, ['RelayRoutes "support-bot", "support-bot-v2" and "z" all select this pod; make their selectors disjoint']],
    ['a route being deleted', pod, { routes: [{ ...route, metadata: { ...route.metadata, deletionTimestamp: new Date() } } as RelayRoute] }, ['no RelayRoute selects this pod']],
    [
      'every reason at once',
      variant((p) => {
        p.metadata!.annotations!['bellwether.dev/inject'] = 'false';
        p.spec!.hostNetwork = true;
      }),
      { routes: [] },
      ['annotation bellwether.dev/inject is "false"', "pod uses the host network, where ports 14000 and 14001 would be the node's", 'no RelayRoute selects this pod'],
    ],
  ])('%s', (_name, p, ctx, reasons) => {
    const d = injectable(p, { ...base, ...ctx });
    expect(d.reasons).toEqual(reasons);
    expect(d.inject).toBe(reasons.length === 0);
  });

  it.each<[InjectContext['serverVersion'], boolean]>([
    [{ major: '1', minor: '29' }, true],
    [{ major: '1', minor: '29+' }, true],
    [{ major: '1', minor: '28' }, false],
    [{ major: '2', minor: '0' }, true],
    ['v1.30.2-eks-1a2b3c', true],
    ['v1.26.15', false],
  ])('supportsNativeSidecars(%j) = %s', (version, expected) => expect(supportsNativeSidecars(version)).toBe(expected));
});

describe('review', () => {
  const req = load('plain-pod-native');
  it.each<[string, AdmissionReview]>([
    ['another kind', { ...req, request: { ...req.request!, kind: { group: 'apps', version: 'v1', kind: 'Deployment' } } }],
    ['an UPDATE', { ...req, request: { ...req.request!, operation: 'UPDATE' } }],
    ['a subresource', { ...req, request: { ...req.request!, subResource: 'ephemeralcontainers' } }],
    ['an object that is not a pod', { ...req, request: { ...req.request!, object: { spec: 'nonsense' } } }],
  ])('allows %s unchanged', (_name, r) => {
    expect(review(r, base)).toEqual({ apiVersion: 'admission.k8s.io/v1', kind: 'AdmissionReview', response: { uid: req.request?.uid, allowed: true } });
  });
});
