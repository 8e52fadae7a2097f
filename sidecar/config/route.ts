/**
 * The compiled route: a validated, defaulted RelayRoute turned into the typed
 * values the request path uses. Durations are milliseconds, quantities bytes,
 * globs compiled. Produced once per config load by `compileRoute` and never
 * mutated afterwards; a reload builds a new one.
 */

import type { OperatorDecisions } from './decisions.js';
import type { CachePolicy } from '../cache/spec.js';
import type { ShadowPolicy } from '../shadow/policy.js';
import type { BudgetPolicy } from '../spend/policy.js';

export type Side = 'relay' | 'official';

export interface SecretRef {
  name: string;
  key: string;
}

export interface Upstream {
  /** The base URL exactly as written in the spec, e.g. `https://api.holysheep.ai/v1`. */
  baseURL: string;
  /** `https://api.holysheep.ai` — scheme, host and port only. */
  origin: string;
  /** `/v1` — the path prefix, without a trailing slash ('' for none). */
  basePath: string;
  /** Set when the spec names a Secret for this side's key. */
  apiKeySecretRef?: SecretRef;
}

export interface ModelRule {
  /** The globs as written (`gpt-4*`); `*` matches any run of characters. */
  match: string[];
  /** Relay models, tried in order. */
  chain: string[];
  /** Optional rename on the official side. */
  official?: string;
}

export interface Price {
  /** USD per 1M input tokens. */
  input: number;
  /** USD per 1M output tokens. */
  output: number;
  /** USD per 1M cached input tokens; absent means cached tokens cost `input`. */
  cachedInput?: number;
}

export interface CatalogEntry {
  name: string;
  contextWindow?: number;
  price?: Price;
}

export type StickyBy =
  | { source: 'header'; name: string } // lower-cased header name
  | { source: 'body'; path: string[] }; // dotted path into the JSON body, e.g. ['user']

export interface CanaryPolicy {
  /** Percent of requests sent to the relay, 0–100. */
  weight: number;
  stickyBy?: StickyBy;
  fallbackToOfficial: boolean;
  restartedAt?: string;
  /**
   * `canary`: relay-picked requests try the relay chain first. `fallbackOnly`:
   * they try the official API first and reach the relay chain only when it
   * failed before any byte reached the app (plan.ts).
   */
  mode: 'canary' | 'fallbackOnly';
}

export interface RollbackPolicy {
  windowMs: number;
  minRequests: number;
  maxErrorRate: number;
  maxP99LatencyMs: number;
  action: 'rollback' | 'alert';
}

export interface RetryPolicy {
  /** Retries per upstream model after the first try (Istio's meaning of `attempts`). */
  attempts: number;
  backoff: { baseMs: number; maxMs: number };
  retryOn: {
    statuses: ReadonlySet<number>;
    connectError: boolean;
    timeout: boolean;
  };
}

export interface Timeouts {
  connectMs: number;
  firstByteMs: number;
  idleMs: number;
  totalMs: number;
}

export interface BreakerPolicy {
  consecutiveFailures: number;
  cooldownMs: number;
}

export interface Limits {
  maxRequestBytes: number;
  maxConcurrent: number;
}

export interface Route {
  namespace: string;
  name: string;
  /** metadata.generation when the document has one; otherwise assigned by the loader. */
  generation: number;
  /**
   * The operator's decisions, from the rendered route's annotations: its
   * effective weight overrides `canary.weight` (a fleet rollback, the current
   * step). Absent in a hand-written file.
   */
  operator?: OperatorDecisions;
  official: Upstream;
  relay: Upstream;
  models: ModelRule[];
  catalog: ReadonlyMap<string, CatalogEntry>;
  canary: CanaryPolicy;
  rollback: RollbackPolicy;
  retry: RetryPolicy;
  timeouts: Timeouts;
  circuitBreaker: BreakerPolicy;
  limits: Limits;
  /** spec.cache: the response cache; absent, no cache. */
  cache?: CachePolicy;
  /** `spec.shadow`: copies of official-served requests to the relay, judged in pairs. Absent: no shadow. */
  shadow?: ShadowPolicy;
  /** `spec.budget`: daily spend caps (sidecar/spend). */
  budget?: BudgetPolicy;
}
