import { describe, expect, it } from 'vitest';
import type { LabelSelector } from './route.js';
import { describeSelector, overlaps, selects } from './selector.js';

describe('selects', () => {
  const app: LabelSelector = { matchLabels: { app: 'bot' } };
  it.each<[string, LabelSelector | undefined, Record<string, string> | undefined, boolean]>([
    ['matching labels', app, { app: 'bot', pod: 'x' }, true],
    ['a different value', app, { app: 'web' }, false],
    ['no labels at all', app, undefined, false],
    ['an omitted selector selects nothing', undefined, { app: 'bot' }, false],
    ['{} selects every pod', {}, undefined, true],
    ['In', { matchExpressions: [{ key: 'tier', operator: 'In', values: ['web', 'api'] }] }, { tier: 'api' }, true],
    ['NotIn with the key absent', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, {}, true],
    ['NotIn with a listed value', { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, { tier: 'web' }, false],
    ['Exists', { matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, { tier: '' }, true],
    ['DoesNotExist', { matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, { tier: 'x' }, false],
    ['labels and expressions are ANDed', { matchLabels: { app: 'bot' }, matchExpressions: [{ key: 'canary', operator: 'Exists' }] }, { app: 'bot' }, false],
  ])('%s', (_name, selector, labels, expected) => expect(selects(selector, labels)).toBe(expected));
});

describe('overlaps', () => {
  const s = (matchLabels: Record<string, string>, matchExpressions: LabelSelector['matchExpressions'] = []): LabelSelector => ({
    matchLabels,
    matchExpressions,
  });
  it.each<[string, LabelSelector | undefined, LabelSelector | undefined, boolean]>([
    ['the same labels', s({ app: 'bot' }), s({ app: 'bot' }), true],
    ['a key with different values', s({ app: 'bot' }), s({ app: 'web' }), false],
    ['different keys (a pod may carry both)', s({ app: 'bot' }), s({ tier: 'web' }), true],
    ['one a subset of the other', s({ app: 'bot' }), s({ app: 'bot', tier: 'web' }), true],
    ['{} overlaps everything', {}, s({ app: 'bot' }), true],
    ['an omitted selector overlaps nothing', undefined, {}, false],
    ['In lists without a common value', s({}, [{ key: 't', operator: 'In', values: ['a'] }]), s({}, [{ key: 't', operator: 'In', values: ['b', 'c'] }]), false],
    ['In lists sharing a value', s({}, [{ key: 't', operator: 'In', values: ['a', 'b'] }]), s({}, [{ key: 't', operator: 'In', values: ['b'] }]), true],
    ['a label excluded by NotIn', s({ t: 'a' }), s({}, [{ key: 't', operator: 'NotIn', values: ['a'] }]), false],
    ['NotIn another value', s({ t: 'a' }), s({}, [{ key: 't', operator: 'NotIn', values: ['b'] }]), true],
    ['Exists against DoesNotExist', s({}, [{ key: 't', operator: 'Exists' }]), s({}, [{ key: 't', operator: 'DoesNotExist' }]), false],
    ['a label against DoesNotExist', s({ t: 'a' }), s({}, [{ key: 't', operator: 'DoesNotExist' }]), false],
    ['NotIn against DoesNotExist (the key may be absent)', s({}, [{ key: 't', operator: 'NotIn', values: ['a'] }]), s({}, [{ key: 't', operator: 'DoesNotExist' }]), true],
  ])('%s', (_name, a, b, expected) => {
    expect(overlaps(a, b)).toBe(expected);
    expect(overlaps(b, a)).toBe(expected);
  });
});

it('describes selectors the way kubectl writes them', () => {
  expect(describeSelector({ matchLabels: { app: 'bot' }, matchExpressions: [{ key: 't', operator: 'In', values: ['a', 'b'] }, { key: 'x', operator: 'DoesNotExist' }] })).toBe(
    'app=bot,t in (a,b),!x',
  );
  expect(describeSelector({})).toBe('(every pod)');
});
