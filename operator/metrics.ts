/**
 * The operator's Prometheus metrics (prefix `bellwether_operator_`), served on
 * `--metrics-port` at `/metrics`. Labels are bounded: `result` and `informer`
 * take a few fixed values; `namespace`/`route` are the RelayRoutes themselves
 * (a handful per cluster), never pod names. The webhook's injection metrics
 * are registered by the webhook module on the same registry.
 *
 * The `bellwether_operator_route_*` gauges mirror each RelayRoute's status
 * after every reconcile (route-metrics.ts), so dashboards and alerts read the
 * fleet view — weights, phase, pods, conditions, the merged rollback window
 * and the thresholds it is judged against — without a Kubernetes datasource.
 */
import { createServer, type Server } from 'node:http';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { CONDITION_STATUSES, CONDITION_TYPES, PHASES, POD_STATES, SIDES, type RouteSeries, type ShadowSeries } from './route-metrics.js';

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

  readonly advances = new Counter({
    name: 'bellwether_operator_canary_advances_total',
    help: 'Steps of spec.canary.steps the operator took (effective weight raised one step after a passing analysis), per RelayRoute.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  readonly budgetExceeded = new Gauge({
    name: 'bellwether_operator_budget_exceeded',
    help: '1 while a RelayRoute\'s daily cap or one of its per-model caps (spec.budget) is reached today (UTC), else 0: the BudgetExceeded condition. Present only with spec.budget.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  readonly routeWeight = new Gauge({
    name: 'bellwether_operator_route_weight_percent',
    help: 'Percent of requests sent to the relay, per RelayRoute. kind="desired": spec.canary.weight (with steps: the cap); kind="effective": what the operator tells the sidecars (0 during a fleet rollback, the current step with steps).',
    labelNames: ['namespace', 'route', 'kind'] as const,
    registers: [this.registry],
  });

  readonly routePhase = new Gauge({
    name: 'bellwether_operator_route_phase',
    help: 'status.phase of a RelayRoute, one-hot: the series of the current phase is 1 (Pending, Shadowing, Progressing, Promoted, RolledBack, Invalid).',
    labelNames: ['namespace', 'route', 'phase'] as const,
    registers: [this.registry],
  });

  readonly routePods = new Gauge({
    name: 'bellwether_operator_route_pods',
    help: 'Pods of a RelayRoute. state="selected": Running pods its selector matches; "injected": of those, the ones carrying its sidecar; "reporting": of those, the ones whose sidecar answered the last /status poll.',
    labelNames: ['namespace', 'route', 'state'] as const,
    registers: [this.registry],
  });

  readonly routeCondition = new Gauge({
    name: 'bellwether_operator_route_condition',
    help: 'status.conditions of a RelayRoute, one-hot per type: the series with the condition\'s current status (True, False, Unknown) is 1; all 0 while the condition is not set.',
    labelNames: ['namespace', 'route', 'type', 'status'] as const,
    registers: [this.registry],
  });

  readonly routeWindowRequests = new Gauge({
    name: 'bellwether_operator_route_window_requests',
    help: 'Requests in the rollback window merged across the route\'s sidecars (status.sides), per side. Relay: relay-routed requests, served or not.',
    labelNames: ['namespace', 'route', 'side'] as const,
    registers: [this.registry],
  });

  readonly routeWindowErrorRate = new Gauge({
    name: 'bellwether_operator_route_window_error_rate',
    help: 'Error rate (0-1) over the merged rollback window, per side: exactly what spec.rollback.maxErrorRate is compared with for the relay.',
    labelNames: ['namespace', 'route', 'side'] as const,
    registers: [this.registry],
  });

  readonly routeWindowP99 = new Gauge({
    name: 'bellwether_operator_route_window_p99_latency_seconds',
    help: 'p99 time to first byte over the merged rollback window, per side (bucket upper bound; +Inf beyond the last bucket). Absent without samples.',
    labelNames: ['namespace', 'route', 'side'] as const,
    registers: [this.registry],
  });

  readonly routeMaxErrorRate = new Gauge({
    name: 'bellwether_operator_route_max_error_rate',
    help: 'spec.rollback.maxErrorRate (0-1): the relay error rate over the window that rolls the route back.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  readonly routeMaxP99 = new Gauge({
    name: 'bellwether_operator_route_max_p99_latency_seconds',
    help: 'spec.rollback.maxP99Latency in seconds: the relay p99 time to first byte over the window that rolls the route back.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  readonly routeMinRequests = new Gauge({
    name: 'bellwether_operator_route_min_requests',
    help: 'spec.rollback.minRequests: relay requests the window needs before a threshold is judged or a step advances.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  // --- spec.shadow (operator/shadow.ts): status.shadow against the first step's bar ---
  readonly routeShadowPairs = new Gauge({
    name: 'bellwether_operator_route_shadow_pairs',
    help: 'Judged shadow pairs in the shadow window merged across the route\'s sidecars (status.shadow.pairs): what spec.shadow.minPairs is compared with. Present only with spec.shadow.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  readonly routeShadowEquivalence = new Gauge({
    name: 'bellwether_operator_route_shadow_equivalence',
    help: 'Share (0-1) of the merged shadow window\'s pairs judged equivalent (status.shadow.equivalence; relay errors on copies count as not equivalent): what spec.shadow.minEquivalence is compared with. Absent without pairs.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  readonly routeShadowMinEquivalence = new Gauge({
    name: 'bellwether_operator_route_shadow_min_equivalence',
    help: 'spec.shadow.minEquivalence (0-1): the equivalence the first step of spec.canary.steps waits for. Present only with spec.shadow.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  readonly routeShadowMinPairs = new Gauge({
    name: 'bellwether_operator_route_shadow_min_pairs',
    help: 'spec.shadow.minPairs: judged pairs the merged shadow window needs before its equivalence is held against spec.shadow.minEquivalence. Present only with spec.shadow.',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  readonly shadowPassed = new Counter({
    name: 'bellwether_operator_shadow_passed_total',
    help: 'Times the shadow gate let a RelayRoute take the first step of spec.canary.steps (the ShadowPassed Event).',
    labelNames: ['namespace', 'route'] as const,
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'bellwether_operator_' });
  }

  /** Mirror a route's status into the `bellwether_operator_route_*` gauges (after each reconcile). */
  observeRoute(namespace: string, route: string, s: RouteSeries): void {
    const r = { namespace, route };
    // Counters start at 0, so increase() sees the first rollback or step.
    this.rollbacks.inc(r, 0);
    this.advances.inc(r, 0);
    this.routeWeight.set({ ...r, kind: 'desired' }, s.desiredWeight);
    this.routeWeight.set({ ...r, kind: 'effective' }, s.effectiveWeight);
    for (const phase of PHASES) this.routePhase.set({ ...r, phase }, s.phase[phase]);
    for (const state of POD_STATES) this.routePods.set({ ...r, state }, s.pods[state]);
    for (const type of CONDITION_TYPES) for (const status of CONDITION_STATUSES) this.routeCondition.set({ ...r, type, status }, s.conditions[type]?.[status] ?? 0);
    for (const side of SIDES) {
      const w = s.window[side];
      this.routeWindowRequests.set({ ...r, side }, w.requests);
      this.routeWindowErrorRate.set({ ...r, side }, w.errorRate);
      if (w.p99Seconds === undefined) this.routeWindowP99.remove({ ...r, side });
      else this.routeWindowP99.set({ ...r, side }, w.p99Seconds);
    }
    this.routeMaxErrorRate.set(r, s.thresholds.maxErrorRate);
    this.routeMaxP99.set(r, s.thresholds.maxP99LatencySeconds);
    this.routeMinRequests.set(r, s.thresholds.minRequests);
    this.#observeShadow(r, s.shadow);
  }

  #observeShadow(r: { namespace: string; route: string }, s: ShadowSeries | undefined): void {
    if (s === undefined) {
      for (const m of [this.routeShadowPairs, this.routeShadowEquivalence, this.routeShadowMinEquivalence, this.routeShadowMinPairs, this.shadowPassed]) m.remove(r);
      return;
    }
    this.shadowPassed.inc(r, 0);
    this.routeShadowPairs.set(r, s.pairs);
    if (s.equivalence === undefined) this.routeShadowEquivalence.remove(r);
    else this.routeShadowEquivalence.set(r, s.equivalence);
    this.routeShadowMinEquivalence.set(r, s.minEquivalence);
    this.routeShadowMinPairs.set(r, s.minPairs);
  }

  /** Drop every per-route series of a deleted RelayRoute. */
  forgetRoute(namespace: string, route: string): void {
    const r = { namespace, route };
    for (const m of [this.podsReporting, this.rollbacks, this.advances, this.budgetSpent, this.budgetExceeded, this.routeMaxErrorRate, this.routeMaxP99, this.routeMinRequests]) m.remove(r);
    this.#observeShadow(r, undefined);
    for (const kind of ['desired', 'effective']) this.routeWeight.remove({ ...r, kind });
    for (const phase of PHASES) this.routePhase.remove({ ...r, phase });
    for (const state of POD_STATES) this.routePods.remove({ ...r, state });
    for (const type of CONDITION_TYPES) for (const status of CONDITION_STATUSES) this.routeCondition.remove({ ...r, type, status });
    for (const side of SIDES) for (const m of [this.routeWindowRequests, this.routeWindowErrorRate, this.routeWindowP99]) m.remove({ ...r, side });
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
