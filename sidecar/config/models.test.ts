import { describe, expect, it } from 'vitest';
import type { ModelRule } from './route.js';
import { compileGlob, ModelTable } from './models.js';

describe('compileGlob', () => {
  it('treats * as any run of characters, anchored at both ends', () => {
    const g = compileGlob('gpt-4*');
    expect(g.test('gpt-4')).toBe(true);
    expect(g.test('gpt-4.1-mini')).toBe(true);
    expect(g.test('xgpt-4')).toBe(false);
    expect(g.test('gpt-3.5-turbo')).toBe(false);
    expect(compileGlob('*').test('')).toBe(true);
    expect(compileGlob('*mini').test('gpt-4o-mini')).toBe(true);
    expect(compileGlob('*mini').test('gpt-4o-mini-2024')).toBe(false);
    expect(compileGlob('a*b*c').test('a-x-b-y-c')).toBe(true);
  });

  it('takes every other character literally', () => {
    expect(compileGlob('gpt-4.1').test('gpt-4x1')).toBe(false);
    expect(compileGlob('gpt-4.1').test('gpt-4.1')).toBe(true);
    expect(compileGlob('o?').test('o1')).toBe(false);
    expect(compileGlob('o?').test('o?')).toBe(true);
    expect(compileGlob('a+b').test('aab')).toBe(false);
    expect(compileGlob('[x]').test('[x]')).toBe(true);
    expect(compileGlob('(a|b)\\').test('(a|b)\\')).toBe(true);
    expect(compileGlob('models/gemini-2.5-flash').test('models/gemini-2.5-flash')).toBe(true);
    expect(compileGlob('$^{1}').test('$^{1}')).toBe(true);
  });

  it('lets * span any character, newlines included', () => {
    expect(compileGlob('a*').test('a\nb')).toBe(true);
  });
});

const rules: ModelRule[] = [
  { match: ['gpt-4*', 'o3'], chain: ['deepseek-chat', 'kimi-k2', 'gemini-2.5-flash'], official: 'gpt-4.1' },
  { match: ['gpt-4o-mini'], chain: ['never-reached'] },
  { match: ['*'], chain: ['kimi-k2'] },
];

describe('ModelTable', () => {
  const table = new ModelTable(rules, ['deepseek-chat', 'kimi-k2', 'gpt-4.1', 'text-embedding-3-small']);

  it('first match wins, in rule order and across a rule\'s globs', () => {
    expect(table.match('gpt-4o-mini')).toBe(rules[0]);
    expect(table.match('o3')).toBe(rules[0]);
    expect(table.match('o3-mini')).toBe(rules[2]);
    expect(table.match('claude')).toBe(rules[2]);
  });

  it('returns undefined when nothing matches', () => {
    const narrow = new ModelTable([{ match: ['gpt-4*'], chain: ['kimi-k2'] }], []);
    expect(narrow.match('gpt-3.5-turbo')).toBeUndefined();
  });

  it('knows chain models, official renames and catalog names, not requested globs', () => {
    expect([...table.knownModels()].sort()).toEqual(
      ['deepseek-chat', 'gemini-2.5-flash', 'gpt-4.1', 'kimi-k2', 'never-reached', 'text-embedding-3-small'].sort(),
    );
    expect(table.knownModels().has('o3')).toBe(false);
  });

  it('labels unknown names `other` to keep Prometheus labels bounded', () => {
    expect(table.label('kimi-k2')).toBe('kimi-k2');
    expect(table.label('text-embedding-3-small')).toBe('text-embedding-3-small');
    expect(table.label('gpt-4o-2024-08-06')).toBe('other');
    expect(table.label('')).toBe('other');
  });
});
