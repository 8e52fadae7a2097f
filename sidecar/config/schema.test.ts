import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN } from './duration.js';
import { QUANTITY_PATTERN } from './quantity.js';
import { createRelayRouteValidator, defaultCrdUrl, formatPath, loadCrdSchema, validateRelayRoute } from './schema.js';

/** Loose JSON for building documents and walking the schema in tests. */
type Json = Record<string, any>;

function route(spec: Json = {}): Json {
  return {
    apiVersion: 'bellwether.dev/v1alpha1',
    kind: 'RelayRoute',
    metadata: { name: 'support-bot', namespace: 'shop' },
    spec: {
      official: { baseURL: 'https://api.openai.com/v1' },
      relay: { baseURL: 'https://api.holysheep.ai/v1', apiKeySecretRef: { name: 'holysheep', key: 'API_KEY' } },
      models: [{ match: ['*'], chain: ['kimi-k2'] }],
      ...spec,
    },
  };
}

function errorsOf(doc: unknown): string[] {
  const result = validateRelayRoute(doc);
  return result.ok ? [] : result.errors;
}

describe('validateRelayRoute: defaults', () => {
  it('applies every default from DESIGN.md to a minimal route', () => {
    const result = validateRelayRoute(route());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { official, relay, models, ...defaulted } = result.doc.spec;
    expect(defaulted).toEqual({
      canary: { weight: 0, fallbackToOfficial: true, mode: 'canary' },
      rollback: { window: '15m', minRequests: 100, maxErrorRate: 0.01, maxP99Latency: '2s', action: 'rollback' },
      retry: { attempts: 2, backoff: { base: '250ms', max: '10s' }, retryOn: [429, 500, 502, 503, 504, 'connect-error', 'timeout'] },
      timeouts: { connect: '5s', firstByte: '60s', idle: '60s', total: '10m' },
      circuitBreaker: { consecutiveFailures: 3, cooldown: '30s' },
      limits: { maxRequestBytes: '10Mi', maxConcurrent: 1024 },
    });
  });

  it('fills nested defaults inside a partly written parent', () => {
    const result = validateRelayRoute(route({ retry: { backoff: { max: '30s' } }, canary: { weight: 10 } }));
    expect(result.ok && result.doc.spec.retry).toEqual({
      attempts: 2,
      backoff: { base: '250ms', max: '30s' },
      retryOn: [429, 500, 502, 503, 504, 'connect-error', 'timeout'],
    });
    expect(result.ok && result.doc.spec.canary).toEqual({ weight: 10, fallbackToOfficial: true, mode: 'canary' });
  });

  it('treats `field: null` (an emptied YAML block) as absent, as the API server does', () => {
    const result = validateRelayRoute(route({ retry: null, canary: { weight: 5, stickyBy: null } }));
    expect(result.ok && result.doc.spec.retry.attempts).toBe(2);
    expect(result.ok && result.doc.spec.canary).toEqual({ weight: 5, fallbackToOfficial: true, mode: 'canary' });
    expect(errorsOf(route({ models: null }))).toEqual(["spec: must have required property 'models'"]);
  });

  it('never mutates its input and does not share default objects between calls', () => {
    const input = route();
    const before = structuredClone(input);
    const first = validateRelayRoute(input);
    expect(input).toEqual(before);
    const second = validateRelayRoute(input);
    if (!first.ok || !second.ok) throw new Error('expected valid');
    first.doc.spec.retry.retryOn.push('999');
    expect(second.doc.spec.retry.retryOn).toHaveLength(7);
  });
});

describe('validateRelayRoute: errors name the field kubectl-style', () => {
  it.each<[string, Json, string]>([
    ['weight above 100', route({ canary: { weight: 101 } }), 'spec.canary.weight: must be <= 100'],
    ['negative weight', route({ canary: { weight: -1 } }), 'spec.canary.weight: must be >= 0'],
    ['fractional weight', route({ canary: { weight: 2.5 } }), 'spec.canary.weight: must be integer'],
    ['weight as a string', route({ canary: { weight: '25' } }), 'spec.canary.weight: must be integer'],
    ['empty chain', route({ models: [{ match: ['*'], chain: [] }] }), 'spec.models[0].chain: must NOT have fewer than 1 items'],
    ['no models', route({ models: [] }), 'spec.models: must NOT have fewer than 1 items'],
    ['relay without baseURL', route({ relay: { apiKeySecretRef: { name: 'a', key: 'b' } } }), "spec.relay: must have required property 'baseURL'"],
    ['relay without key', route({ relay: { baseURL: 'https://r.example/v1' } }), "spec.relay: must have required property 'apiKeySecretRef'"],
    ['error rate above 1', route({ rollback: { maxErrorRate: 1.5 } }), 'spec.rollback.maxErrorRate: must be <= 1'],
    ['zero minRequests', route({ rollback: { minRequests: 0 } }), 'spec.rollback.minRequests: must be >= 1'],
    ['unknown action', route({ rollback: { action: 'page' } }), 'spec.rollback.action: must be one of rollback, alert'],
    ['too many retries', route({ retry: { attempts: 11 } }), 'spec.retry.attempts: must be <= 10'],
    ['a typo', route({ canary: { wieght: 25 } }), 'spec.canary.wieght: unknown field'],
    ['ftp baseURL', route({ official: { baseURL: 'ftp://api.openai.com/v1' } }), 'spec.official.baseURL: must match pattern "^https?://[^\\s/?#@]+(/[^\\s?#]*)?$"'],
    ['credentials in baseURL', route({ official: { baseURL: 'https://sk-1@api.openai.com/v1' } }), 'spec.official.baseURL: must match pattern "^https?://[^\\s/?#@]+(/[^\\s?#]*)?$"'],
    ['bad duration', route({ timeouts: { idle: '60' } }), 'spec.timeouts.idle: must be a Go duration such as 250ms, 30s, 15m or 1h30m (units ns, us, ms, s, m, h)'],
    ['days', route({ rollback: { window: '1d' } }), 'spec.rollback.window: must be a Go duration such as 250ms, 30s, 15m or 1h30m (units ns, us, ms, s, m, h)'],
    ['milli bytes', route({ limits: { maxRequestBytes: '10m' } }), 'spec.limits.maxRequestBytes: must be a positive Kubernetes quantity such as 10Mi, 512Ki, 1G or 1000 (bytes)'],
    ['zero bytes', route({ limits: { maxRequestBytes: 0 } }), 'spec.limits.maxRequestBytes: must be >= 1'],
    ['zero bytes as a string', route({ limits: { maxRequestBytes: '0Ki' } }), 'spec.limits.maxRequestBytes: must be a positive Kubernetes quantity such as 10Mi, 512Ki, 1G or 1000 (bytes)'],
    ['bytes as bool', route({ limits: { maxRequestBytes: true } }), 'spec.limits.maxRequestBytes: must be integer or string'],
    ['bad stickyBy', route({ canary: { stickyBy: 'cookie:session' } }), 'spec.canary.stickyBy: must match pattern "^(header:[A-Za-z0-9-]+|body:[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*)$"'],
    ['empty body path segment', route({ canary: { stickyBy: 'body:user..id' } }), 'spec.canary.stickyBy: must match pattern "^(header:[A-Za-z0-9-]+|body:[A-Za-z0-9_]+(\\.[A-Za-z0-9_]+)*)$"'],
    ['retry on a word', route({ retry: { retryOn: ['sometimes'] } }), 'spec.retry.retryOn[0]: must match pattern "^[45][0-9][0-9]$|^connect-error$|^timeout$"'],
    ['retry on 200', route({ retry: { retryOn: [200] } }), 'spec.retry.retryOn[0]: must be >= 400'],
    ['wildcard in chain', route({ models: [{ match: ['*'], chain: ['kimi-*'] }] }), 'spec.models[0].chain[0]: must match pattern "^[^\\s*]+$"'],
    ['negative price', route({ catalog: [{ name: 'a', price: { input: -1, output: 1 } }] }), 'spec.catalog[0].price.input: must be >= 0'],
    ['a route budget of 0', route({ budget: { daily: 0, action: 'block' } }), 'spec.budget.daily: must be >= 0.01'],
    ['a model budget of 0', route({ budget: { models: [{ name: 'kimi-k2', daily: 0 }] } }), 'spec.budget.models[0].daily: must be >= 0.01'],
    ['more cache entries than the LRU should reserve', route({ cache: { maxEntries: 1_000_001 } }), 'spec.cache.maxEntries: must be <= 1000000'],
    ['wrong apiVersion', { ...route(), apiVersion: 'bellwether.dev/v1' }, 'apiVersion: must be "bellwether.dev/v1alpha1"'],
    ['wrong kind', { ...route(), kind: 'Route' }, 'kind: must be "RelayRoute"'],
    ['no name', { ...route(), metadata: { namespace: 'shop' } }, "metadata: must have required property 'name'"],
    ['no spec', { apiVersion: 'bellwether.dev/v1alpha1', kind: 'RelayRoute', metadata: { name: 'a' } }, "(root): must have required property 'spec'"],
    ['bad status phase', { ...route(), status: { phase: 'Done' } }, 'status.phase: must be one of Pending, Shadowing, Progressing, Promoted, RolledBack, Invalid'],
  ])('%s', (_name, doc, expected) => {
    expect(errorsOf(doc)).toContain(expected);
  });

  it('reports every problem at once', () => {
    const errors = errorsOf(route({ canary: { weight: 101 }, retry: { attempts: -1 } }));
    expect(errors).toEqual(['spec.canary.weight: must be <= 100', 'spec.retry.attempts: must be >= 0']);
  });

  it('accepts status codes as numbers or strings, and quantities as integers', () => {
    expect(errorsOf(route({ retry: { retryOn: [429, '503', 'connect-error', 'timeout'] } }))).toEqual([]);
    expect(errorsOf(route({ limits: { maxRequestBytes: 1048576 } }))).toEqual([]);
    expect(errorsOf(route({ canary: { stickyBy: 'body:metadata.user_id' } }))).toEqual([]);
  });

  it('keeps metadata it does not know (labels, uid) and does not require a namespace', () => {
    expect(errorsOf({ ...route(), metadata: { name: 'a', labels: { team: 'x' }, uid: '1' } })).toEqual([]);
  });

  it('refuses a document that is not plain data', () => {
    expect(errorsOf({ ...route(), f: () => 1 })[0]).toMatch(/^\(root\): not a plain data document/);
  });

  it('formats odd map keys in brackets', () => {
    expect(formatPath(['spec', 'selector', 'matchLabels', 'app.kubernetes.io/name'])).toBe('spec.selector.matchLabels[app.kubernetes.io/name]');
    expect(formatPath([])).toBe('(root)');
  });
});

/** One violating spec per CEL rule in the CRD, keyed by the rule's message. */
const CEL_VIOLATIONS: Record<string, [Json, string]> = {
  // Kubernetes 1.26 has no fieldPath: a rule reports at the object that carries it, and its message names the field.
  'relay.baseURL must differ from official.baseURL': [
    { relay: { baseURL: 'https://api.openai.com/v1/', apiKeySecretRef: { name: 'a', key: 'b' } } },
    'spec',
  ],
  'matchExpressions values must be non-empty for In and NotIn, and empty for Exists and DoesNotExist': [
    { selector: { matchExpressions: [{ key: 'tier', operator: 'Exists', values: ['web'] }] } },
    'spec.selector.matchExpressions[0]',
  ],
  'rollback.window must be longer than 0s': [{ rollback: { window: '0s' } }, 'spec.rollback'],
  'retry.backoff.base must not be longer than retry.backoff.max': [{ retry: { backoff: { base: '20s' } } }, 'spec.retry.backoff'],
  'timeouts.connect, firstByte, idle and total must be longer than 0s': [{ timeouts: { idle: '0ms' } }, 'spec.timeouts'],
  'timeouts.connect must not be longer than timeouts.total': [{ timeouts: { connect: '11m' } }, 'spec.timeouts'],
  'timeouts.firstByte must not be longer than timeouts.total': [{ timeouts: { firstByte: '1h', total: '59m59s' } }, 'spec.timeouts'],
  'cache.redis (with its url) is required when cache.backend is redis': [{ cache: { backend: 'redis' } }, 'spec.cache'],
  'cache.ttl must be longer than 0s': [{ cache: { ttl: '0s' } }, 'spec.cache'],
  'cache.redis.timeout must be longer than 0s': [{ cache: { backend: 'redis', redis: { url: 'redis://redis:6379', timeout: '0ms' } } }, 'spec.cache.redis'],
  'canary.fallbackToOfficial cannot be false with canary.mode fallbackOnly (the official API is always tried first)': [
    { canary: { mode: 'fallbackOnly', fallbackToOfficial: false } },
    'spec.canary',
  ],
  'budget needs daily or at least one entry in budget.models': [{ budget: { action: 'block', models: [] } }, 'spec.budget'],
};

function crdRules(node: unknown, out: { rule: string; message: string; [k: string]: unknown }[] = []) {
  if (typeof node !== 'object' || node === null) return out;
  const schema = node as Json;
  out.push(...(schema['x-kubernetes-validations'] ?? []));
  for (const child of [schema.items, schema.additionalProperties, ...Object.values(schema.properties ?? {})]) crdRules(child, out);
  return out;
}

describe('CEL rules from the CRD are enforced by the sidecar', () => {
  const rules = crdRules(loadCrdSchema());

  it('has a violating case here for every rule in the CRD (add one when you add a rule)', () => {
    expect(rules.map((r) => r.message).sort()).toEqual(Object.keys(CEL_VIOLATIONS).sort());
  });

  it('uses no rule the standalone sidecar cannot evaluate (transition rules, messageExpression)', () => {
    for (const rule of rules) {
      expect(rule.rule, rule.rule).not.toMatch(/\boldSelf\b/);
      expect(rule.messageExpression, rule.rule).toBeUndefined();
    }
  });

  it.each(Object.entries(CEL_VIOLATIONS))('%s', (message, [spec, path]) => {
    expect(errorsOf(route(spec))).toEqual([`${path}: ${message}`]);
  });

  it('passes right at the boundaries', () => {
    expect(errorsOf(route({ retry: { backoff: { base: '10s', max: '10000ms' } }, timeouts: { connect: '10m', firstByte: '600s' } }))).toEqual([]);
    expect(errorsOf(route({ selector: { matchExpressions: [{ key: 't', operator: 'In', values: ['a'] }, { key: 'u', operator: 'DoesNotExist' }] } }))).toEqual([]);
    expect(errorsOf(route({ cache: { ttl: '1ms', backend: 'redis', redis: { url: 'redis://redis:6379', timeout: '1ms' } } }))).toEqual([]);
  });

  it('evaluates a rule added to the schema without code changes, with integers as CEL ints', () => {
    const schema = loadCrdSchema();
    const canary = schema.properties as Json;
    canary.spec.properties.canary['x-kubernetes-validations'] = [{ rule: 'self.weight + 1 <= 51', message: 'at most 50 for now' }];
    const validate = createRelayRouteValidator(schema);
    expect(validate(route({ canary: { weight: 50 } })).ok).toBe(true);
    expect(validate(route({ canary: { weight: 51 } }))).toEqual({ ok: false, errors: ['spec.canary: at most 50 for now'] });
  });

  it('refuses a schema whose CEL rule does not parse', () => {
    const schema = loadCrdSchema();
    (schema.properties as Json).spec['x-kubernetes-validations'] = [{ rule: 'self.official ==', message: 'x' }];
    expect(() => createRelayRouteValidator(schema)).toThrow();
  });
});

describe('list-type map uniqueness', () => {
  it('refuses two catalog entries with one name', () => {
    expect(errorsOf(route({ catalog: [{ name: 'kimi-k2' }, { name: 'deepseek-chat' }, { name: 'kimi-k2' }] }))).toEqual([
      'spec.catalog[2]: duplicate entry: name "kimi-k2" is already used by spec.catalog[0]',
    ]);
  });

  it('applies to status lists', () => {
    const breaker = { model: 'kimi-k2', openPods: 2 };
    expect(errorsOf({ ...route(), status: { breakers: [breaker, { ...breaker, openPods: 3 }] } })).toEqual([
      'status.breakers[1]: duplicate entry: model "kimi-k2" is already used by status.breakers[0]',
    ]);
  });
});

describe('the CRD file', () => {
  it('is found from source and from the compiled module in dist/', () => {
    const crd = fileURLToPath(new URL('../../crds/relayroute.yaml', import.meta.url));
    expect(fileURLToPath(defaultCrdUrl())).toBe(crd);
    expect(fileURLToPath(defaultCrdUrl(new URL('../../dist/sidecar/config/schema.js', import.meta.url)))).toBe(crd);
    expect(() => defaultCrdUrl('file:///nowhere/a/b/c/schema.js')).toThrow('crds/relayroute.yaml not found');
    expect(loadCrdSchema(crd)).toEqual(loadCrdSchema());
  });

  it('uses the shared duration and quantity patterns for every such field', () => {
    const spec = (loadCrdSchema().properties as Json).spec.properties;
    const durations = [
      spec.rollback.properties.window, spec.rollback.properties.maxP99Latency,
      spec.retry.properties.backoff.properties.base, spec.retry.properties.backoff.properties.max,
      ...Object.values(spec.timeouts.properties), spec.circuitBreaker.properties.cooldown,
    ] as Json[];
    for (const field of durations) expect(field.pattern).toBe(DURATION_PATTERN);
    expect(spec.limits.properties.maxRequestBytes.pattern).toBe(QUANTITY_PATTERN);
  });

  it('is structural, documented and bounded', () => {
    const problems: string[] = [];
    const walk = (node: Json, path: string) => {
      const intOrString = node['x-kubernetes-int-or-string'] === true;
      if (node.type === undefined && !intOrString) problems.push(`${path}: no type`);
      if (intOrString && JSON.stringify(node.anyOf) !== '[{"type":"integer"},{"type":"string"}]') problems.push(`${path}: int-or-string needs the standard anyOf`);
      if (node.properties !== undefined && node.additionalProperties !== undefined) problems.push(`${path}: properties with additionalProperties`);
      if (node.uniqueItems === true) problems.push(`${path}: uniqueItems is not allowed in CRDs`);
      if (node.type === 'array' && node.maxItems === undefined) problems.push(`${path}: array without maxItems`);
      const apiField = path === '.apiVersion' || path === '.kind';
      if (node.type === 'string' && node.maxLength === undefined && node.enum === undefined && !apiField) problems.push(`${path}: string without maxLength`);
      if (node['x-kubernetes-list-type'] === 'map') {
        for (const key of node['x-kubernetes-list-map-keys']) if (!node.items.required?.includes(key)) problems.push(`${path}: list-map key ${key} not required`);
      }
      for (const rule of node['x-kubernetes-validations'] ?? []) {
        // Kubernetes 1.26 knows only rule and message (fieldPath and reason came in 1.28, messageExpression in 1.27).
        for (const key of Object.keys(rule)) if (key !== 'rule' && key !== 'message') problems.push(`${path}: validation field ${key} is newer than Kubernetes 1.26`);
      }
      // 1.26 checks an object's default against its nested CEL rules before nested defaults apply:
      // an object default must spell out every nested default itself.
      if (node.default !== undefined && node.type === 'object') {
        const missing = (schema: Json, value: Json, at: string): void => {
          for (const [key, child] of Object.entries<Json>(schema.properties ?? {})) {
            if (child.default === undefined) continue;
            if (value?.[key] === undefined) problems.push(`${path}: default lacks ${at}${key}`);
            else if (child.type === 'object') missing(child, value[key], `${at}${key}.`);
          }
        };
        missing(node, node.default, '');
      }
      for (const [key, child] of Object.entries<Json>(node.properties ?? {})) {
        const at = `${path}.${key}`;
        if (typeof child.description !== 'string' && at !== '.metadata') problems.push(`${at}: no description`);
        if (at !== '.metadata') walk(child, at);
      }
      if (node.items !== undefined) walk(node.items, `${path}[]`);
      if (typeof node.additionalProperties === 'object') walk(node.additionalProperties, `${path}{}`);
    };
    walk(loadCrdSchema(), '');
    expect(problems).toEqual([]);
  });
});
