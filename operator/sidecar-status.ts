/**
 * The sidecar's `/status` document as the operator reads it: the wire
 * contract of docs/status-format.md, typed. (The sidecar builds it in
 * sidecar/admin/status.ts; sidecar-status.test.ts checks the two agree.)
 */
import type { ShadowWindowSnapshot } from '../sidecar/shadow/window.js';

export const STATUS_API_VERSION = 'bellwether.dev/v1alpha1';
export const STATUS_KIND = 'SidecarStatus';

/** `shadow` (docs/status-format.md): null or absent without spec.shadow. */
export interface SidecarShadow {
  weight: number;
  minSimilarity: number | null;
  maxConcurrent: number;
  inFlight: number;
  pairs: number;
  equivalent: number;
  different: number;
  relayErrors: number;
  skipped: number;
  costUSD: number;
  window: ShadowWindowSnapshot;
}

export interface SidecarSide {
  requests: number;
  failures: number;
  errorRate: number;
  /** Bucket estimate; `"Inf"` beyond the last bound; null without samples. */
  p99LatencyMs: number | string | null;
  /** Samples slower than `window.slowAboveMs`, counted exactly. */
  slow: number;
  /** Cumulative TTFB histogram, `boundsMs.length + 1` long (the last is +Inf). */
  counts: number[];
}

export interface SidecarBreaker {
  /** Always `relay` today (the official API has no breaker); others are ignored. */
  side: string;
  model: string;
  /** `half-open` is accepted too (the CRD's spelling). */
  state: 'closed' | 'open' | 'half_open' | 'half-open';
  consecutiveFailures: number;
  /** RFC 3339 on the wire (the sidecar's inferred type also admits its clock number). */
  openedAt?: string | number;
  nextProbeAt?: string | number;
}

export interface SidecarStatus {
  apiVersion: string;
  kind: string;
  time: string;
  ready: boolean;
  route: { namespace: string; name: string };
  generation: number;
  config: { files: Record<string, { ok: boolean; error?: string }> };
  /** `loaded` / `missing` (official also `app`). */
  keys: { relay: string; official: string };
  /** `fleet`: the operator's effective weight the sidecar read from its rendered route (null standalone). */
  weight: { desired: number; fleet: number | null; effective: number };
  phase: string | null;
  rollback: null | {
    reason: 'error_rate' | 'p99_latency';
    /** A number, or `"Inf"` (typed string: the sidecar's literal widens). */
    value: number | string;
    threshold: number;
    at: string;
    generation: number;
    action: 'rollback' | 'alert';
    holding: boolean;
  };
  window: {
    windowMs: number;
    boundsMs: readonly number[];
    slowAboveMs: number;
    sides: { relay: SidecarSide; official: SidecarSide };
  };
  thresholds: { minRequests: number; maxErrorRate: number; maxP99LatencyMs: number; action: 'rollback' | 'alert' };
  breakers: SidecarBreaker[];
  totals: { costUSD: number; savingsUSD: number };
  shadow?: SidecarShadow | null;
  /** null without spec.cache; absent from sidecars older than the cache. */
  cache?: SidecarCache | null;
  /** docs/status-format.md "Budget"; absent from sidecars older than spec.budget. */
  budget?: SidecarBudget;
}

/** The `/status` `cache` key (docs/status-format.md, "Cache"). */
export interface SidecarCache {
  backend: string;
  state: string;
  ttlMs: number;
  hits: number;
  misses: number;
  bypasses: number;
  errors: number;
  stores: number;
  droppedWrites: number;
  entries: number | null;
  bytes: number | null;
  savingsUSD: number;
}

export interface SidecarBudget {
  /** The sidecar's UTC day, YYYY-MM-DD. */
  day: string;
  resetsAt: string;
  action: 'alert' | 'block' | null;
  /** This sidecar's own spend today: what the operator sums. `since`: when this count began (restart or midnight). */
  own: { since: string; routeUSD: number; models: Record<string, number> };
  fleet: { routeUSD: number; models: Record<string, number>; at: string | null } | null;
  route: { spentUSD: number; limitUSD: number | null; exhausted: boolean };
  models: Array<{ name: string; spentUSD: number; limitUSD: number | null; exhausted: boolean }>;
}
