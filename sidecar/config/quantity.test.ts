import { describe, expect, it } from 'vitest';
import { QUANTITY_PATTERN, parseQuantity } from './quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['10Mi', 10 * 1024 * 1024],
    ['512Ki', 512 * 1024],
    ['1Gi', 1024 ** 3],
    ['1G', 1e9],
    ['1k', 1000],
    ['1M', 1e6],
    ['1000', 1000],
    ['0.0001', 1],
    ['1e6', 1e6],
    ['1E3', 1000],
    ['1.5Ki', 1536],
    ['0.1Mi', 104_858], // 104857.6 rounds up, like Quantity.Value()
    ['1.5', 2],
    ['4Pi', 4 * 1024 ** 5],
  ])('%s is %d bytes', (text, bytes) => {
    expect(parseQuantity(text)).toBe(bytes);
  });

  it('takes numbers as bytes, rounding up', () => {
    expect(parseQuantity(1024)).toBe(1024);
    expect(parseQuantity(0.5)).toBe(1);
  });

  it('refuses the milli suffix with advice', () => {
    expect(() => parseQuantity('10m')).toThrow(
      'invalid quantity "10m": expected a positive Kubernetes quantity such as 10Mi, 512Ki, 1G or 1000 (bytes); "m" means milli (1/1000): write 10Mi or 10M for megabytes',
    );
  });

  it.each([
    ['10MB', 'write 10Mi (binary) or 10M (decimal)'],
    ['10K', 'write 10Ki (binary) or 10k (decimal)'],
    ['3gi', 'write 3Gi (binary) or 3G (decimal)'],
  ])('advises on %s', (text, advice) => {
    expect(() => parseQuantity(text)).toThrow(advice);
  });

  it.each(['', '-1', '+1', '1 Mi', 'Mi', '1.Mi', '.5Mi', '1e-3', '1Zi', '10 ', 'ten'])('rejects %j', (text) => {
    expect(() => parseQuantity(text)).toThrow(`invalid quantity ${JSON.stringify(text)}`);
  });

  it('rejects zero, negative, non-finite and unsafe values', () => {
    expect(() => parseQuantity(-1)).toThrow('must be a positive number of bytes');
    expect(() => parseQuantity(0)).toThrow('must be a positive number of bytes');
    expect(() => parseQuantity('0')).toThrow('invalid quantity "0": must be more than 0');
    expect(() => parseQuantity('0.0Mi')).toThrow('must be more than 0');
    expect(() => parseQuantity(Number.NaN)).toThrow('invalid quantity NaN');
    expect(() => parseQuantity('16Ei')).toThrow('too large');
    expect(() => parseQuantity('1E')).toThrow('too large');
  });

  it('accepts exactly what QUANTITY_PATTERN (the CRD pattern) accepts', () => {
    const pattern = new RegExp(QUANTITY_PATTERN);
    for (const text of ['10Mi', '1e6', '1.5Ki', '0.5', '10m', '10MB', '-1', '1P', '1E3', '0', '00', '0.00', '0Mi', '0e3', '007']) {
      let parses = true;
      try {
        parseQuantity(text);
      } catch {
        parses = false;
      }
      expect(parses, text).toBe(pattern.test(text));
    }
  });
});
