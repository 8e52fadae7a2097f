// The RelayRoute the bellwether contestant runs: official and relay are two
// base URLs of the fake upstream, weight 50, a two-model chain, breakers,
// retries and prices on, so every per-request feature is on the path.
// `__WEIGHT__` is replaced by the weight to write. `features` adds spec fields
// (the features' own contestants: FEATURES below).

/** spec blocks for the feature contestants (each one feature on top of the headline route). */
export const FEATURES = {
  // Every request the same: after the first, every lookup is a hit (no upstream call).
  'cache-hit': 'cache: {ttl: 1h, maxEntries: 1000, maxBytes: 16Mi}',
  // Entries outlive nothing: every lookup misses, every reply is recorded and stored.
  'cache-miss': 'cache: {ttl: 1ms, maxEntries: 1000, maxBytes: 16Mi}',
  // Every official-served request copied to the relay and judged (at most 8 copies in flight): the worst case.
  shadow: 'shadow: {weight: 100, maxConcurrent: 8}',
  // One in ten, what the migration playbooks shadow (5–10 % of traffic).
  shadow10: 'shadow: {weight: 10, maxConcurrent: 8}',
  // Daily caps far above what the run spends: spend counted and checked on every request.
  budget: 'budget: {daily: 1000000, action: block, models: [{name: bench-relay-a, daily: 1000000}]}',
};

export function benchRoute(upstreamOrigin, features = []) {
  const extra = features.map((f) => `  ${FEATURES[f]}\n`).join('');
  return `apiVersion: bellwether.dev/v1alpha1
kind: RelayRoute
metadata:
  name: bench
  namespace: bench
spec:
  selector:
    matchLabels: {app: bench}
  official:
    baseURL: ${upstreamOrigin}/official/v1
  relay:
    baseURL: ${upstreamOrigin}/relay/v1
    apiKeySecretRef: {name: bench-relay, key: apiKey}
  models:
    - match: ["*"]
      chain: [bench-relay-a, bench-relay-b]
  catalog:
    - {name: bench-relay-a, contextWindow: 128000, price: {input: 0.21, output: 0.42, cachedInput: 0.021}}
    - {name: bench-relay-b, contextWindow: 128000, price: {input: 0.18, output: 0.36}}
    - {name: gpt-4.1, contextWindow: 1000000, price: {input: 8, output: 32}}
  canary:
    weight: __WEIGHT__
    fallbackToOfficial: true
  rollback:
    window: 15m
    minRequests: 100
    maxErrorRate: 0.01
    maxP99Latency: 2s
    action: rollback
  retry:
    attempts: 2
    backoff: {base: 250ms, max: 10s}
    retryOn: [429, 500, 502, 503, 504, connect-error, timeout]
  timeouts: {connect: 5s, firstByte: 60s, idle: 60s, total: 10m}
  circuitBreaker: {consecutiveFailures: 3, cooldown: 30s}
  limits: {maxRequestBytes: 10Mi, maxConcurrent: 4096}
${extra}`;
}
