/**
 * startFakeKube: an in-process Kubernetes API server speaking the real HTTP
 * API (JSON only) on 127.0.0.1:0, for @kubernetes/client-node to run against
 * unmodified. See README.md beside this file for what is and is not modelled.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { Admission, type ServiceResolver, type WebhookCall } from './admission.js';
import { Auth, serviceAccountIdentity, type Identity, type Rule } from './auth.js';
import { makeTestPki } from './certs.js';
import { GarbageCollector } from './gc.js';
import { createHandler, type RequestRecord } from './http.js';
import { Registry } from './resources.js';
import { Rest } from './rest.js';
import { Store } from './store.js';
import { clone, type KubeObject, type ResourceInfo } from './types.js';
import { Watches } from './watch.js';

export interface FakeKubeOptions {
  /** Parsed CRD manifests (apiextensions.k8s.io/v1) to serve from the start. */
  crds?: object[];
  /** Default 1.29. */
  serverVersion?: { major: string; minor: string };
  /** Serve HTTPS with a throwaway CA (the kubeconfig carries its caData). */
  tls?: boolean;
  /** Events kept for watches and Exact lists; older resourceVersions get 410 Expired. Default 1000. */
  historyLimit?: number;
  /** BOOKMARK interval for watches with allowWatchBookmarks=true. Default 1000 ms. */
  bookmarkIntervalMs?: number;
  /** How long a watch without timeoutSeconds stays open. Default 1800 s. */
  watchTimeoutSeconds?: number;
  /** Delay before the garbage collector deletes dependents. Default 20 ms. */
  gcDelayMs?: number;
  /** Maps a webhook's clientConfig.service to a base URL (`https://127.0.0.1:port`). */
  resolveService?: ServiceResolver;
}

export interface FakeKube {
  url: string;
  /** Admin token; the kubeconfig uses it. */
  token: string;
  kubeconfig: KubeConfig;
  store: Store;
  registry: Registry;
  /** Every webhook call, oldest first. */
  webhookCalls: WebhookCall[];
  /** Every API request (bounded), oldest first: verb, resource, user, code. */
  requests: RequestRecord[];
  /** CA bundle (base64 PEM) when `tls` is set. */
  caBundle?: string;
  close(): Promise<void>;
  /** Drop the event history and end open watches: clients resuming from an old resourceVersion get 410 Expired. */
  compact(opts?: { closeWatches?: boolean }): void;
  /** End every open watch stream (as a server-side timeout would). */
  closeWatches(): void;
  openWatches(): number;
  /** The served resource for an apiVersion/kind, e.g. ('v1', 'Pod'). */
  resource(apiVersion: string, kind: string): ResourceInfo;
  get(apiVersion: string, kind: string, namespace: string | undefined, name: string): KubeObject | undefined;
  list(apiVersion: string, kind: string, namespace?: string): KubeObject[];
  /** Store an object directly, bypassing admission and validation. */
  seed(obj: KubeObject): KubeObject;
  /** Add a bearer token; returns a kubeconfig that uses it. */
  addToken(token: string, identity: Identity): KubeConfig;
  /** A token for `system:serviceaccount:<ns>:<name>`, authorized by `rules` or (default) by the stored RBAC objects. */
  serviceAccount(namespace: string, name: string, rules?: Rule[]): { token: string; kubeconfig: KubeConfig };
  /** Mark a pod Running and Ready with `podIP` (what the kubelet would report). */
  setPodReady(namespace: string, name: string, ip: string): KubeObject;
  /** core/v1 and events.k8s.io/v1 Events, oldest first. */
  events(namespace?: string): KubeObject[];
}

function kubeconfigFor(url: string, token: string, caBundle?: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    // client-node 1.4 refuses an http:// server unless skipTLSVerify is set (it has no TLS to skip).
    clusters: [{ name: 'fake', server: url, skipTLSVerify: !caBundle, ...(caBundle ? { caData: caBundle } : {}) }],
    users: [{ name: 'fake-user', token }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'fake-user', namespace: 'default' }],
    currentContext: 'fake',
  });
  return kc;
}

export async function startFakeKube(opts: FakeKubeOptions = {}): Promise<FakeKube> {
  const registry = new Registry();
  const store = new Store(opts.historyLimit ?? 1000);
  const gc = new GarbageCollector(store, registry, opts.gcDelayMs ?? 20);
  const auth = new Auth(store, registry);
  const admission = new Admission(store, registry, opts.resolveService);
  const rest = new Rest(store, registry, admission, gc);
  const watches = new Watches(store, opts.bookmarkIntervalMs ?? 1000, opts.watchTimeoutSeconds ?? 1800);
  const requests: RequestRecord[] = [];
  let url = '';
  const handler = createHandler({ auth, registry, rest, watches, version: opts.serverVersion ?? { major: '1', minor: '29' }, url: () => url, log: requests });
  const pki = opts.tls ? makeTestPki() : undefined;
  const server: Server = pki ? createHttps({ cert: pki.server.cert, key: pki.server.key }, handler) : createHttp(handler);
  const sockets = new Set<Socket>();
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `${pki ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const adminToken = randomBytes(16).toString('hex');
  auth.addToken(adminToken, { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] });
  const res = (apiVersion: string, kind: string): ResourceInfo => {
    const r = registry.byKind(apiVersion, kind);
    if (!r) throw new Error(`fake kube: no resource for ${apiVersion} ${kind}`);
    return r;
  };
  const seed = (obj: KubeObject): KubeObject => store.create(res(obj.apiVersion ?? '', obj.kind ?? ''), obj);
  for (const ns of ['default', 'kube-system']) seed({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns }, status: { phase: 'Active' } });
  // Through the API path, so each CRD is served and reported Established as if applied.
  const admin: Identity = { username: 'kubernetes-admin', groups: ['system:masters', 'system:authenticated'] };
  const crdRes = registry.find('apiextensions.k8s.io', 'v1', 'customresourcedefinitions')!;
  for (const crd of opts.crds ?? []) {
    await rest.create({ r: crdRes, status: false, query: new URLSearchParams(), user: admin, contentType: 'application/json', body: clone(crd) });
  }

  const fake: FakeKube = {
    url,
    token: adminToken,
    kubeconfig: kubeconfigFor(url, adminToken, pki?.caBundle),
    store,
    registry,
    webhookCalls: admission.calls,
    requests,
    ...(pki ? { caBundle: pki.caBundle } : {}),
    async close() {
      watches.closeAll();
      gc.close();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    compact({ closeWatches = true } = {}) {
      store.compact();
      if (closeWatches) watches.closeAll();
    },
    closeWatches: () => watches.closeAll(),
    openWatches: () => watches.count,
    resource: res,
    get: (apiVersion, kind, namespace, name) => store.get(res(apiVersion, kind), namespace, name),
    list: (apiVersion, kind, namespace) => store.list(res(apiVersion, kind), namespace),
    seed,
    addToken(token, identity) {
      auth.addToken(token, identity);
      return kubeconfigFor(url, token, pki?.caBundle);
    },
    serviceAccount(namespace, name, rules) {
      const token = randomBytes(16).toString('hex');
      const identity: Identity = { ...serviceAccountIdentity(namespace, name), ...(rules ? { rules } : { rbac: true }) };
      return { token, kubeconfig: fake.addToken(token, identity) };
    },
    setPodReady(namespace, name, ip) {
      const r = res('v1', 'Pod');
      const pod = store.mustGet(r, namespace, name);
      const t = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
      const cond = (type: string) => ({ type, status: 'True', lastProbeTime: null, lastTransitionTime: t });
      pod.status = {
        ...((pod.status as object | undefined) ?? {}),
        phase: 'Running',
        podIP: ip,
        podIPs: [{ ip }],
        hostIP: '127.0.0.1',
        startTime: t,
        conditions: [cond('Initialized'), cond('Ready'), cond('ContainersReady'), cond('PodScheduled')],
      };
      return store.put(r, pod);
    },
    events(namespace) {
      const all = [...store.list(res('v1', 'Event'), namespace), ...store.list(res('events.k8s.io/v1', 'Event'), namespace)];
      return all.sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
    },
  };
  return fake;
}
