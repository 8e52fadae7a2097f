import { describe, expect, it } from 'vitest';
import { setCondition, type RelayRoute } from './route.js';
import { routeFixture } from './testdata/fixtures.js';
import { checkRoute, type ValidationContext } from './validate.js';

const secrets = (entries: Record<string, string[]>) => new Map(Object.entries(entries).map(([k, v]) => [k, new Set(v)]));
const ok: ValidationContext = { routes: [], secrets: secrets({ 'holysheep-api-credentials': ['API_KEY'] }) };
const now = Date.UTC(2026, 10, 23, 4, 0, 0);

describe('checkRoute', () => {
  it('passes a usable spec: Ready and SecretFound True, no Events', () => {
    const r = checkRoute(routeFixture(), ok);
    expect(r.invalid).toBe(false);
    expect(r.events).toEqual([]);
    expect(r.conditions).toEqual([
      { type: 'Ready', status: 'True', reason: 'Valid', message: 'The spec is usable.', observedGeneration: 3 },
      { type: 'SecretFound', status: 'True', reason: 'Found', message: 'Every referenced Secret and key exists.', observedGeneration: 3 },
    ]);
  });

  it('names a missing relay Secret', () => {
    const r = checkRoute(routeFixture(), { routes: [], secrets: secrets({}) });
    const message =
      'Secret "holysheep-api-credentials" (spec.relay.apiKeySecretRef) does not exist in this namespace; until it does, the sidecars have no relay key and send every request to the official API';
    expect(r.conditions[1]).toMatchObject({ type: 'SecretFound', status: 'False', reason: 'SecretNotFound', message });
    expect(r.conditions[0]).toMatchObject({ type: 'Ready', status: 'False', reason: 'SecretNotFound' });
    expect(r.events).toEqual([{ type: 'Warning', reason: 'SecretNotFound', message }]);
    expect(r.invalid).toBe(false);
  });

  it('names a missing key and the keys the Secret has', () => {
    const r = checkRoute(routeFixture(), { routes: [], secrets: secrets({ 'holysheep-api-credentials': ['apiKey', 'api_key'] }) });
    expect(r.conditions[1]?.message).toMatch(/^Secret "holysheep-api-credentials" \(spec.relay.apiKeySecretRef\) has no key "API_KEY" \(it has "apiKey", "api_key"\)/);
    expect(r.conditions[1]?.reason).toBe('SecretKeyNotFound');
  });

  it('checks the official key Secret only when the spec names one', () => {
    const route = routeFixture({ spec: { official: { apiKeySecretRef: { name: 'openai', key: 'apiKey' } } } });
    const r = checkRoute(route, ok);
    expect(r.conditions[1]).toMatchObject({ status: 'False', reason: 'SecretNotFound' });
    expect(r.conditions[1]?.message).toContain('Secret "openai" (spec.official.apiKeySecretRef)');
  });

  it('checks the Redis password Secret of spec.cache.redis.passwordSecretRef, only for a Redis backend', () => {
    const redis = { url: 'redis://redis:6379', timeout: '50ms', keyPrefix: 'bw:', maxInFlight: 64, passwordSecretRef: { name: 'redis-auth', key: 'password' } };
    const cache = { ttl: '1h', maxEntries: 1, maxBytes: '1Mi', maxEntryBytes: '1Mi', redis };
    const r = checkRoute(routeFixture({ spec: { cache: { ...cache, backend: 'redis' } } } as never), ok);
    const message =
      'Secret "redis-auth" (spec.cache.redis.passwordSecretRef) does not exist in this namespace; until it does, the sidecars run without the response cache (cache.state auth_missing: every lookup a miss) and connect once it appears';
    expect(r.conditions[1]).toMatchObject({ type: 'SecretFound', status: 'False', reason: 'SecretNotFound', message });
    expect(r.events).toEqual([{ type: 'Warning', reason: 'SecretNotFound', message }]);
    const keyed = checkRoute(routeFixture({ spec: { cache: { ...cache, backend: 'redis' } } } as never), { routes: [], secrets: secrets({ 'holysheep-api-credentials': ['API_KEY'], 'redis-auth': ['pass'] }) });
    expect(keyed.conditions[1]).toMatchObject({ status: 'False', reason: 'SecretKeyNotFound' });
    // An in-memory cache never reads the password.
    expect(checkRoute(routeFixture({ spec: { cache: { ...cache, backend: 'memory' } } } as never), ok).conditions[1]).toMatchObject({ status: 'True' });
  });

  it('warns about models missing from a non-empty catalog, but stays Ready', () => {
    const route = routeFixture({ spec: { models: [{ match: ['*'], chain: ['deepseek_chat', 'kimi-k2'], official: 'gpt-4o' }] } });
    const r = checkRoute(route, ok);
    expect(r.invalid).toBe(false);
    expect(r.conditions[0]).toMatchObject({ status: 'True', reason: 'CatalogIncomplete' });
    expect(r.events.map((e) => e.message)).toEqual([
      '"deepseek_chat", "gpt-4o" are used in spec.models but missing from spec.catalog: traffic still flows, but its cost and savings are not counted and chain models are never skipped for size (a typo?)',
    ]);
  });

  it('does not check an empty catalog', () => {
    const route = routeFixture();
    route.spec.catalog = [];
    expect(checkRoute(route, ok).conditions[0]?.reason).toBe('Valid');
  });

  it('marks overlapping routes Invalid, naming the other route; disjoint ones and itself do not count', () => {
    const other = routeFixture({ name: 'support-bot-canary', spec: { selector: { matchLabels: { app: 'support-bot', track: 'canary' } } } });
    const disjoint = routeFixture({ name: 'web', spec: { selector: { matchLabels: { app: 'web' } } } });
    const r = checkRoute(routeFixture(), { ...ok, routes: [routeFixture(), other, disjoint] });
    expect(r.invalid).toBe(true);
    expect(r.conditions[0]).toMatchObject({ status: 'False', reason: 'SelectorOverlap' });
    expect(r.events[0]?.message).toBe(
      'spec.selector can select the same pods as RelayRoute "support-bot-canary": the webhook injects no sidecar into a pod two routes select; make the selectors disjoint',
    );
  });

  it('ignores a route that is being deleted', () => {
    const leaving: RelayRoute = { ...routeFixture({ name: 'old' }), metadata: { ...routeFixture({ name: 'old' }).metadata, deletionTimestamp: new Date(now) } };
    expect(checkRoute(routeFixture(), { ...ok, routes: [leaving] }).invalid).toBe(false);
  });

  it('refuses a name too long for a label value', () => {
    const r = checkRoute(routeFixture({ name: 'a'.repeat(64) }), ok);
    expect(r).toMatchObject({ invalid: true });
    expect(r.conditions[0]?.reason).toBe('NameTooLong');
  });

  it('records each problem once: no Event when Ready already reports it, one for a new problem', () => {
    const route = routeFixture();
    const first = checkRoute(route, { routes: [], secrets: secrets({}) });
    route.status = { conditions: setCondition(undefined, first.conditions[0]!, now) };
    expect(checkRoute(route, { routes: [], secrets: secrets({}) }).events).toEqual([]);
    const overlapping = routeFixture({ name: 'twin' });
    const next = checkRoute(route, { routes: [overlapping], secrets: secrets({}) });
    expect(next.events.map((e) => e.reason)).toEqual(['SelectorOverlap']);
  });
});

describe('checkRoute: budget', () => {
  it('warns about a capped model without a catalog price (its cap could never be reached), leaving Ready True', () => {
    const route = routeFixture({ spec: { budget: { daily: 10, models: [{ name: 'deepseek-chat', daily: 1 }, { name: 'deepseek_chat', daily: 1 }], action: 'block' } } });
    const check = checkRoute(route, { routes: [], secrets: new Map([['holysheep-api-credentials', new Set(['API_KEY'])]]) });
    expect(check.conditions[0]).toMatchObject({ status: 'True', reason: 'BudgetModelUnpriced' });
    expect(check.events.map((e) => e.message)).toEqual([
      '"deepseek_chat" has a cap in spec.budget.models but no price in spec.catalog: its spend is never counted, so the cap is never reached (a typo?)',
    ]);
  });
});
