// The RelayRoute the bellwether contestant runs: official and relay are two
// base URLs of the fake upstream, weight 50, a two-model chain, breakers,
// retries and prices on, so every per-request feature is on the path.
// `__WEIGHT__` is replaced by the weight to write.

export function benchRoute(upstreamOrigin) {
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
`;
}
