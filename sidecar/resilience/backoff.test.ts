import { describe, expect, it } from 'vitest';
import type { RetryPolicy } from '../config/route.js';
import { backoffDelayMs, decideRetry, parseRetryAfterMs } from './backoff.js';

const policy: RetryPolicy = {
  attempts: 2,
  backoff: { baseMs: 250, maxMs: 10_000 },
  retryOn: { statuses: new Set([429, 500, 502, 503, 504]), connectError: true, timeout: true },
};
const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);

describe('backoffDelayMs', () => {
  it('scales the ceiling by 2^retry and caps it at maxMs', () => {
    const top = () => 0.999999;
    expect(backoffDelayMs(policy.backoff, 0, top)).toBeCloseTo(250, 2);
    expect(backoffDelayMs(policy.backoff, 1, top)).toBeCloseTo(500, 2);
    expect(backoffDelayMs(policy.backoff, 3, top)).toBeCloseTo(2000, 2);
    expect(backoffDelayMs(policy.backoff, 6, top)).toBeCloseTo(10_000, 1); // 16000 capped
    expect(backoffDelayMs(policy.backoff, 2000, top)).toBeCloseTo(10_000, 1); // 2**2000 = Infinity
  });

  it('is full jitter: random() scales the whole interval', () => {
    expect(backoffDelayMs(policy.backoff, 2, () => 0)).toBe(0);
    expect(backoffDelayMs(policy.backoff, 2, () => 0.5)).toBe(500);
  });
});

describe('parseRetryAfterMs', () => {
  it('prefers retry-after-ms (float milliseconds)', () => {
    expect(parseRetryAfterMs({ 'retry-after-ms': '1500.5', 'retry-after': '9' }, NOW)).toBe(1500.5);
  });

  it('falls through to retry-after when retry-after-ms is unreadable', () => {
    expect(parseRetryAfterMs({ 'retry-after-ms': 'soon', 'retry-after': '2' }, NOW)).toBe(2000);
  });

  it('reads retry-after as integer or float seconds', () => {
    expect(parseRetryAfterMs({ 'retry-after': '3' }, NOW)).toBe(3000);
    expect(parseRetryAfterMs({ 'retry-after': ' 0.25 ' }, NOW)).toBe(250);
    expect(parseRetryAfterMs({ 'retry-after': '0' }, NOW)).toBe(0);
  });

  it('reads an HTTP date relative to now', () => {
    const headers = { 'retry-after': 'Wed, 01 Jan 2025 12:00:30 GMT' };
    expect(parseRetryAfterMs(headers, NOW)).toBe(30_000);
  });

  it('treats an HTTP date in the past as 0', () => {
    expect(parseRetryAfterMs({ 'retry-after': 'Wed, 01 Jan 2025 11:59:00 GMT' }, NOW)).toBe(0);
  });

  it('takes the first value of a repeated header', () => {
    expect(parseRetryAfterMs({ 'retry-after': ['4', '8'] }, NOW)).toBe(4000);
  });

  it('returns undefined for missing or invalid values', () => {
    expect(parseRetryAfterMs({}, NOW)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': '' }, NOW)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': '-1' }, NOW)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': '1e3' }, NOW)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': '5s' }, NOW)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': 'not a date' }, NOW)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after-ms': '-5' }, NOW)).toBeUndefined();
    expect(parseRetryAfterMs({ 'retry-after': [] }, NOW)).toBeUndefined();
  });
});

describe('decideRetry', () => {
  const half = () => 0.5;

  it('uses jittered backoff indexed by the retries already done', () => {
    expect(decideRetry(policy, 0, undefined, half)).toEqual({ retry: true, delayMs: 125, cause: 'backoff' });
    expect(decideRetry(policy, 1, undefined, half)).toEqual({ retry: true, delayMs: 250, cause: 'backoff' });
  });

  it('stops once `attempts` retries are done, even with a Retry-After', () => {
    expect(decideRetry(policy, 2, undefined, half)).toEqual({ retry: false, reason: 'attempts_exhausted' });
    expect(decideRetry(policy, 2, 100, half)).toEqual({ retry: false, reason: 'attempts_exhausted' });
    expect(decideRetry({ ...policy, attempts: 0 }, 0, undefined, half)).toEqual({
      retry: false,
      reason: 'attempts_exhausted',
    });
  });

  it('waits exactly the Retry-After when it is within maxMs (no jitter)', () => {
    expect(decideRetry(policy, 0, 7_000, half)).toEqual({ retry: true, delayMs: 7_000, cause: 'retry-after' });
    expect(decideRetry(policy, 0, 10_000, half)).toEqual({ retry: true, delayMs: 10_000, cause: 'retry-after' });
    expect(decideRetry(policy, 0, 0, half)).toEqual({ retry: true, delayMs: 0, cause: 'retry-after' });
  });

  it('does not wait for a Retry-After beyond maxMs: the caller moves on', () => {
    expect(decideRetry(policy, 0, 10_001, half)).toEqual({ retry: false, reason: 'retry_after_exceeds_max' });
  });
});
