/**
 * The shadow comparison's Prometheus metrics. `model` is the relay model the
 * copies went to (the first chain model served traffic could use, target.ts:
 * a name the route lists, or `other`); `verdict` and `reason` are fixed sets.
 * Shadow spend is reported here apart from served traffic — never in
 * bellwether_cost_usd_total or the savings — but it is real money, so it
 * also counts toward spec.budget's daily caps (sidecar/spend, ADR 0008).
 */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BOUNDS_SECONDS } from '../resilience/buckets.js';

export type SkipReason = 'max_concurrent' | 'overloaded' | 'budget' | 'context' | 'circuit_open' | 'no_model' | 'official_incomplete' | 'too_large' | 'shutdown' | 'error';

export class ShadowMetrics {
  readonly pairs: Counter<'model' | 'verdict'>;
  readonly skipped: Counter<'reason'>;
  readonly ttfb: Histogram<'model'>;
  readonly cost: Counter<'model'>;
  readonly inflight: Gauge;

  constructor(registry: Registry) {
    const registers = [registry];
    this.pairs = new Counter({
      name: 'bellwether_shadow_pairs_total',
      help: 'Shadow pairs judged: an official-served request and its copy to the relay. verdict: equivalent (both succeeded, same finish_reason, same tool-call names and argument keys, text similarity at or above spec.shadow.minSimilarity), different, or relay_error (the copy failed; not counted in the rollback window or the breakers).',
      labelNames: ['model', 'verdict'] as const,
      registers,
    });
    this.skipped = new Counter({
      name: 'bellwether_shadow_skipped_total',
      help: 'Shadow copies not judged. reason: max_concurrent (spec.shadow.maxConcurrent copies were in flight; never queued), overloaded (the sidecar\'s in-flight memory budget, --max-buffered-bytes, had no room for the copy\'s bytes), budget (spec.budget action block: the route is over its daily cap, or every chain model is), context (the request fits no chain model\'s context window), circuit_open (every chain model\'s breaker is open), no_model (the chain models were ruled out for different reasons among budget, context and circuit_open), official_incomplete (the app\'s own reply did not complete, so there is nothing to compare), too_large (an answer over the shadow size cap), shutdown (the sidecar is stopping), error (the sidecar failed to pick or judge the pair; its log says why).',
      labelNames: ['reason'] as const,
      registers,
    });
    this.ttfb = new Histogram({
      name: 'bellwether_shadow_ttfb_seconds',
      help: 'Time to first byte of the relay on shadow copies that succeeded (the first data event of a stream), from the moment the copy was sent. Buckets match bellwether_request_duration_seconds.',
      labelNames: ['model'] as const,
      buckets: [...LATENCY_BOUNDS_SECONDS],
      registers,
    });
    this.cost = new Counter({
      name: 'bellwether_shadow_cost_usd_total',
      help: 'What the shadow copies cost on the relay in USD, from the route catalog prices. Reported apart: not in bellwether_cost_usd_total and not in the savings; it does count toward spec.budget\'s route and per-model daily caps (bellwether_budget_spent_usd).',
      labelNames: ['model'] as const,
      registers,
    });
    this.inflight = new Gauge({
      name: 'bellwether_shadow_inflight',
      help: 'Shadow copies in flight in this sidecar (spec.shadow.maxConcurrent caps it).',
      registers,
    });
  }
}
