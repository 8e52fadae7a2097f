/**
 * Test harness for the operator shell against the fake API server: a fake
 * kube with the real CRD, routes and pods, an Operator with a silent logger,
 * and the write log (every create/update/patch/delete the API server saw).
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { pino } from 'pino';
import { parse } from 'yaml';
import { Operator, type OperatorOptions } from '../../operator/controller/operator.js';
import type { RelayRoute } from '../../operator/route.js';
import type { SidecarStatus } from '../../operator/sidecar-status.js';
import { startFakeKube, type FakeKube } from '../fakes/kube/server.js';

export const NS = 'shop';
export const RR = { group: 'bellwether.dev', version: 'v1alpha1', plural: 'relayroutes' };

export async function fakeKube(): Promise<FakeKube> {
  const kube = await startFakeKube({ crds: [parse(readFileSync('crds/relayroute.yaml', 'utf8')) as object], gcDelayMs: 10 });
  await kube.kubeconfig.makeApiClient(CoreV1Api).createNamespace({ body: { metadata: { name: NS } } });
  return kube;
}

export function routeBody(name: string, over: { selector?: object; weight?: number; secret?: string } = {}): object {
  return {
    apiVersion: 'bellwether.dev/v1alpha1',
    kind: 'RelayRoute',
    metadata: { name },
    spec: {
      selector: over.selector ?? { matchLabels: { app: name } },
      official: { baseURL: 'https://api.openai.com/v1' },
      relay: { baseURL: 'https://api.holysheep.ai/v1', apiKeySecretRef: { name: over.secret ?? 'relay-key', key: 'API_KEY' } },
      models: [{ match: ['*'], chain: ['kimi-k2'] }],
      catalog: [{ name: 'kimi-k2', contextWindow: 128000, price: { input: 0.18, output: 0.36 } }],
      canary: { weight: over.weight ?? 25, fallbackToOfficial: true },
      rollback: { window: '15m', minRequests: 100, maxErrorRate: 0.01, maxP99Latency: '2s', action: 'rollback' },
    },
  };
}

export const silentLog = pino({ level: process.env.BELLWETHER_TEST_LOG ?? 'silent' });

export function makeOperator(kube: FakeKube, o: Partial<OperatorOptions> = {}): Operator {
  return new Operator({
    kubeconfig: kube.kubeconfig,
    namespace: 'bellwether-system',
    identity: 'op-test',
    log: silentLog,
    leaderElect: false,
    statusIntervalMs: 3_600_000,
    queueBackoff: { baseMs: 20, maxMs: 200 },
    informerBackoff: { baseMs: 20, maxMs: 200 },
    ...o,
  });
}

export function apis(kube: FakeKube) {
  return { core: kube.kubeconfig.makeApiClient(CoreV1Api), crs: kube.kubeconfig.makeApiClient(CustomObjectsApi) };
}

export async function createRoute(kube: FakeKube, name: string, over: Parameters<typeof routeBody>[1] = {}): Promise<RelayRoute> {
  return (await apis(kube).crs.createNamespacedCustomObject({ ...RR, namespace: NS, body: routeBody(name, over) })) as RelayRoute;
}

export function getRoute(kube: FakeKube, name: string): RelayRoute | undefined {
  return kube.get('bellwether.dev/v1alpha1', 'RelayRoute', NS, name) as unknown as RelayRoute | undefined;
}

export async function createSecret(kube: FakeKube, name = 'relay-key', key = 'API_KEY'): Promise<void> {
  await apis(kube).core.createNamespacedSecret({ namespace: NS, body: { metadata: { name }, stringData: { [key]: 'sk-test' } } });
}

/** An injected, ready pod of `route` on 127.0.0.1 whose sidecar admin port is `port`. */
export async function createPod(kube: FakeKube, name: string, route: string, port: number, labels: Record<string, string> = { app: route }): Promise<void> {
  await apis(kube).core.createNamespacedPod({
    namespace: NS,
    body: {
      metadata: { name, labels, annotations: { 'bellwether.dev/injected': 'true', 'bellwether.dev/route': route, 'bellwether.dev/admin-port': String(port) } },
      spec: { containers: [{ name: 'app', image: 'app:1' }] },
    },
  });
  kube.setPodReady(NS, name, '127.0.0.1');
}

/** Writes the API server saw since `from` (an index into kube.requests), leases excluded. */
export function writesSince(kube: FakeKube, from: number) {
  return kube.requests.slice(from).filter((r) => ['create', 'update', 'patch', 'delete'].includes(r.verb) && r.resource !== 'leases');
}

/** A tiny sidecar admin server answering /status with whatever `doc()` returns (or hanging when it returns 'hang'). */
export async function statusServer(doc: () => SidecarStatus | 'hang'): Promise<{ port: number; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const d = doc();
    if (d === 'hang') return; // never answers
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(d));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
