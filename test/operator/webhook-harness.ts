/**
 * Shared setup for the webhook's integration tests: a fake API server with
 * the project CRD, a free port for the webhook, a RelayRoute and pods.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { connect } from 'node:tls';
import { CoreV1Api, CustomObjectsApi, type V1Pod } from '@kubernetes/client-node';
import { pino } from 'pino';
import { parse } from 'yaml';
import { startFakeKube, type FakeKube, type FakeKubeOptions } from '../fakes/kube/server.js';

export const OPERATOR_NS = 'bellwether-system';
export const silentLog = pino({ level: 'silent' });
export const SIDECAR = { image: 'ghcr.io/bellwether/sidecar:test', resources: { requests: { cpu: '10m', memory: '32Mi' } }, logLevel: 'info' };

export function projectCrd(): object {
  return parse(readFileSync(new URL('../../crds/relayroute.yaml', import.meta.url), 'utf8')) as object;
}

export async function fakeKube(opts: FakeKubeOptions = {}): Promise<FakeKube> {
  const kube = await startFakeKube({ crds: [projectCrd()], ...opts });
  const core = kube.kubeconfig.makeApiClient(CoreV1Api);
  for (const name of ['shop', OPERATOR_NS]) await core.createNamespace({ body: { metadata: { name } } });
  return kube;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export function routeBody(name = 'support-bot', app = 'support-bot') {
  return {
    apiVersion: 'bellwether.dev/v1alpha1',
    kind: 'RelayRoute',
    metadata: { name },
    spec: {
      selector: { matchLabels: { app } },
      official: { baseURL: 'https://api.openai.com/v1' },
      relay: { baseURL: 'https://api.holysheep.ai/v1', apiKeySecretRef: { name: 'holysheep-api-credentials', key: 'API_KEY' } },
      models: [{ match: ['*'], chain: ['kimi-k2'] }],
      canary: { weight: 25 },
    },
  };
}

export async function createRoute(kube: FakeKube, namespace = 'shop', name = 'support-bot', app = 'support-bot'): Promise<void> {
  await kube.kubeconfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
    group: 'bellwether.dev',
    version: 'v1alpha1',
    namespace,
    plural: 'relayroutes',
    body: routeBody(name, app),
  });
}

export async function createPod(kube: FakeKube, namespace: string, name: string, labels: Record<string, string> = { app: 'support-bot' }): Promise<V1Pod> {
  return kube.kubeconfig.makeApiClient(CoreV1Api).createNamespacedPod({
    namespace,
    body: { metadata: { name, labels }, spec: { containers: [{ name: 'app', image: 'support-bot:1' }] } },
  });
}

/** The certificate a TLS server presents (DER fingerprint and serial). */
export function servedCertificate(port: number): Promise<{ fingerprint256: string; serialNumber: string; issuer: string }> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const c = socket.getPeerCertificate();
      socket.end();
      resolve({ fingerprint256: c.fingerprint256, serialNumber: c.serialNumber, issuer: JSON.stringify(c.issuer) });
    });
    socket.once('error', reject);
  });
}
