import { describe, expect, it } from 'vitest';
import { Events, describeBreach, formatCount, formatDuration, formatLatency, formatPercent, formatPercentPair } from './events.js';

describe('formatting', () => {
  it.each([
    [0, '0'],
    [999, '999'],
    [1204, '1,204'],
    [1234567, '1,234,567'],
    [1204.5, '1,204.5'],
  ])('formatCount(%s) = %s', (n, text) => expect(formatCount(n)).toBe(text));

  it.each([
    [0.032, '3.2%'],
    [0.01, '1.0%'],
    [0.002, '0.2%'],
    [0, '0.0%'],
    [1, '100.0%'],
    [0.0005, '0.05%'],
  ])('formatPercent(%s) = %s', (f, text) => expect(formatPercent(f)).toBe(text));

  it('keeps a value apart from its threshold', () => {
    expect(formatPercentPair(0.0101, 0.01)).toEqual(['1.01%', '1.00%']);
    expect(formatPercentPair(0.032, 0.01)).toEqual(['3.2%', '1.0%']);
    expect(formatPercentPair(0.01, 0.01)).toEqual(['1.0%', '1.0%']);
  });

  it.each([
    [900_000, '15m'],
    [3_600_000, '1h'],
    [5_400_000, '1h30m'],
    [61_000, '1m1s'],
    [2000, '2s'],
    [1500, '1.5s'],
    [640, '640ms'],
    [0.5, '0.5ms'],
  ])('formatDuration(%s) = %s', (ms, text) => expect(formatDuration(ms)).toBe(text));

  it('shows a p99 beyond the last bucket as the bound and a plus', () => {
    expect(formatLatency(Infinity, 60_000)).toBe('1m+');
    expect(formatLatency(3000, 60_000)).toBe('3s');
  });
});

describe('catalogue', () => {
  it('writes the rollback Event exactly as DESIGN.md shows it', () => {
    const e = Events.rolledBack({ reason: 'error_rate', value: 0.032, threshold: 0.01, windowMs: 900_000, relayRequests: 412, pods: 6 });
    expect(e).toEqual({
      type: 'Warning',
      reason: 'RolledBack',
      message: 'Rolled back: relay error rate 3.2% > 1.0% over 15m (412 relay requests from 6 pods)',
    });
  });

  it('writes the p99 variant and singular counts', () => {
    expect(describeBreach({ reason: 'p99_latency', value: 3000, threshold: 2000, windowMs: 3_600_000, relayRequests: 1, pods: 1 })).toBe(
      'relay p99 latency 3s > 2s over 1h (1 relay request from 1 pod)',
    );
  });

  it('writes the advance Event exactly as DESIGN.md shows it', () => {
    const e = Events.advanced(5, 25, { errorRate: 0.002, maxErrorRate: 0.01, p99Ms: 640, maxP99Ms: 2000, relayRequests: 1204 });
    expect(e.message).toBe('Advance: effective weight 5% → 25% (relay error rate 0.2% ≤ 1.0%, p99 640ms ≤ 2s over 1,204 requests)');
    expect(e.type).toBe('Normal');
  });

  it('never shows a bucket estimate above a threshold the exact count passed', () => {
    const e = Events.advanced(5, 25, { errorRate: 0, maxErrorRate: 0.01, p99Ms: 3000, maxP99Ms: 2900, relayRequests: 200 });
    expect(e.message).toContain('p99 ≤ 2.9s over 200 requests');
    expect(e.message).not.toContain('3s');
  });

  it('names a missing Secret key and the keys that are there', () => {
    const e = Events.secretKeyNotFound('spec.relay.apiKeySecretRef', 'holysheep', 'API_KEY', ['apiKey'], 'no relay traffic');
    expect(e.message).toBe('Secret "holysheep" (spec.relay.apiKeySecretRef) has no key "API_KEY" (it has "apiKey"); no relay traffic');
  });
});
