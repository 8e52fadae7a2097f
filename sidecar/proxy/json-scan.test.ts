import { describe, expect, it } from 'vitest';
import { lastObjectValue, looksLikeJsonObject, topLevelStringSpan } from './json-scan.js';

const b = (v: unknown): Buffer => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const valueAt = (raw: Buffer, span: [number, number] | undefined): unknown => span && JSON.parse(raw.toString('utf8', ...span));

describe('topLevelStringSpan', () => {
  it('finds the top-level model wherever it sits in the first bytes', () => {
    for (const doc of [
      { model: 'gpt-4o', messages: [] },
      { messages: [{ role: 'user', content: 'say "model": "x" {[' }], model: 'gpt-4o' },
      { stream: true, n: 1.5e3, stop: null, tools: [{ function: { name: 'f' } }], model: 'gpt-4o' },
    ]) {
      const raw = b(doc);
      expect(valueAt(raw, topLevelStringSpan(raw, 'model'))).toBe('gpt-4o');
    }
  });

  it('ignores nested keys of the same name and handles escapes and spacing', () => {
    const raw = b('{ "metadata" : {"model":"nested"} ,\n "model" : "gpt-\\"4" }');
    expect(valueAt(raw, topLevelStringSpan(raw, 'model'))).toBe('gpt-"4');
  });

  it('gives up (undefined) rather than guess', () => {
    expect(topLevelStringSpan(b({ model: 7 }), 'model')).toBeUndefined();
    expect(topLevelStringSpan(b([1, 2]), 'model')).toBeUndefined();
    expect(topLevelStringSpan(b('{"a": "unterminated'), 'model')).toBeUndefined();
    const late = b({ messages: [{ content: 'x'.repeat(5000) }], model: 'gpt-4o' });
    expect(topLevelStringSpan(late, 'model', 4096)).toBeUndefined();
  });
});

describe('lastObjectValue', () => {
  it('reads the trailing usage object', () => {
    const raw = b({ id: 'x', choices: [{ message: { content: 'the "usage": {} of words' } }], usage: { prompt_tokens: 3, prompt_tokens_details: { cached_tokens: 1 } } });
    expect(lastObjectValue(raw, 'usage')).toEqual({ prompt_tokens: 3, prompt_tokens_details: { cached_tokens: 1 } });
  });

  it('is undefined for null or missing usage', () => {
    expect(lastObjectValue(b({ usage: null }), 'usage')).toBeUndefined();
    expect(lastObjectValue(b({ a: 1 }), 'usage')).toBeUndefined();
  });
});

it('looksLikeJsonObject', () => {
  expect(looksLikeJsonObject(b(' {"a":1}\n'))).toBe(true);
  expect(looksLikeJsonObject(b('<html>502</html>'))).toBe(false);
  expect(looksLikeJsonObject(b('{"a":'))).toBe(false);
});
