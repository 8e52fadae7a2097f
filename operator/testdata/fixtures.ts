/**
 * Test data shared by the operator's unit tests: the DESIGN.md route with the
 * CRD's defaults applied (as the API server returns it), and sidecar
 * `/status` documents built from raw latency samples.
 */
import { LATENCY_BOUNDS_MS } from '../../sidecar/resilience/buckets.js';
import type { RelayRoute, RelayRouteSpec } from '../route.js';
import type { SidecarStatus } from '../sidecar-status.js';

type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

export function routeFixture(
  opts: { name?: string; namespace?: string; generation?: number; spec?: DeepPartial<RelayRouteSpec> } = {},
): RelayRoute {
  const spec: RelayRouteSpec = {
    selector: { matchLabels: { app: 'support-bot' } },
    official: { baseURL: 'https://api.openai.com/v1' },
    relay: { baseURL: 'https://api.holysheep.ai/v1', apiKeySecretRef: { name: 'holysheep-api-credentials', key: 'API_KEY' } },
    models: [
      { match: ['gpt-4*'], chain: ['deepseek-chat', 'kimi-k2'], official: 'gpt-4.1' },
      { match: ['*'], chain: ['kimi-k2'] },
    ],
    catalog: [
      { name: 'deepseek-chat', contextWindow: 64000, price: { input: 0.21, output: 0.42, cachedInput: 0.021 } },
      { name: 'kimi-k2', contextWindow: 128000, price: { input: 0.18, output: 0.36 } },
      { name: 'gpt-4.1', price: { input: 2, output: 8, cachedInput: 0.5 } },
    ],
    canary: { weight: 25, fallbackToOfficial: true },
    rollback: { window: '15m', minRequests: 100, maxErrorRate: 0.01, maxP99Latency: '2s', action: 'rollback' },
    retry: { attempts: 2, backoff: { base: '250ms', max: '10s' }, retryOn: [429, 500, 502, 503, 504, 'connect-error', 'timeout'] },
    timeouts: { connect: '5s', firstByte: '60s', idle: '60s', total: '10m' },
    circuitBreaker: { consecutiveFailures: 3, cooldown: '30s' },
    limits: { maxRequestBytes: '10Mi', maxConcurrent: 1024 },
  };
  return {
    apiVersion: 'bellwether.dev/v1alpha1',
    kind: 'RelayRoute',
    metadata: {
      name: opts.name ?? 'support-bot',
      namespace: opts.namespace ?? 'shop',
      uid: '6b1f3c2e-0d1a-4c55-9d1e-2f6f3c1a9b10',
      generation: opts.generation ?? 3,
      resourceVersion: '4711',
    },
    spec: deepMerge(spec, opts.spec ?? {}) as RelayRouteSpec,
  };
}

function deepMerge(base: unknown, over: unknown): unknown {
  if (over === undefined) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof over !== 'object' || over === null || Array.isArray(over)) return over;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(out[k], v);
  return out;
}

/** Cumulative counts over LATENCY_BOUNDS_MS for these TTFB samples (ms). */
export function cumulativeCounts(samples: readonly number[]): number[] {
  const counts = LATENCY_BOUNDS_MS.map((bound) => samples.filter((s) => s <= bound).length);
  counts.push(samples.length);
  return counts;
}

export interface SideSpec {
  requests: number;
  failures?: number;
  /** TTFB of the served requests; default: every served request at 100 ms. */
  samples?: number[];
}

export function sideDoc(side: SideSpec, slowAboveMs = 2000) {
  const failures = side.failures ?? 0;
  const samples = side.samples ?? new Array<number>(side.requests - failures).fill(100);
  return {
    requests: side.requests,
    failures,
    errorRate: side.requests > 0 ? failures / side.requests : 0,
    p99LatencyMs: null,
    slow: samples.filter((s) => s > slowAboveMs).length,
    counts: cumulativeCounts(samples),
  };
}

export function statusDoc(
  opts: {
    generation?: number;
    relay?: SideSpec;
    official?: SideSpec;
    route?: { namespace: string; name: string };
    breakers?: Array<{ model: string; state: 'closed' | 'open' | 'half_open' }>;
    cost?: number;
    savings?: number;
    boundsMs?: number[];
  } = {},
): SidecarStatus {
  const doc: SidecarStatus = {
    apiVersion: 'bellwether.dev/v1alpha1',
    kind: 'SidecarStatus',
    time: '2026-11-23T04:10:09.889Z',
    ready: true,
    route: opts.route ?? { namespace: 'shop', name: 'support-bot' },
    generation: opts.generation ?? 3,
    config: { files: { route: { ok: true }, relay_key: { ok: true } } },
    keys: { relay: 'loaded', official: 'app' },
    weight: { desired: 25, fleet: null, effective: 25 },
    phase: null,
    rollback: null,
    window: {
      windowMs: 900_000,
      boundsMs: LATENCY_BOUNDS_MS,
      slowAboveMs: 2000,
      sides: { relay: sideDoc(opts.relay ?? { requests: 0 }), official: sideDoc(opts.official ?? { requests: 0 }) },
    },
    thresholds: { minRequests: 100, maxErrorRate: 0.01, maxP99LatencyMs: 2000, action: 'rollback' },
    breakers: (opts.breakers ?? []).map((b) => ({ side: 'relay', consecutiveFailures: b.state === 'closed' ? 0 : 3, ...b })),
    totals: { costUSD: opts.cost ?? 0, savingsUSD: opts.savings ?? 0 },
  };
  if (opts.boundsMs) {
    doc.window.boundsMs = opts.boundsMs;
    for (const s of [doc.window.sides.relay, doc.window.sides.official]) s.counts = new Array<number>(opts.boundsMs.length + 1).fill(0);
  }
  return doc;
}
