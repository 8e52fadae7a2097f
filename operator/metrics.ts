/**
 * The operator's Prometheus metrics (prefix `bellwether_operator_`), served on
 * `--metrics-port` at `/metrics`. Labels are bounded: `result` and `informer`
 * take a few fixed values; `namespace`/`route` are the RelayRoutes themselves
 * (a handful per cluster), never pod names. The webhook's injection metrics
 * are registered by the webhook module on the same registry.
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export class OperatorMetrics {
  readonly registry = new Registry();

  readonly reconciles = new Counter({
    name: 'bellwether_operator_reconciles_total',
    help: 'Reconciles of a RelayRoute, by result (success, error).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly reconcileErrors = new Counter({
    name: 'bellwether_operator_reconcile_errors_total',
    help: 'Reconciles that failed and were requeued with backoff.',
    registers: [this.registry],
  });

  readonly queueDepth = new Gauge({
    name: 'bellwether_operator_queue_depth',
    help: 'RelayRoute keys waiting in the work queue.',
    registers: [this.registry],
  });

  readonly fleetPolls = new Counter({
    name: 'bellwether_operator_fleet_polls_total',
    help: 'Sidecar /status reads, by result (answered, silent: refused, timed out or unreadable).',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly podsReporting = new Gauge({
    name: 'bellwether_operator_pods_reporting',
    help: 'Injected pods of a RelayRoute whose sidecar answered the last /status poll.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  readonly rollbacks = new Counter({
    name: 'bellwether_operator_rollbacks_total',
    help: 'Fleet rollbacks the operator decided, per RelayRoute.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  readonly leader = new Gauge({
    name: 'bellwether_operator_leader',
    help: '1 while this replica holds the leader Lease (only the leader writes).',
    registers: [this.registry],
  });

  readonly informerRestarts = new Counter({
    name: 'bellwether_operator_informer_restarts_total',
    help: 'Informer restarts after a failed list or watch, by watched kind.',
    labelNames: ['informer'] as const,
    registers: [this.registry],
  });

  // --- spec.budget (operator/spend.ts) ---
  readonly budgetSpent = new Gauge({
    name: 'bellwether_operator_budget_spent_usd',
    help: 'A RelayRoute\'s spend today (UTC day) summed over its sidecars at catalog prices, relay and official side: the figure written to status.budget.spentTodayUSD and to the sidecars. Present only with spec.budget.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  readonly budgetExceeded = new Gauge({
    name: 'bellwether_operator_budget_exceeded',
    help: '1 while a RelayRoute\'s daily cap or one of its per-model caps (spec.budget) is reached today (UTC), else 0: the BudgetExceeded condition. Present only with spec.budget.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'bellwether_operator_' });
  }
}

/** `GET /metrics` on `port` (0: any free port). */
export async function serveMetrics(registry: Registry, port: number, host = '0.0.0.0'): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') {
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(String(err));
        },
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' });
    res.end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}
