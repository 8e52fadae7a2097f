import { describe, expect, it } from 'vitest';
import { canonicalJson, entryKey, normalisedBody, requestDigest, tenantOf } from './key.js';

const base = { route: 'shop/support-bot', endpoint: 'chat_completions', tenant: '' };
const body = { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson('x')).toBe('"x"');
    expect(canonicalJson(null)).toBe('null');
  });
});

describe('normalisedBody', () => {
  it('ignores stream, stream_options and user, and key order', () => {
    const a = normalisedBody({ ...body, stream: true, stream_options: { include_usage: true }, user: 'u-1' });
    const b = normalisedBody({ temperature: 0, messages: body.messages, model: 'gpt-4o' });
    expect(a).toBe(b);
  });

  it('keeps everything that changes the answer', () => {
    const n = normalisedBody(body);
    for (const changed of [{ temperature: 0.5 }, { model: 'gpt-4.1' }, { seed: 1 }, { messages: [{ role: 'user', content: 'hi!' }] }]) {
      expect(normalisedBody({ ...body, ...changed })).not.toBe(n);
    }
  });
});

describe('tenantOf', () => {
  it('is empty when the route does not forward the app key', () => {
    expect(tenantOf({ authorization: 'Bearer a' }, false)).toBe('');
  });

  it('differs by app key, organisation and project, and never contains the key', () => {
    const a = tenantOf({ authorization: 'Bearer fake-app-key-a' }, true);
    const b = tenantOf({ authorization: 'Bearer fake-app-key-b' }, true);
    const org = tenantOf({ authorization: 'Bearer fake-app-key-a', 'openai-organization': 'org-2' }, true);
    expect(new Set([a, b, org]).size).toBe(3);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(a).not.toContain('fake-app-key');
  });
});

describe('requestDigest and entryKey', () => {
  const d = requestDigest({ ...base, body });

  it('separates routes, endpoints and tenants', () => {
    expect(requestDigest({ ...base, route: 'shop/other', body })).not.toBe(d);
    expect(requestDigest({ ...base, endpoint: 'completions', body })).not.toBe(d);
    expect(requestDigest({ ...base, tenant: 'x', body })).not.toBe(d);
    expect(requestDigest({ ...base, body: { ...body, stream: true } })).toBe(d);
  });

  it('separates sides, models and wire forms', () => {
    const k = entryKey(d, 'official', 'gpt-4.1', 'json');
    expect(entryKey(d, 'relay', 'gpt-4.1', 'json')).not.toBe(k);
    expect(entryKey(d, 'official', 'gpt-4o', 'json')).not.toBe(k);
    expect(entryKey(d, 'official', 'gpt-4.1', 'sse')).not.toBe(k);
    expect(entryKey(d, 'official', 'gpt-4.1', 'json')).toBe(k);
  });
});
