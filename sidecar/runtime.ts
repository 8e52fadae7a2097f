/**
 * The sidecar's live state around one route: the compiled route, its model
 * table, circuit breakers, the per-side windows and the pod-local rollback.
 * A reload swaps the route in; state that should survive (breakers, windows)
 * survives, and a new generation releases a held rollback.
 */
import type { Clock, Random } from './clock.js';
import type { Route, Side } from './config/route.js';
import type { Logger } from './log.js';
import type { Metrics } from './admin/metrics.js';
import type { Keys } from './config/keys.js';
import { BreakerSet } from './resilience/breaker.js';
import { SlidingWindow } from './resilience/window.js';
import { PodRollback } from './resilience/rollback.js';
import { ModelTable } from './config/models.js';
import { LogThrottle } from './log-throttle.js';
import { reconcileCache, type CacheDeps, type RedisAuth, type ResponseCache } from './cache/cache.js';
import { ShadowBook } from './shadow/book.js';
import { SpendGuard } from './spend/guard.js';

export interface RuntimeDeps {
  clock: Clock;
  random: Random;
  metrics: Metrics;
  log: Logger;
  /**
   * A Redis password file is configured (--redis-password-file): while its key
   * (`keys.redis`) is not loaded, the Redis cache holds off (`auth_missing`).
   */
  redisPasswordFile?: boolean;
}

export class Runtime {
  route: Route;
  models: ModelTable;
  #keys: Keys = {};
  readonly breakers: BreakerSet;
  readonly rollback: PodRollback;
  windows: Record<Side, SlidingWindow>;
  readonly totals = { costUSD: 0, savingsUSD: 0 };
  /** Salt for sticky hashing: the same key lands on the same side in every pod of the route. */
  salt: string;
  /** Aggregates log lines that repeat during an outage (breaker transitions, fallbacks). */
  readonly logThrottle: LogThrottle;
  /** spec.cache: the response cache, kept across reloads; undefined without spec.cache. */
  cache: ResponseCache | undefined;
  /** spec.shadow: copies in flight, totals and the window /status reports. */
  readonly shadow: ShadowBook;
  /** Spend today against spec.budget (sidecar/spend). */
  readonly spend: SpendGuard;

  constructor(
    route: Route,
    readonly deps: RuntimeDeps,
  ) {
    this.route = route;
    this.models = modelTable(route);
    this.salt = `${route.namespace}/${route.name}`;
    this.logThrottle = new LogThrottle(deps.log, deps.clock);
    this.breakers = new BreakerSet(route.circuitBreaker, deps.clock, (side, model, from, to) => {
      deps.metrics.setCircuit(side, this.models.label(model), to);
      const msg = `circuit ${to === 'open' ? 'opened' : to === 'closed' ? 'closed' : 'half-open'} for ${side} model ${model}`;
      this.logThrottle.log(`circuit:${side}/${model}/${from}->${to}`, 'warn', { side, model, from, to }, msg);
    });
    this.rollback = new PodRollback(deps.clock);
    this.windows = newWindows(route, deps.clock);
    this.cache = reconcileCache(undefined, route.cache, this.cacheDeps());
    this.shadow = new ShadowBook(route, deps.clock, deps.metrics.shadow);
    this.spend = new SpendGuard(deps.clock);
    this.spend.apply(route.budget, route.operator?.budgetSpent);
    if (route.budget) deps.metrics.startBudgetCounters();
    deps.metrics.budgetSource = () => this.spend.state();
    this.publishWeights();
    deps.metrics.configGeneration.set(route.generation);
  }

  get keys(): Keys {
    return this.#keys;
  }

  /** New keys (ConfigSource): a Redis password that appeared or changed reconnects the cache with it. */
  set keys(keys: Keys) {
    this.#keys = keys;
    this.cache?.setAuth(this.redisAuth());
  }

  /** Apply a newly loaded route. */
  apply(route: Route): void {
    const prev = this.route;
    this.route = route;
    this.models = modelTable(route);
    this.salt = `${route.namespace}/${route.name}`;
    this.breakers.setPolicy(route.circuitBreaker);
    this.breakers.retain(this.models.knownModels());
    this.shadow.apply(route);
    // The window's shape (length, and the threshold its slow samples are counted against) changed: start afresh.
    if (route.rollback.windowMs !== prev.rollback.windowMs || route.rollback.maxP99LatencyMs !== prev.rollback.maxP99LatencyMs) {
      this.windows = newWindows(route, this.deps.clock);
    }
    if (route.generation !== prev.generation && this.rollback.onGeneration(route.generation)) {
      // A held rollback ends with a new generation: the relay starts afresh — a new window,
      // so the failures that caused it do not trip it again at once, and closed breakers, so
      // the first requests after a resume are not sent to official behind half-open probes
      // and counted as relay failures (which re-tripped the rollback under load).
      this.windows = newWindows(route, this.deps.clock);
      this.breakers.reset('relay');
      this.deps.log.info({ generation: route.generation }, 'rollback released by a new config generation; relay traffic resumes');
    }
    this.cache = reconcileCache(this.cache, route.cache, this.cacheDeps());
    this.spend.apply(route.budget, route.operator?.budgetSpent);
    if (route.budget) this.deps.metrics.startBudgetCounters();
    this.deps.metrics.configGeneration.set(route.generation);
    this.publishWeights();
  }

  /**
   * The percent this pod sends to the relay: 0 while its own rollback holds,
   * else the operator's effective weight (fleet rollback, the current step),
   * else `spec.canary.weight`.
   */
  effectiveWeight(): number {
    return this.rollback.effectiveWeight(this.route.operator?.effectiveWeight ?? this.route.canary.weight);
  }

  /**
   * Count one finished request in its side's window. For the relay, `failed`
   * means the relay could not serve a request routed to it.
   */
  record(side: Side, outcome: { failed: boolean; ttfbMs?: number }): void {
    this.windows[side].record(outcome);
    if (side !== 'relay') return;
    const state = this.rollback.observe(this.route.rollback, this.windows.relay.snapshot(), this.route.generation);
    if (!state) return;
    const what = state.reason === 'error_rate'
      ? `relay error rate ${(state.value * 100).toFixed(2)}% > ${(state.threshold * 100).toFixed(2)}%`
      : `relay p99 time to first byte ${state.value} ms > ${state.threshold} ms`;
    if (state.action === 'rollback') {
      this.deps.metrics.rollbacks.inc({ scope: 'pod', reason: state.reason });
      this.deps.log.error({ rollback: state }, `rolled back to the official API: ${what}; holds until the route's generation changes`);
    } else {
      this.deps.log.warn({ rollback: state }, `rollback threshold breached (action: alert, traffic unchanged): ${what}`);
    }
    this.publishWeights();
  }

  private cacheDeps(): CacheDeps {
    const { clock, metrics } = this.deps;
    const onBackendError = (message: string): void => this.logThrottle.log('cache:backend', 'warn', { error: message }, 'response cache backend unavailable; lookups are misses until it is back');
    return { clock, metrics, onBackendError, redisAuth: this.redisAuth() };
  }

  private redisAuth(): RedisAuth {
    if (this.#keys.redis) return { password: this.#keys.redis };
    return this.deps.redisPasswordFile ? 'missing' : {};
  }

  private publishWeights(): void {
    this.deps.metrics.canaryWeight.set({ kind: 'desired' }, this.route.canary.weight);
    this.deps.metrics.canaryWeight.set({ kind: 'effective' }, this.effectiveWeight());
  }
}

function modelTable(route: Route): ModelTable {
  return new ModelTable(route.models, route.catalog.keys());
}

function newWindows(route: Route, clock: Clock): Record<Side, SlidingWindow> {
  return {
    relay: new SlidingWindow(route.rollback.windowMs, clock, 60, route.rollback.maxP99LatencyMs),
    official: new SlidingWindow(route.rollback.windowMs, clock, 60, route.rollback.maxP99LatencyMs),
  };
}
