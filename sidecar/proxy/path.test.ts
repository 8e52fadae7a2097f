import { describe, expect, it } from 'vitest';
import { normalisePath } from './path.js';

describe('normalisePath accepts and normalises', () => {
  it.each([
    ['/v1/chat/completions', '/v1/chat/completions', ''],
    ['/v1/chat/completions?x=1', '/v1/chat/completions', '?x=1'],
    ['/v1//models', '/v1/models', ''],
    ['//v1/models', '/v1/models', ''],
    ['/v1///models////gpt-4o', '/v1/models/gpt-4o', ''],
    ['/v1/./models', '/v1/models', ''],
    ['/v1/models/.', '/v1/models/', ''],
    ['/v1/chat/../models', '/v1/models', ''],
    ['/v1/chat/completions/..', '/v1/chat/', ''],
    ['/v1/%6Dodels', '/v1/models', ''],
    ['/v1/%41%7a%30%2D%5f%7E', '/v1/Az0-_~', ''],
    ['/v1/%2e/models', '/v1/models', ''],
    ['/v1/files/file-abc/content?x=%2F', '/v1/files/file-abc/content', '?x=%2F'],
    ['/v1/files/file-abc/content?a=/../b&c=%00', '/v1/files/file-abc/content', '?a=/../b&c=%00'],
    ['/v1/models/a%3ab', '/v1/models/a%3Ab', ''],
    ['/v1/models/%25', '/v1/models/%25', ''],
    ['/v1/models/%252e%252e', '/v1/models/%252e%252e', ''],
    ['/v1/models/%C3%A9', '/v1/models/%C3%A9', ''],
    ['/v1/models#frag', '/v1/models', ''],
    ['/v1/models?x=1#frag?y', '/v1/models', '?x=1'],
    ['/v1/models#frag?notquery', '/v1/models', ''],
    ['/v1/models?', '/v1/models', '?'],
    ['/v1/models..', '/v1/models..', ''],
    ['/v1/.hidden', '/v1/.hidden', ''],
  ])('%s → %s %s', (target, path, query) => {
    expect(normalisePath(target)).toEqual({ ok: true, path, query });
  });
});

describe('normalisePath refuses', () => {
  it.each([
    [undefined, /empty/],
    ['', /empty/],
    ['*', /must be a path/],
    ['http://evil.example/v1/models', /must be a path/],
    ['evil.example:443', /must be a path/],
    ['v1/models', /must be a path/],
    ['/v1/../admin', /unknown path "\/admin"/],
    ['/v1/%2e%2e/admin', /unknown path "\/admin"/],
    ['/v1/%2E%2E/admin', /unknown path "\/admin"/],
    ['/v1/.%2e/admin', /unknown path "\/admin"/],
    ['/v1/%2E%2E%2Fadmin', /encoded slash/],
    ['/v1/models%2fx', /encoded slash/],
    ['/v1/models%5Cx', /encoded slash or backslash/],
    ['/v1/models%5cx', /encoded slash or backslash/],
    ['/v1/models\\..\\admin', /backslash/],
    ['/v1/chat/../../x', /unknown path "\/x"/],
    ['/v1/../../../etc/passwd', /unknown path "\/etc\/passwd"/],
    ['/v1', /unknown path "\/v1"/],
    ['/v1/', /unknown path "\/v1\/"/],
    ['/v1/.', /unknown path "\/v1\/"/],
    ['/v1/..', /unknown path "\/"/],
    ['/v1/models/../..', /unknown path "\/"/],
    ['/v2/models', /unknown path "\/v2\/models"/],
    ['/V1/models', /unknown path/],
    ['/v1models', /unknown path/],
    ['/admin', /unknown path "\/admin"/],
    ['/', /unknown path "\/"/],
    ['/v1/models%00', /encoded control/],
    ['/v1/models%0a', /encoded control/],
    ['/v1/models%7F', /encoded control/],
    ['/v1/models\x00', /control character/],
    ['/v1/models\r\nx-injected: 1', /control character/],
    ['/v1/models?x=\n', /control character/],
    ['/v1/models%', /malformed percent-escape/],
    ['/v1/models%4', /malformed percent-escape/],
    ['/v1/models%zz', /malformed percent-escape/],
    ['/v1/models%%41', /malformed percent-escape/],
    ['/v1/mod els', /visible ASCII/],
    ['/v1/modèls', /visible ASCII/],
  ])('%j', (target, reason) => {
    const r = normalisePath(target);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
  });

  it('never echoes more than about 100 characters of the input', () => {
    const r = normalisePath('/admin/' + 'a'.repeat(100_000));
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.reason.length).toBeLessThan(160);
      expect(r.reason).toContain('...');
    }
    for (const target of ['/v1/x\n' + 'b'.repeat(10_000), 'http://' + 'c'.repeat(10_000), '/v1/%zz' + 'd'.repeat(10_000)]) {
      const bad = normalisePath(target);
      expect(bad.ok).toBe(false);
      if (!bad.ok) expect(bad.reason.length).toBeLessThan(160);
    }
  });
});

it('is idempotent: a normalised path normalises to itself', () => {
  for (const target of ['/v1//models/./a/../b', '/v1/%7euser/%3a', '//v1/files/x/content']) {
    const once = normalisePath(target);
    expect(once.ok).toBe(true);
    if (once.ok) expect(normalisePath(once.path)).toEqual(once);
  }
});
