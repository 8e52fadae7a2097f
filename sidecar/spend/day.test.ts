import { describe, expect, it } from 'vitest';
import { nextUtcMidnight, secondsUntilReset, utcDay } from './day.js';

describe('the budget day (UTC)', () => {
  it('is the UTC calendar day, whatever the local zone', () => {
    expect(utcDay(Date.parse('2026-12-03T23:59:59.999Z'))).toBe('2026-12-03');
    expect(utcDay(Date.parse('2026-12-04T00:00:00Z'))).toBe('2026-12-04');
    expect(utcDay(Date.parse('2026-12-04T07:30:00+08:00'))).toBe('2026-12-03');
  });

  it('resets at the next 00:00 UTC, across months and years', () => {
    expect(nextUtcMidnight(Date.parse('2026-12-31T12:00:00Z'))).toBe(Date.parse('2027-01-01T00:00:00Z'));
    expect(nextUtcMidnight(Date.parse('2026-02-28T00:00:00Z'))).toBe(Date.parse('2026-03-01T00:00:00Z'));
  });

  it('counts whole seconds until the reset, at least 1 and at most a day', () => {
    expect(secondsUntilReset(Date.parse('2026-12-03T23:59:59.500Z'))).toBe(1);
    expect(secondsUntilReset(Date.parse('2026-12-03T22:00:00Z'))).toBe(7200);
    expect(secondsUntilReset(Date.parse('2026-12-03T00:00:00Z'))).toBe(86_400);
  });
});
