import { describe, expect, it } from 'vitest';
import { legend, parseLabelValues, substitute } from './grafana.js';

const v = { namespace: 'shop', route: 'support-bot', rateInterval: '5s', interval: '2s', range: '90s' };

describe('Grafana variable substitution', () => {
  it('replaces the built-ins without mixing up $__rate_interval, $__range and $__interval', () => {
    expect(substitute('rate(x{namespace=~"$namespace", route=~"${route}"}[$__rate_interval]) + increase(y[$__range]) + increase(z[$__interval])', v)).toBe(
      'rate(x{namespace=~"shop", route=~"support-bot"}[5s]) + increase(y[90s]) + increase(z[2s])',
    );
  });
  it('refuses a variable it does not know, so a new one cannot slip through unevaluated', () => {
    expect(() => substitute('x{pod=~"$pod"}', v)).toThrow(/\$pod/);
  });
  it('formats legends and parses label_values', () => {
    expect(legend('{{side}} {{ model }}', { side: 'relay', model: 'kimi-k2' })).toBe('relay kimi-k2');
    expect(parseLabelValues('label_values(m{namespace=~"$namespace"}, route)')).toEqual({ match: 'm{namespace=~"$namespace"}', label: 'route' });
  });
});
