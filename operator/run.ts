/**
 * Runs the operator process from parsed flags: kubeconfig, metrics and
 * health servers, the controller (operator/controller/operator.ts) and — when
 * main.ts hands one in — the webhook. `stop()` is the graceful shutdown:
 * stop informers and the fleet poll, finish in-flight reconciles, release the
 * Lease, close the webhook and the servers.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import type { OperatorCli } from './cli.js';
import { statusURLResolver } from './controller/fleet.js';
import { Operator } from './controller/operator.js';
import { serveHealth } from './health.js';
import { OperatorMetrics, serveMetrics } from './metrics.js';
import type { WebhookHandle, WebhookStarter } from './webhook-starter.js';

export interface RunDeps {
  /** The webhook module (operator/webhook/); absent: no webhook. */
  startWebhook?: WebhookStarter;
  log?: Logger;
  /** Use this KubeConfig instead of loading one (tests). */
  kubeconfig?: KubeConfig;
}

export interface RunningOperator {
  operator: Operator;
  metricsPort: number;
  healthPort: number;
  stop(): Promise<void>;
}

export function loadKubeConfig(cli: Pick<OperatorCli, 'kubeconfig' | 'context' | 'inCluster'>): KubeConfig {
  const kc = new KubeConfig();
  if (cli.kubeconfig !== undefined) kc.loadFromFile(cli.kubeconfig);
  else if (cli.inCluster) kc.loadFromCluster();
  else kc.loadFromDefault();
  if (cli.context !== undefined) kc.setCurrentContext(cli.context);
  return kc;
}

export function createOperatorLogger(level: string): Logger {
  return pino(
    {
      level,
      base: { component: 'bellwether-operator' },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    pino.destination({ dest: 1, sync: true }),
  );
}

const portOf = (s: Server) => (s.address() as AddressInfo).port;

export async function runOperator(cli: OperatorCli, deps: RunDeps = {}): Promise<RunningOperator> {
  const log = deps.log ?? createOperatorLogger(cli.logLevel);
  const kubeconfig = deps.kubeconfig ?? loadKubeConfig(cli);
  const metrics = new OperatorMetrics({ defaultMetrics: true });
  const operator = new Operator({
    kubeconfig,
    namespace: cli.namespace,
    identity: cli.identity,
    log,
    leaderElect: cli.leaderElect,
    statusIntervalMs: cli.statusIntervalMs,
    metrics,
    statusURL: statusURLResolver({ adminPortAnnotation: cli.sidecarAdminPortAnnotation }),
    fleetConcurrency: cli.fleetConcurrency,
    fleetTimeoutMs: cli.fleetTimeoutMs,
    workers: cli.workers,
  });

  let webhook: WebhookHandle | undefined;
  const servers: Server[] = [];
  try {
    servers.push(await serveMetrics(metrics.registry, cli.metricsPort));
    servers.push(await serveHealth({ port: cli.healthPort, ready: () => operator.ready() && (webhook?.ready?.() ?? true) }));
    // ── The webhook plugs in here (operator/webhook/). ──
    if (deps.startWebhook) {
      webhook = await deps.startWebhook(
        {
          port: cli.webhookPort,
          ...(cli.webhookUrl ? { url: cli.webhookUrl } : {}),
          registration: cli.webhookRegistration,
          ...(cli.webhookCertDir !== undefined ? { certDir: cli.webhookCertDir } : {}),
          namespace: cli.namespace, identity: cli.identity, sidecar: cli.sidecar },
        { kubeconfig, log: log.child({ module: 'webhook' }), registry: metrics.registry, isLeader: () => operator.isLeader() },
      );
    } else {
      log.warn('no webhook module: pods are not injected by this process (reconcile and fleet status only)');
    }
    await operator.start();
  } catch (err) {
    await webhook?.close().catch(() => undefined);
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    throw err;
  }
  log.info({ namespace: cli.namespace, identity: cli.identity, leaderElect: cli.leaderElect, metricsPort: portOf(servers[0]!), healthPort: portOf(servers[1]!) }, 'operator started');

  let stopping: Promise<void> | undefined;
  return {
    operator,
    metricsPort: portOf(servers[0]!),
    healthPort: portOf(servers[1]!),
    stop: () =>
      (stopping ??= (async () => {
        await operator.stop();
        await webhook?.close();
        for (const s of servers) s.closeAllConnections();
        await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
        log.info('operator stopped');
      })()),
  };
}
