/**
 * The `/status` document: what this sidecar is doing, for humans and for the
 * operator, which merges every sidecar's windows into RelayRoute.status.
 * Read-only and free of secrets: keys appear only as loaded/missing.
 *
 * Format (version `bellwether.dev/v1alpha1`, kind `SidecarStatus`):
 * - `window.boundsMs` are the fixed latency bucket upper bounds in ms, the
 *   same in every sidecar; `window.sides.<side>.counts` are CUMULATIVE counts
 *   of time-to-first-byte samples per bound, Prometheus style, with one more
 *   entry at the end for +Inf (= the number of samples). Merging pods is
 *   element-wise addition of `requests`, `failures` and `counts`, so a fleet
 *   p99 is exact, never an average of p99s.
 * - `requests`/`failures` for the relay count relay-routed requests and the
 *   ones the relay could not serve (the rollback error rate).
 */
import type { Runtime } from '../runtime.js';
import type { Side } from '../config/route.js';
import type { ConfigHealth } from '../config/source.js';
import { quantileMs, type WindowSnapshot } from '../resilience/window.js';
import { budgetDocument } from '../spend/status.js';

export function statusDocument(rt: Runtime, health: ConfigHealth, ready: boolean) {
  const route = rt.route;
  const sides = {} as Record<Side, ReturnType<typeof sideDoc>>;
  for (const side of ['relay', 'official'] as const) sides[side] = sideDoc(rt.windows[side].snapshot());
  const held = rt.rollback.active;
  return {
    apiVersion: 'bellwether.dev/v1alpha1',
    kind: 'SidecarStatus',
    time: new Date(rt.deps.clock.now()).toISOString(),
    ready,
    route: { namespace: route.namespace, name: route.name },
    generation: route.generation,
    config: health,
    keys: {
      relay: rt.keys.relay ? 'loaded' : 'missing',
      official: route.official.apiKeySecretRef ? (rt.keys.official ? 'loaded' : 'missing') : 'app',
    },
    weight: { desired: route.canary.weight, fleet: route.operator?.effectiveWeight ?? null, effective: rt.effectiveWeight() },
    phase: route.operator?.phase ?? null,
    rollback: held
      ? { ...held, value: Number.isFinite(held.value) ? held.value : 'Inf', at: new Date(held.at).toISOString(), holding: held.action === 'rollback' }
      : null,
    window: {
      windowMs: route.rollback.windowMs,
      boundsMs: rt.windows.relay.snapshot().boundsMs,
      slowAboveMs: route.rollback.maxP99LatencyMs,
      sides,
    },
    thresholds: {
      minRequests: route.rollback.minRequests,
      maxErrorRate: route.rollback.maxErrorRate,
      maxP99LatencyMs: route.rollback.maxP99LatencyMs,
      action: route.rollback.action,
    },
    breakers: rt.breakers.snapshot().map((b) => ({
      ...b,
      ...(b.openedAt !== undefined ? { openedAt: new Date(b.openedAt).toISOString() } : {}),
      ...(b.nextProbeAt !== undefined ? { nextProbeAt: new Date(b.nextProbeAt).toISOString() } : {}),
    })),
    totals: { costUSD: round(rt.totals.costUSD), savingsUSD: round(rt.totals.savingsUSD) },
    cache: rt.cache?.status() ?? null,
    shadow: route.shadow ? rt.shadow.document(route) : null,
    budget: budgetDocument(rt.spend),
  };
}

function sideDoc(s: WindowSnapshot) {
  const p99 = quantileMs(s, 0.99);
  return {
    requests: s.requests,
    failures: s.failures,
    errorRate: s.requests > 0 ? s.failures / s.requests : 0,
    p99LatencyMs: p99 === undefined ? null : Number.isFinite(p99) ? p99 : 'Inf',
    slow: s.slow ?? 0,
    counts: s.counts,
  };
}

function round(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
