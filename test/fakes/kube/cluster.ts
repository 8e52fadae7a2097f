/**
 * A cluster as the end-to-end tests run it on a plain machine, started one
 * way for all of them: the fake Kubernetes API server with the CRD, the app's
 * namespace with the relay key's Secret, a fake official API and a fake
 * relay, the admission webhook over HTTPS and the operator, and the kubelet's
 * part for injected pods (their sidecars run as real processes, kubelet.ts).
 * Must not import vitest: the monitoring scenario uses it outside a test.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { CoreV1Api, CustomObjectsApi, type V1Pod } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { startFakeKube, type FakeKube } from './server.js';
import { freePort, runInjectedSidecar, type RunningSidecar } from './kubelet.js';
import { eventually } from './poll.js';
import { startFakeUpstream, type FakeUpstream } from '../upstream.js';
import { Operator, type OperatorOptions } from '../../../operator/controller/operator.js';
import { statusURLResolver, ADMIN_PORT_ANNOTATION } from '../../../operator/controller/fleet.js';
import { startWebhook, type Webhook } from '../../../operator/webhook/index.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OPERATOR_NAMESPACE = 'bellwether-system';

export interface ClusterOptions {
  /** The app's namespace. */
  namespace: string;
  /** The Secret holding the relay key, in the app's namespace. */
  relayKeySecret: { name: string; key: string; value: string };
  /** The sidecar the webhook injects: its image (a name only here) and log level. */
  sidecar: { image: string; logLevel: string };
  log: Logger;
  /** Where the webhook registers its metrics (the operator's registry when it has metrics). */
  registry?: Registry;
  /** The operator's own options; the cluster fills in kubeconfig, namespace, log and the status URLs. */
  operator: Omit<OperatorOptions, 'kubeconfig' | 'namespace' | 'log' | 'statusURL'>;
}

export interface TestCluster {
  kube: FakeKube;
  core: CoreV1Api;
  official: FakeUpstream;
  relay: FakeUpstream;
  webhook: Webhook;
  operator: Operator;
  /** Where the injected pods' mounted files are (one directory per pod). */
  dir: string;
  /** The sidecars `runInjected` started, in order. */
  sidecars: RunningSidecar[];
  /**
   * Create the RelayRoute `name` in the app's namespace — pods labelled `app: <name>`, this
   * cluster's official API and relay with its key — with `spec` on top; resolves once the
   * operator has rendered its ConfigMap (ConfigDistributed).
   */
  applyRoute(name: string, spec: Record<string, unknown>): Promise<void>;
  /** The kubelet's part: the pod's injected sidecar container, run as a real process. */
  runInjected(pod: V1Pod): Promise<RunningSidecar>;
  close(): Promise<void>;
}

export async function startCluster(o: ClusterOptions): Promise<TestCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'bellwether-cluster-'));
  const kube = await startFakeKube({ crds: [parse(readFileSync(join(ROOT, 'crds/relayroute.yaml'), 'utf8')) as object], serverVersion: { major: '1', minor: '29' } });
  const core = kube.kubeconfig.makeApiClient(CoreV1Api);
  await core.createNamespace({ body: { metadata: { name: o.namespace } } });
  const { name, key, value } = o.relayKeySecret;
  await core.createNamespacedSecret({ namespace: o.namespace, body: { metadata: { name }, data: { [key]: Buffer.from(value).toString('base64') } } });
  const official = await startFakeUpstream({ name: 'official' });
  const relay = await startFakeUpstream({ name: 'relay' });

  const port = await freePort();
  const webhook = await startWebhook({
    kube: kube.kubeconfig,
    namespace: OPERATOR_NAMESPACE,
    port,
    host: '127.0.0.1',
    url: `https://127.0.0.1:${port}/mutate-pods`,
    serviceName: 'bellwether-webhook',
    sidecar: { image: o.sidecar.image, resources: { requests: { cpu: '50m', memory: '96Mi' } }, logLevel: o.sidecar.logLevel },
    log: o.log,
    registry: o.registry ?? new Registry(),
  });
  const operator = new Operator({
    ...o.operator,
    kubeconfig: kube.kubeconfig,
    namespace: OPERATOR_NAMESPACE,
    log: o.log,
    // Several sidecars on one host: each pod says which admin port is its own (test support).
    statusURL: statusURLResolver({ adminPortAnnotation: true }),
  });
  await operator.start();

  const sidecars: RunningSidecar[] = [];
  return {
    kube,
    core,
    official,
    relay,
    webhook,
    operator,
    dir,
    sidecars,
    async applyRoute(name, spec) {
      await kube.kubeconfig.makeApiClient(CustomObjectsApi).createNamespacedCustomObject({
        group: 'bellwether.dev',
        version: 'v1alpha1',
        plural: 'relayroutes',
        namespace: o.namespace,
        body: {
          apiVersion: 'bellwether.dev/v1alpha1',
          kind: 'RelayRoute',
          metadata: { name },
          spec: {
            selector: { matchLabels: { app: name } },
            official: { baseURL: official.url },
            relay: { baseURL: relay.url, apiKeySecretRef: { name: o.relayKeySecret.name, key: o.relayKeySecret.key } },
            ...spec,
          },
        },
      });
      const distributed = (): boolean => {
        const route = kube.get('bellwether.dev/v1alpha1', 'RelayRoute', o.namespace, name) as { status?: { conditions?: Array<{ type: string; status: string }> } } | undefined;
        return route?.status?.conditions?.some((c) => c.type === 'ConfigDistributed' && c.status === 'True') ?? false;
      };
      await eventually(distributed, { timeoutMs: 10_000, what: 'ConfigDistributed' });
    },
    async runInjected(pod) {
      const s = await runInjectedSidecar(kube, pod, { sidecarMain: join(ROOT, 'dist/sidecar/main.js'), dir, adminPortAnnotation: ADMIN_PORT_ANNOTATION });
      sidecars.push(s);
      return s;
    },
    async close() {
      for (const s of sidecars) s.proc.kill('SIGKILL');
      await operator.stop();
      await webhook.close();
      await Promise.all([official.close(), relay.close()]);
      await kube.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
