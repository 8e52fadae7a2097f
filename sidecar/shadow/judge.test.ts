import { describe, expect, it } from 'vitest';
import { judge, sameToolCalls, type Difference, type Verdict } from './judge.js';
import type { Answer } from './answer.js';
import { similarity } from './similarity.js';

const text = (t: string, finishReason: string | null = 'stop'): Answer => ({ text: t, finishReason, toolCalls: [] });
const calls = (...c: Array<[string, string[] | undefined]>): Answer => ({
  text: '',
  finishReason: 'tool_calls',
  toolCalls: c.map(([name, keys]) => ({ name, keys })),
});

const PARIS = 'The capital of France is Paris. It has been the capital since the 10th century.';

describe('judge', () => {
  const cases: Array<{ name: string; official: Answer; relay: Answer | undefined; verdict: Verdict; reasons?: Difference[] }> = [
    { name: 'the relay copy failed', official: text(PARIS), relay: undefined, verdict: 'relay_error' },
    { name: 'the same text', official: text(PARIS), relay: text(PARIS), verdict: 'equivalent' },
    {
      name: 'the same answer worded a little differently',
      official: text(PARIS),
      relay: text('The capital of France is Paris; it has been the capital since the 10th century!'),
      verdict: 'equivalent',
    },
    { name: 'case and whitespace only', official: text('Hello   World\n'), relay: text('hello world'), verdict: 'equivalent' },
    { name: 'another answer', official: text(PARIS), relay: text('I cannot help with that request, sorry.'), verdict: 'different', reasons: ['text'] },
    { name: 'an empty answer against text', official: text(PARIS), relay: text(''), verdict: 'different', reasons: ['text'] },
    { name: 'cut at max_tokens (length vs stop)', official: text(PARIS, 'stop'), relay: text(PARIS, 'length'), verdict: 'different', reasons: ['finish_reason'] },
    { name: 'the same tool calls in another order', official: calls(['search', ['q', 'limit']], ['weather', ['city']]), relay: calls(['weather', ['city']], ['search', ['q', 'limit']]), verdict: 'equivalent' },
    { name: 'another function', official: calls(['search', ['q']]), relay: calls(['lookup', ['q']]), verdict: 'different', reasons: ['tool_calls'] },
    { name: 'other argument keys', official: calls(['search', ['q']]), relay: calls(['search', ['query']]), verdict: 'different', reasons: ['tool_calls'] },
    { name: 'a missing tool call', official: calls(['search', ['q']], ['weather', ['city']]), relay: calls(['search', ['q']]), verdict: 'different', reasons: ['tool_calls'] },
    { name: 'arguments that are not a JSON object', official: calls(['search', ['q']]), relay: calls(['search', undefined]), verdict: 'different', reasons: ['tool_calls'] },
    {
      name: 'a tool call against a text answer',
      official: calls(['search', ['q']]),
      relay: text('Let me search for that.'),
      verdict: 'different',
      reasons: ['finish_reason', 'tool_calls', 'text'],
    },
    { name: 'Chinese text, same content', official: text('巴黎是法国的首都，也是最大的城市。'), relay: text('巴黎是法国的首都,也是最大的城市。'), verdict: 'equivalent' },
    { name: 'Chinese text, other content', official: text('巴黎是法国的首都，也是最大的城市。'), relay: text('对不起，我无法回答这个问题。'), verdict: 'different', reasons: ['text'] },
  ];
  it.each(cases)('$name → $verdict', ({ official, relay, verdict, reasons }) => {
    const j = judge(official, relay, 0.8);
    expect(j.verdict).toBe(verdict);
    if (reasons) expect(j.reasons).toEqual(reasons);
    else expect(j.reasons).toEqual([]);
  });

  it('applies the route bar: the same pair passes a low minSimilarity and fails a high one', () => {
    const a = text('The quick brown fox jumps over the lazy dog near the river bank.');
    const b = text('A quick brown fox jumped over a lazy dog by the river.');
    const s = judge(a, b, 0).similarity!;
    expect(s).toBeGreaterThan(0.3);
    expect(s).toBeLessThan(0.95);
    expect(judge(a, b, s).verdict).toBe('equivalent');
    expect(judge(a, b, Math.min(1, s + 0.01)).verdict).toBe('different');
  });
});

describe('similarity', () => {
  it('is 1 for two empty texts (tool-call-only answers) and 0 for empty against text', () => {
    expect(similarity('', '')).toBe(1);
    expect(similarity('', 'x')).toBe(0);
    expect(similarity('ab', 'ab')).toBe(1);
  });
  it('is symmetric and within 0–1', () => {
    const a = 'Paris is the capital.';
    const b = 'The capital is Paris, of course.';
    expect(similarity(a, b)).toBeCloseTo(similarity(b, a), 12);
    expect(similarity(a, b)).toBeGreaterThan(0);
    expect(similarity(a, b)).toBeLessThan(1);
  });
  it('reads at most the first 32 KiB of each text', () => {
    const head = 'lorem ipsum dolor sit amet '.repeat(2000);
    expect(similarity(head + 'A'.repeat(100_000), head + 'Z'.repeat(100_000))).toBe(1);
  });
});

describe('sameToolCalls', () => {
  it('compares names and key sets as a multiset', () => {
    expect(sameToolCalls([{ name: 'a', keys: ['x'] }, { name: 'a', keys: ['x'] }], [{ name: 'a', keys: ['x'] }])).toBe(false);
    expect(sameToolCalls([], [])).toBe(true);
  });
});
