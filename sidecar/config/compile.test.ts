import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileRetryOn, compileRoute, compileStickyBy, compileUpstream, loadRouteText, parseRouteDocument } from './compile.js';
import type { Route } from './route.js';
import { validateRelayRoute } from './schema.js';

const examplesDir = new URL('../../examples/', import.meta.url);

const MINIMAL = `
apiVersion: bellwether.dev/v1alpha1
kind: RelayRoute
metadata: {name: batch}
spec:
  official: {baseURL: "https://api.deepseek.com"}
  relay: {baseURL: "http://relay.internal:8080/api/v1/", apiKeySecretRef: {name: relay, key: key}}
  models: [{match: ["*"], chain: [kimi-k2]}]
`;

function load(text: string, generation?: number): Route {
  const result = loadRouteText(text, generation);
  if (!result.ok) throw new Error(result.errors.join('\n'));
  return result.route;
}

describe('examples', () => {
  const files = readdirSync(examplesDir).filter((f) => f.endsWith('.yaml'));

  it('has at least the full route example', () => {
    expect(files).toContain('route.yaml');
  });

  it.each(files)('examples/%s validates and compiles', (file) => {
    const result = loadRouteText(readFileSync(new URL(file, examplesDir), 'utf8'));
    expect(result.ok ? [] : result.errors).toEqual([]);
  });

  it('examples/route.yaml compiles to the route DESIGN.md describes', () => {
    const route = load(readFileSync(new URL('route.yaml', examplesDir), 'utf8'));
    expect(route).toMatchObject({
      namespace: 'shop',
      name: 'support-bot',
      generation: 1,
      official: { origin: 'https://api.openai.com', basePath: '/v1' },
      relay: { origin: 'https://api.holysheep.ai', basePath: '/v1', apiKeySecretRef: { name: 'holysheep-api-credentials', key: 'API_KEY' } },
      models: [
        { match: ['gpt-4*'], chain: ['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash'], official: 'gpt-4.1' },
        { match: ['*'], chain: ['kimi-k2'] },
      ],
      canary: { weight: 25, stickyBy: { source: 'header', name: 'x-user-id' }, fallbackToOfficial: true, mode: 'canary' },
    });
    expect(route.official.apiKeySecretRef).toBeUndefined();
    expect([...route.catalog.keys()]).toEqual(['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash', 'gpt-4.1', 'gpt-4o-mini']);
    expect(route.catalog.get('kimi-k2')).toEqual({ name: 'kimi-k2', contextWindow: 128000, price: { input: 0.18, output: 0.36 } });
  });
});

describe('compileRoute', () => {
  it('turns defaults into milliseconds, bytes and flags', () => {
    const route = load(MINIMAL);
    expect(route.rollback).toEqual({ windowMs: 900_000, minRequests: 100, maxErrorRate: 0.01, maxP99LatencyMs: 2000, action: 'rollback' });
    expect(route.retry).toEqual({
      attempts: 2,
      backoff: { baseMs: 250, maxMs: 10_000 },
      retryOn: { statuses: new Set([429, 500, 502, 503, 504]), connectError: true, timeout: true },
    });
    expect(route.timeouts).toEqual({ connectMs: 5000, firstByteMs: 60_000, idleMs: 60_000, totalMs: 600_000 });
    expect(route.circuitBreaker).toEqual({ consecutiveFailures: 3, cooldownMs: 30_000 });
    expect(route.limits).toEqual({ maxRequestBytes: 10 * 1024 * 1024, maxConcurrent: 1024 });
    expect(route.canary).toEqual({ weight: 0, fallbackToOfficial: true, mode: 'canary' });
    expect(route.catalog.size).toBe(0);
  });

  it('defaults the namespace and splits URLs into origin and basePath', () => {
    const route = load(MINIMAL);
    expect(route.namespace).toBe('default');
    expect(route.official).toEqual({ baseURL: 'https://api.deepseek.com', origin: 'https://api.deepseek.com', basePath: '' });
    expect(route.relay).toMatchObject({ origin: 'http://relay.internal:8080', basePath: '/api/v1' });
  });

  it('compiles written values, not just defaults', () => {
    const text = MINIMAL.replace(
      '  models:',
      `  retry: {attempts: 0, backoff: {base: 1.5s, max: 1h30m}, retryOn: [429, "503", timeout]}
  limits: {maxRequestBytes: 512Ki, maxConcurrent: 8}
  canary: {weight: 100, stickyBy: "body:metadata.user_id", fallbackToOfficial: false, restartedAt: "2025-01-02T03:04:05Z"}
  models:`,
    );
    const route = load(text);
    expect(route.retry).toEqual({
      attempts: 0,
      backoff: { baseMs: 1500, maxMs: 5_400_000 },
      retryOn: { statuses: new Set([429, 503]), connectError: false, timeout: true },
    });
    expect(route.limits).toEqual({ maxRequestBytes: 524_288, maxConcurrent: 8 });
    expect(route.canary).toEqual({
      weight: 100,
      stickyBy: { source: 'body', path: ['metadata', 'user_id'] },
      fallbackToOfficial: false,
      mode: 'canary',
      restartedAt: '2025-01-02T03:04:05Z',
    });
  });

  it('takes metadata.generation when present, else the given generation, else 1', () => {
    expect(load(MINIMAL).generation).toBe(1);
    expect(load(MINIMAL, 7).generation).toBe(7);
    expect(load(MINIMAL.replace('{name: batch}', '{name: batch, generation: 4}'), 7).generation).toBe(4);
    const validated = validateRelayRoute(parseOk(MINIMAL));
    if (!validated.ok) throw new Error('expected valid');
    expect(compileRoute(validated.doc, 9).generation).toBe(9);
  });

  it('does not share state with the document', () => {
    const result = loadRouteText(readFileSync(new URL('route.yaml', examplesDir), 'utf8'));
    if (!result.ok) throw new Error('expected valid');
    result.doc.spec.models[0]?.chain.push('extra');
    const first = result.doc.spec.catalog?.[0];
    if (first !== undefined) first.name = 'renamed';
    expect(result.route.models[0]?.chain).toEqual(['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash']);
    expect(result.route.catalog.get('deepseek-chat')?.name).toBe('deepseek-chat');
  });
});

describe('field compilers', () => {
  it('lower-cases sticky headers and splits body paths', () => {
    expect(compileStickyBy('header:X-User-Id')).toEqual({ source: 'header', name: 'x-user-id' });
    expect(compileStickyBy('body:user')).toEqual({ source: 'body', path: ['user'] });
    expect(() => compileStickyBy('cookie:x')).toThrow('spec.canary.stickyBy: "cookie:x" is neither');
    expect(() => compileStickyBy('header:')).toThrow('is neither');
  });

  it('refuses retry.retryOn items that are not status codes', () => {
    expect(compileRetryOn(['connect-error'])).toEqual({ statuses: new Set(), connectError: true, timeout: false });
    expect(() => compileRetryOn(['often'])).toThrow('spec.retry.retryOn: "often" is not a status code');
    expect(() => compileRetryOn([200])).toThrow('spec.retry.retryOn: 200 is not a status code');
  });

  it('names the field when a URL does not parse', () => {
    expect(() => compileUpstream({ baseURL: 'https://[::1/v1' }, 'spec.relay.baseURL')).toThrow('spec.relay.baseURL: "https://[::1/v1" is not a valid URL');
  });
});

function parseOk(text: string): unknown {
  const parsed = parseRouteDocument(text);
  if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
  return parsed.doc;
}

describe('parseRouteDocument / loadRouteText', () => {
  it('reads JSON too (JSON is YAML)', () => {
    expect(parseOk('{"kind": "RelayRoute", "spec": {"canary": {"weight": 5}}}')).toEqual({ kind: 'RelayRoute', spec: { canary: { weight: 5 } } });
  });

  it('keeps a bare `on` key as the string "on" (YAML 1.2)', () => {
    expect(parseOk('retry: {on: [429]}')).toEqual({ retry: { on: [429] } });
  });

  it('ignores comment-only documents around the route', () => {
    expect(parseOk('# header\n---\nkind: RelayRoute\n---\n# trailer\n')).toEqual({ kind: 'RelayRoute' });
  });

  it.each([
    ['', 'expected one YAML document, found none (the input is empty)'],
    ['# just a comment\n', 'expected one YAML document, found none (the input is empty)'],
    ['kind: A\n---\nkind: B\n', 'expected one YAML document, found 2 (the second starts at line 2)'],
    ['a: 1\nb: [\n', 'YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 3, column 1:'],
    ['a: 1\na: 2\n', 'YAML: Map keys must be unique at line 2, column 1:'],
  ])('refuses %j', (text, error) => {
    expect(parseRouteDocument(text)).toEqual({ ok: false, errors: [error] });
    expect(loadRouteText(text)).toEqual({ ok: false, errors: [error] });
  });

  it('returns validation errors with their paths', () => {
    expect(loadRouteText(MINIMAL.replace('chain: [kimi-k2]', 'chain: []'))).toEqual({
      ok: false,
      errors: ['spec.models[0].chain: must NOT have fewer than 1 items'],
    });
  });
});
