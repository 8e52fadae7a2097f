import { describe, expect, it } from 'vitest';
import { DURATION_PATTERN, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['2h45m30s', 9_930_000],
    ['1.5s', 1500],
    ['1.1s', 1100],
    ['0.25h', 900_000],
    ['1500us', 1.5],
    ['1500µs', 1.5],
    ['2000000ns', 2],
    ['1.0000000001s', 1000],
    ['0s', 0],
    ['10m0s', 600_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '5', '0', '-1s', '+1s', '1 s', '1sec', '1d', '1.s', '.5s', '1h 30m', 'ms', '1S', '5μs', ' 1s'])(
    'rejects %j with a message naming the input',
    (text) => {
      expect(() => parseDuration(text)).toThrow(`invalid duration ${JSON.stringify(text)}: expected a Go duration`);
    },
  );

  it('rejects non-strings', () => {
    expect(() => parseDuration(30 as unknown as string)).toThrow('invalid duration 30');
  });

  it('agrees with DURATION_PATTERN, which the CRD uses', () => {
    const pattern = new RegExp(DURATION_PATTERN);
    for (const text of ['1h30m', '1.5s', '5µs', '1d', '5', '-1s', '1 s']) {
      const parses = (() => {
        try {
          parseDuration(text);
          return true;
        } catch {
          return false;
        }
      })();
      expect(parses, text).toBe(pattern.test(text));
    }
  });
});
