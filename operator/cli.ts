/**
 * Command-line flags of `bellwether-operator`, parsed and validated once.
 * The environment is read here and only here (POD_NAMESPACE, POD_NAME,
 * KUBECONFIG); modules get typed values.
 */
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import type { V1ResourceRequirements } from '@kubernetes/client-node';
import { parseDuration } from '../sidecar/config/duration.js';

export const HELP = `bellwether-operator — reconcile RelayRoutes, inject the bellwether sidecar, publish fleet health, roll back and step up the canary

Usage:
  bellwether-operator [flags]

In a cluster it uses its service account and needs no flags (the Helm chart
sets them). For development it runs outside the cluster against the current
kubeconfig context; the API server then reaches the webhook at --webhook-url.

What it does, per RelayRoute:
  - renders the ConfigMap bellwether-<route> (the route with defaults, its
    generation and the operator's decisions) and a Role + RoleBinding that let
    the namespace's service accounts get/watch that one ConfigMap;
  - every --status-interval reads /status from the route's ready, injected
    pods (port 14001), merges the windows and writes status.sides, pods,
    breakers, cost and conditions (Ready, ConfigDistributed, SecretFound,
    RolledBack, TrafficSeen);
  - rolls the fleet back (effective weight 0) when the merged window breaches
    spec.rollback, and steps spec.canary.steps up while it holds; every such
    decision is an Event on the RelayRoute (kubectl describe rr).
Only the replica holding the Lease bellwether-operator (in --namespace)
writes; every replica serves the webhook.

Cluster:
  --kubeconfig FILE           Kubeconfig to use. Default: in-cluster service account
                              when running in a pod, else $KUBECONFIG or ~/.kube/config.
  --context NAME              Kubeconfig context. Default: the current context.
  --namespace NS              The operator's own namespace: the leader Lease lives
                              here and the webhook skips it. Default: $POD_NAMESPACE,
                              else bellwether-system.
  --identity NAME             This replica's name in the Lease and in Events.
                              Default: $POD_NAME, else the host name.
  --leader-elect BOOL         Elect a leader among replicas (true|false). Default
                              true. Turn off only when running exactly one replica.

Reconcile and fleet status:
  --status-interval DUR       How often sidecars' /status is read and every route
                              re-checked (a Secret created later is noticed within
                              one interval). Default 10s.
  --fleet-concurrency N       /status requests in flight at once. Default 16.
  --fleet-timeout DUR         Per /status request; a pod that does not answer in
                              time counts as not reporting. Default 2s.
  --workers N                 RelayRoutes reconciled at once. Default 4.

Servers:
  --metrics-port N            Prometheus /metrics. Default 8080.
  --health-port N             /healthz (live) and /readyz (informers synced). Default 8081.
  --webhook-port N            Mutating admission webhook (HTTPS). Default 9443.
  --webhook-url URL           Register the webhook by URL instead of by Service, for
                              an operator running outside the cluster
                              (e.g. https://127.0.0.1:9443).
  --webhook-registration MODE Who writes the MutatingWebhookConfiguration
                              bellwether-sidecar-injector:
                                create     the operator creates it and keeps all of it
                                           (default; running without the Helm chart)
                                ca-bundle  the Helm chart owns it; the operator writes
                                           only its caBundle (the chart's default)
                                none       someone else writes caBundle (cert-manager's
                                           CA injector, with --webhook-cert-dir)
  --webhook-cert-dir DIR      Serve DIR/tls.crt and DIR/tls.key (a mounted Secret, e.g.
                              from a cert-manager Certificate; re-read every minute)
                              instead of the operator's own CA in the Secret
                              bellwether-webhook-tls. DIR/ca.crt is the caBundle
                              unless --webhook-registration=none.

Sidecar injection (what the webhook adds to pods):
  --sidecar-image IMAGE       The sidecar image the webhook injects. Default
                              ghcr.io/bellwether/sidecar:0.1.0 (the chart sets it).
  --sidecar-resources JSON    Container resources, e.g.
                              '{"requests":{"cpu":"50m","memory":"64Mi"},"limits":{"memory":"128Mi"}}'.
  --sidecar-log-level LEVEL   The sidecar's --log-level. Default info.

Other:
  --log-level LEVEL           trace, debug, info, warn, error or silent. Default info.
  --sidecar-admin-port-annotation BOOL
                              TEST SUPPORT ONLY: read a pod's sidecar admin port from
                              its bellwether.dev/admin-port annotation (many sidecars
                              on one host in tests). Never in a cluster: a pod could
                              point the operator at another of its ports. Default false.
  -h, --help                  This text.
  --version                   The version.

Signals: SIGTERM/SIGINT stop taking work, finish in-flight reconciles, release
the Lease (the other replica takes over within seconds), close the servers.
`;

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface OperatorCli {
  kubeconfig?: string;
  context?: string;
  /** True when running in a pod (service account token mounted, KUBERNETES_SERVICE_HOST set) and no --kubeconfig. */
  inCluster: boolean;
  namespace: string;
  identity: string;
  leaderElect: boolean;
  statusIntervalMs: number;
  fleetConcurrency: number;
  fleetTimeoutMs: number;
  workers: number;
  metricsPort: number;
  healthPort: number;
  webhookPort: number;
  webhookUrl?: string;
  webhookRegistration: WebhookRegistration;
  webhookCertDir?: string;
  sidecar: { image?: string; resources?: V1ResourceRequirements; logLevel: LogLevel };
  logLevel: LogLevel;
  sidecarAdminPortAnnotation: boolean;
}

const REGISTRATIONS = ['create', 'ca-bundle', 'none'] as const;
export type WebhookRegistration = (typeof REGISTRATIONS)[number];

export type ParsedCli = { kind: 'run'; cli: OperatorCli } | { kind: 'help' } | { kind: 'version' } | { kind: 'error'; message: string };

const BOOLEAN_FLAGS = ['leader-elect', 'sidecar-admin-port-annotation'];

function bool(name: string, v: string): boolean {
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  throw new Error(`--${name} takes true or false, not "${v}"`);
}

function int(name: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new Error(`--${name} takes a whole number from ${min} to ${max}, not "${v}"`);
  return Number(v);
}

function duration(name: string, v: string): number {
  try {
    const ms = parseDuration(v);
    if (ms <= 0) throw new Error();
    return ms;
  } catch {
    throw new Error(`--${name} takes a positive duration such as 500ms, 10s or 1m, not "${v}"`);
  }
}

function level(name: string, v: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(v)) throw new Error(`--${name} takes one of ${LOG_LEVELS.join(', ')}, not "${v}"`);
  return v as LogLevel;
}

export function parseCli(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedCli {
  // A bare boolean flag means true: `--leader-elect` = `--leader-elect=true`.
  const args = argv.map((a) => (BOOLEAN_FLAGS.some((f) => a === `--${f}`) ? `${a}=true` : a));
  const s = { type: 'string' } as const;
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        kubeconfig: s,
        context: s,
        namespace: s,
        identity: s,
        'leader-elect': s,
        'status-interval': s,
        'fleet-concurrency': s,
        'fleet-timeout': s,
        workers: s,
        'metrics-port': s,
        'health-port': s,
        'webhook-port': s,
        'webhook-url': s,
        'webhook-registration': s,
        'webhook-cert-dir': s,
        'sidecar-image': s,
        'sidecar-resources': s,
        'sidecar-log-level': s,
        'log-level': s,
        'sidecar-admin-port-annotation': s,
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  }
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const v = (k: string) => values[k] as string | undefined;
  try {
    let resources: V1ResourceRequirements | undefined;
    if (v('sidecar-resources') !== undefined) {
      try {
        resources = JSON.parse(v('sidecar-resources') as string) as V1ResourceRequirements;
      } catch {
        throw new Error('--sidecar-resources takes JSON such as {"requests":{"cpu":"50m","memory":"64Mi"}}');
      }
      if (typeof resources !== 'object' || resources === null || Array.isArray(resources)) throw new Error('--sidecar-resources takes a JSON object');
    }
    const webhookUrl = v('webhook-url');
    if (webhookUrl !== undefined && !/^https:\/\//.test(webhookUrl)) throw new Error(`--webhook-url must be an https:// URL (the API server calls webhooks over TLS), not "${webhookUrl}"`);
    const registration = v('webhook-registration') ?? 'create';
    if (!(REGISTRATIONS as readonly string[]).includes(registration)) throw new Error(`--webhook-registration takes one of ${REGISTRATIONS.join(', ')}, not "${registration}"`);
    const certDir = v('webhook-cert-dir');
    if (certDir === '') throw new Error('--webhook-cert-dir takes a directory');
    const kubeconfig = v('kubeconfig');
    const cli: OperatorCli = {
      ...(kubeconfig !== undefined ? { kubeconfig } : {}),
      ...(v('context') !== undefined ? { context: v('context') as string } : {}),
      inCluster: kubeconfig === undefined && env.KUBERNETES_SERVICE_HOST !== undefined && env.KUBECONFIG === undefined,
      namespace: v('namespace') ?? env.POD_NAMESPACE ?? 'bellwether-system',
      identity: v('identity') ?? env.POD_NAME ?? hostname(),
      leaderElect: bool('leader-elect', v('leader-elect') ?? 'true'),
      statusIntervalMs: duration('status-interval', v('status-interval') ?? '10s'),
      fleetConcurrency: int('fleet-concurrency', v('fleet-concurrency') ?? '16', 1, 1024),
      fleetTimeoutMs: duration('fleet-timeout', v('fleet-timeout') ?? '2s'),
      workers: int('workers', v('workers') ?? '4', 1, 256),
      metricsPort: int('metrics-port', v('metrics-port') ?? '8080', 0, 65535),
      healthPort: int('health-port', v('health-port') ?? '8081', 0, 65535),
      webhookPort: int('webhook-port', v('webhook-port') ?? '9443', 0, 65535),
      ...(webhookUrl !== undefined ? { webhookUrl } : {}),
      webhookRegistration: registration as WebhookRegistration,
      ...(certDir !== undefined ? { webhookCertDir: certDir } : {}),
      sidecar: {
        ...(v('sidecar-image') !== undefined ? { image: v('sidecar-image') as string } : {}),
        ...(resources !== undefined ? { resources } : {}),
        logLevel: level('sidecar-log-level', v('sidecar-log-level') ?? 'info'),
      },
      logLevel: level('log-level', v('log-level') ?? 'info'),
      sidecarAdminPortAnnotation: bool('sidecar-admin-port-annotation', v('sidecar-admin-port-annotation') ?? 'false'),
    };
    return { kind: 'run', cli };
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  }
}
