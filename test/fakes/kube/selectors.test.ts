import { describe, expect, it } from 'vitest';
import { matchLabelSelector, matchRequirements, nameFromFieldSelector, parseLabelSelector } from './selectors.js';

const labels = { app: 'bot', tier: 'web' };

describe('label selectors', () => {
  it.each([
    ['', true],
    ['app=bot', true],
    ['app==bot', true],
    ['app!=bot', false],
    ['app in (bot, other)', true],
    ['app notin (bot)', false],
    ['missing notin (x)', true],
    ['tier', true],
    ['!tier', false],
    ['app=bot,tier=db', false],
    ['app in (a,bot),!missing', true],
  ])('%s → %s', (sel, want) => {
    expect(matchRequirements(parseLabelSelector(sel), labels)).toBe(want);
  });

  it('refuses what it cannot parse with 400', () => {
    expect(() => parseLabelSelector('app=(x')).toThrow(expect.objectContaining({ code: 400 }));
  });

  it('matches LabelSelector objects (webhook namespaceSelector/objectSelector)', () => {
    expect(matchLabelSelector(undefined, labels)).toBe(true);
    expect(matchLabelSelector({ matchLabels: { app: 'bot' }, matchExpressions: [{ key: 'inject', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(matchLabelSelector({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['web'] }] }, labels)).toBe(false);
  });

  it('finds the name a field selector pins a list/watch to', () => {
    expect(nameFromFieldSelector('metadata.name=bellwether-r')).toBe('bellwether-r');
    expect(nameFromFieldSelector('metadata.namespace=x')).toBeUndefined();
  });
});
