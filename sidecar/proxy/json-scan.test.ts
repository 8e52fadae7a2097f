import { describe, expect, it } from 'vitest';
import { exceedsDepth, lastObjectValue, looksLikeJsonObject, topLevelStringSpan } from './json-scan.js';

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

describe('exceedsDepth', () => {
  const nested = (depth: number, open = '[', close = ']'): Buffer => b(open.repeat(depth) + close.repeat(depth));

  it('allows exactly the limit and refuses one more', () => {
    expect(exceedsDepth(nested(128), 128)).toBe(false);
    expect(exceedsDepth(nested(129), 128)).toBe(true);
    expect(exceedsDepth(b(JSON.stringify({ a: { b: { c: [1] } } })), 4)).toBe(false);
    expect(exceedsDepth(b(JSON.stringify({ a: { b: { c: [1] } } })), 3)).toBe(true);
  });

  it('many openers side by side are not depth: the quick count only clears, the scan decides', () => {
    const wide = b(JSON.stringify({ messages: Array.from({ length: 300 }, () => ({ content: [] })) })); // 601 openers, 4 deep
    expect(exceedsDepth(wide, 4)).toBe(false);
    expect(exceedsDepth(wide, 3)).toBe(true);
  });

  it('counts objects and arrays together, and the greatest depth anywhere', () => {
    const doc = { messages: [{ content: [{ type: 'text' }] }], tools: [{ function: { parameters: { properties: { x: { type: 'string' } } } } }] };
    // {tools:[{function:{parameters:{properties:{x:{...}}}}}]} is 7 deep.
    expect(exceedsDepth(b(doc), 7)).toBe(false);
    expect(exceedsDepth(b(doc), 6)).toBe(true);
    expect(exceedsDepth(b('[[[]],[[[]]],[]]'), 3)).toBe(true);
    expect(exceedsDepth(b('[[[]],[[]],[]]'), 3)).toBe(false);
  });

  it('ignores brackets inside strings, escaped quotes included', () => {
    const tricky = JSON.stringify({ content: '[[[[{{{{ "quoted [[[" \\" [[[[' + '['.repeat(500), k: ['x\\', '"]]]"'] });
    expect(JSON.parse(tricky)).toBeTruthy();
    expect(exceedsDepth(b(tricky), 2)).toBe(false);
    expect(exceedsDepth(b(tricky), 1)).toBe(true);
    // A string ending in an escaped backslash: `"a\\"` closes at its last quote.
    const escapedBackslash = '{"a\\\\":[["\\\\"]]}';
    expect(JSON.parse(escapedBackslash)).toEqual({ 'a\\': [['\\']] });
    expect(exceedsDepth(b(escapedBackslash), 3)).toBe(false);
    expect(exceedsDepth(b(escapedBackslash), 2)).toBe(true);
    // An escaped quote does not close the string: `"\"[[["` holds brackets.
    const escapedQuote = '["\\"[[[", [[1]]]';
    expect(JSON.parse(escapedQuote)).toEqual(['"[[[', [[1]]]);
    expect(exceedsDepth(b(escapedQuote), 3)).toBe(false);
    expect(exceedsDepth(b(escapedQuote), 2)).toBe(true);
  });

  it('scans a 200,000-deep array without recursion', () => {
    expect(exceedsDepth(nested(200_000), 128)).toBe(true);
    expect(exceedsDepth(nested(200_000, '{"a":', '}'), 128)).toBe(true);
  });

  it('does not let stray closers hide nesting that follows', () => {
    expect(exceedsDepth(b(']]]]' + '['.repeat(5)), 4)).toBe(true);
  });

  it('answers false for flat or unterminated documents', () => {
    expect(exceedsDepth(b('"[[[[[[[["'), 1)).toBe(false);
    expect(exceedsDepth(b('{"a": "[[[[[[ unterminated'), 1)).toBe(false);
    expect(exceedsDepth(b(''), 0)).toBe(false);
    expect(exceedsDepth(b('42'), 0)).toBe(false);
    expect(exceedsDepth(b('{}'), 0)).toBe(true);
  });
});
