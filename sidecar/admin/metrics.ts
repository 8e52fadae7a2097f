/**
 * The sidecar's Prometheus metrics. Every label is bounded: `side` is
 * relay|official|none|cache, `model` is a name the route itself lists (chain
 * models, official renames, catalog entries) or `other` — never the raw
 * string the app sent — and `endpoint` is one of five values.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { LATENCY_BOUNDS_SECONDS } from '../resilience/buckets.js';
import type { ReloadReporter } from '../config/source.js';
import { ShadowMetrics } from '../shadow/metrics.js';
import type { BudgetLine, BudgetState } from '../spend/guard.js';
import { ScrapeCounter, ScrapeHistogram } from './scrape-metrics.js';

export type Endpoint = 'chat_completions' | 'completions' | 'embeddings' | 'responses' | 'other';


export class Metrics {
  readonly registry = new Registry();

  // The metrics every request touches (requests, duration, attempts, tokens, cost, savings) are
  // aggregated at scrape time (scrape-metrics.ts).
  readonly requests = new ScrapeCounter({
    name: 'bellwether_requests_total',
    help: 'Requests the app sent, by the side that answered (none: the sidecar answered itself with an error; cache: a response cache hit, spec.cache), endpoint and HTTP status class of the response the app got.',
    labelNames: ['side', 'endpoint', 'status_class'] as const,
    registers: [this.registry],
  });

  readonly duration = new ScrapeHistogram({
    name: 'bellwether_request_duration_seconds',
    help: 'Request latency as the app sees it. phase="ttfb": until the first response byte reached the app; phase="total": until the response ended. Buckets match the /status window buckets.',
    labelNames: ['side', 'endpoint', 'phase'] as const,
    buckets: [...LATENCY_BOUNDS_SECONDS],
    registers: [this.registry],
  });

  readonly tokens = new ScrapeCounter({
    name: 'bellwether_tokens_total',
    help: 'Tokens reported by the upstream in `usage`, by side, upstream model and kind (input includes cached_input).',
    labelNames: ['side', 'model', 'kind'] as const,
    registers: [this.registry],
  });

  readonly cost = new ScrapeCounter({
    name: 'bellwether_cost_usd_total',
    help: 'What served requests cost in USD, from the route catalog prices (USD per 1M tokens). Requests on models without a catalog price are not counted.',
    labelNames: ['side', 'model'] as const,
    registers: [this.registry],
  });

  readonly savings = new ScrapeCounter({
    name: 'bellwether_savings_usd_total',
    help: 'USD saved on relay-served requests: the same tokens at the official model price minus the relay price. Negative increments are not possible in a counter, so a relay dearer than official shows in bellwether_relay_overspend_usd_total.',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  readonly overspend = new ScrapeCounter({
    name: 'bellwether_relay_overspend_usd_total',
    help: 'USD lost on relay-served requests whose relay price is above the official price for the same tokens.',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  readonly canaryWeight = new Gauge({
    name: 'bellwether_canary_weight',
    help: 'Percent of requests sent to the relay. kind="desired": spec.canary.weight; kind="effective": what this sidecar applies (0 while its own rollback holds, else the operator\'s effective weight, else desired).',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  readonly configGeneration = new Gauge({
    name: 'bellwether_config_generation',
    help: 'Generation of the route config this sidecar is serving.',
    registers: [this.registry],
  });

  readonly configReloadErrors = new Counter({
    name: 'bellwether_config_reload_errors_total',
    help: 'Config or key files that changed but could not be applied; the last good config keeps serving. The log line says why.',
    labelNames: ['file'] as const,
    registers: [this.registry],
  });

  readonly configLastReloadOk = new Gauge({
    name: 'bellwether_config_last_reload_successful',
    help: '1 if the last attempt to load each file succeeded, 0 if the sidecar is serving an older good copy.',
    labelNames: ['file'] as const,
    registers: [this.registry],
  });

  readonly upstreamAttempts = new ScrapeCounter({
    name: 'bellwether_upstream_attempts_total',
    help: 'Calls made to upstreams, by side, upstream model and result: ok; app_error (a 4xx about the request); http_<status>; connect_error; timeout; cut (the reply broke before it was committed); relay_auth, relay_billing (the relay refused its key or credit); context_length; malformed (a 2xx that is not a reply, e.g. an HTML page); error_event; event_too_large; undecodable (an encoding the sidecar cannot read); local_error (the sidecar failed, no upstream is blamed).',
    labelNames: ['side', 'model', 'result'] as const,
    registers: [this.registry],
  });

  readonly retries = new Counter({
    name: 'bellwether_retries_total',
    help: 'Retries of the same upstream model after a retryable failure, by the cause of the wait (backoff or retry-after).',
    labelNames: ['side', 'model', 'cause'] as const,
    registers: [this.registry],
  });

  readonly fallbacks = new Counter({
    name: 'bellwether_fallbacks_total',
    help: 'Moves from one candidate to the next before any byte reached the app: from/to are relay models or "official"; reason is why the first was left.',
    labelNames: ['from', 'to', 'reason'] as const,
    registers: [this.registry],
  });

  readonly streamErrors = new Counter({
    name: 'bellwether_stream_errors_total',
    help: 'Streams that broke after bytes reached the app; the app got an explicit SSE error event. reason: cut (the connection broke or the stream ended without its final event), idle_timeout, total_timeout, malformed, event_too_large, overloaded (the sidecar memory budget), shutdown.',
    labelNames: ['side', 'reason'] as const,
    registers: [this.registry],
  });

  readonly circuitState = new Gauge({
    name: 'bellwether_circuit_state',
    help: 'Circuit breaker state per relay model, one-hot: the series with the current state is 1 (closed, open, half_open). The official API has no breaker: it is never skipped.',
    labelNames: ['side', 'model', 'state'] as const,
    registers: [this.registry],
  });

  readonly rollbacks = new Counter({
    name: 'bellwether_rollbacks_total',
    help: 'Automatic rollbacks to the official API. scope="pod": this sidecar breached a threshold on its own window; reason: error_rate or p99_latency.',
    labelNames: ['scope', 'reason'] as const,
    registers: [this.registry],
  });

  /** The app server's count of requests in flight, read at scrape time (set by the server). */
  inflightSource: (() => number) | undefined;

  readonly inflight: Gauge = new Gauge({
    name: 'bellwether_inflight_requests',
    help: 'App requests being served right now (spec.limits.maxConcurrent caps it).',
    registers: [this.registry],
    collect: () => {
      if (this.inflightSource) this.inflight.set(this.inflightSource());
    },
  });

  // --- response cache (spec.cache; sidecar/cache/) ---
  readonly cacheLookups = new Counter({
    name: 'bellwether_cache_lookups_total',
    help: 'Response cache lookups. result: hit (answered from the cache, no upstream call), miss, bypass (not read: Cache-Control no-cache/no-store from the app, a stateful request, or a temperature above spec.cache.maxTemperature), error (the backend was slow or down: a miss to the app). backend: memory or redis.',
    labelNames: ['result', 'backend'] as const,
    registers: [this.registry],
  });

  readonly cacheSavings = new Counter({
    name: 'bellwether_cache_savings_usd_total',
    help: 'USD not spent thanks to cache hits: what each hit\'s reply cost, at the catalog price of the model that made it, when it was stored. model: that model (a name the route lists, or other).',
    labelNames: ['model'] as const,
    registers: [this.registry],
  });

  readonly cacheEntries = new Gauge({
    name: 'bellwether_cache_entries',
    help: 'Entries in this sidecar\'s response cache (memory backend; Redis counts its own).',
    labelNames: ['backend'] as const,
    registers: [this.registry],
  });

  readonly cacheBytes = new Gauge({
    name: 'bellwether_cache_bytes',
    help: 'Bytes held by this sidecar\'s response cache, keys and entries (memory backend; bounded by spec.cache.maxBytes).',
    labelNames: ['backend'] as const,
    registers: [this.registry],
  });
  /** spec.shadow: bellwether_shadow_* (shadow/metrics.ts). */
  readonly shadow = new ShadowMetrics(this.registry);
  // --- spec.budget (sidecar/spend) ---
  /** Where the budget gauges read from at scrape time (set by the Runtime). */
  budgetSource: (() => BudgetState) | undefined;

  readonly budgetSpent: Gauge<'scope' | 'model'> = new Gauge({
    name: 'bellwether_budget_spent_usd',
    help: 'Spend today (UTC day, resets at 00:00 UTC) at catalog prices — served replies on the relay and official side, and shadow copies — as this sidecar acts on it: the fleet\'s figure from the operator plus this sidecar\'s own spend since (its own alone without an operator). scope="route" (model="") or scope="model". Every pod reports the fleet\'s figure: take max across pods, never sum.',
    labelNames: ['scope', 'model'] as const,
    registers: [this.registry],
    collect: () => this.#publishBudget(this.budgetSpent, (l) => l.spentUSD),
  });

  readonly budgetLimit: Gauge<'scope' | 'model'> = new Gauge({
    name: 'bellwether_budget_limit_usd',
    help: 'The daily caps of spec.budget in USD: scope="route" (model="") is spec.budget.daily, scope="model" one per spec.budget.models entry.',
    labelNames: ['scope', 'model'] as const,
    registers: [this.registry],
    collect: () => this.#publishBudget(this.budgetLimit, (l) => l.limitUSD),
  });

  readonly budgetBlocked = new Counter({
    name: 'bellwether_budget_blocked_total',
    help: 'spec.budget action block at work: scope="route": requests answered 429 budget_exceeded because the route\'s daily cap is reached; scope="model": upstream models skipped (not called) for a request because their cap is reached.',
    labelNames: ['scope'] as const,
    registers: [this.registry],
  });

  /** With spec.budget: both scopes' blocked counters start at 0, so "blocked per second" is 0, not absent, until something is blocked. */
  startBudgetCounters(): void {
    for (const scope of ['route', 'model']) this.budgetBlocked.inc({ scope }, 0);
  }

  /** At scrape time: one series per scope (route, and each model with a cap or spend today). */
  #publishBudget(gauge: Gauge<'scope' | 'model'>, value: (line: BudgetLine) => number | undefined): void {
    gauge.reset();
    const s = this.budgetSource?.();
    if (!s) return;
    const set = (scope: string, model: string, v: number | undefined) => v !== undefined && gauge.set({ scope, model }, v);
    set('route', '', value(s.route));
    for (const m of s.models) set('model', m.name, value(m));
  }

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
    // Counters that alerts read with increase() start at 0: a series that first appears at 1
    // shows no increase, so the first pod rollback would never alert.
    for (const reason of ['error_rate', 'p99_latency']) this.rollbacks.inc({ scope: 'pod', reason }, 0);
  }

  /** The config source's load results, as `bellwether_config_*` metrics. */
  reloadReporter(): ReloadReporter {
    return {
      loaded: (file, ok) => {
        this.configLastReloadOk.set({ file }, ok ? 1 : 0);
        this.configReloadErrors.inc({ file }, 0); // starts at 0 (see the constructor)
      },
      refused: (file) => this.configReloadErrors.inc({ file }),
    };
  }

  setCircuit(side: string, model: string, state: 'closed' | 'open' | 'half_open'): void {
    for (const s of ['closed', 'open', 'half_open'] as const) {
      this.circuitState.set({ side, model, state: s }, s === state ? 1 : 0);
    }
  }
}

export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
