import { validateHeaderValue } from 'node:http';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../clock.js';
import { headerValue } from './header-value.js';

const valid = (v: string): boolean => {
  try {
    validateHeaderValue('x-bellwether-model', v);
    return true;
  } catch {
    return false;
  }
};

describe('headerValue', () => {
  it.each([
    ['gpt-4o', 'gpt-4o'],
    ['org/model:v1@2024_05~x', 'org/model:v1@2024_05~x'],
    ['', ''],
    ['a b', 'a%20b'],
    ['✓', '%E2%9C%93'],
    ['é', '%C3%A9'],
    ['😀', '%F0%9F%98%80'],
    ['gpt\n4o', 'gpt%0A4o'],
    ['a\r\nx-evil: 1', 'a%0D%0Ax-evil:%201'],
    ['\0\t\x7f', '%00%09%7F'],
    ['100%', '100%25'],
    ['\ud800', '%EF%BF%BD'],
  ])('%j → %j', (text, want) => {
    expect(headerValue(text)).toBe(want);
    expect(valid(headerValue(text))).toBe(true);
  });

  it('decodes back to the text when not cut', () => {
    for (const text of ['gpt-4o ✓ 100% \n done', 'модель', 'a%2Fb']) expect(decodeURIComponent(headerValue(text))).toBe(text);
  });

  it('caps the length, ending in ASCII dots', () => {
    const long = headerValue('m'.repeat(100_000));
    expect(long).toHaveLength(256);
    expect(long.endsWith('...')).toBe(true);
    expect(headerValue('m'.repeat(256))).toBe('m'.repeat(256));
    expect(headerValue('m'.repeat(257))).toBe('m'.repeat(253) + '...');
    expect(headerValue('abcdefghij', 8)).toBe('abcde...');
  });

  it('never cuts inside the escape of one character', () => {
    // 10 ASCII then ✓ (9 chars encoded): with max 16 the ✓ does not fit in the 13 before "...".
    expect(headerValue('0123456789✓✓', 16)).toBe('0123456789...');
    expect(headerValue('✓'.repeat(10), 21)).toBe('%E2%9C%93%E2%9C%93...');
  });

  it('copes with a max below the length of the ellipsis', () => {
    expect(headerValue('abcdef', 2)).toBe('..');
    expect(headerValue('abcdef', 0)).toBe('');
  });

  it('is always a valid header value of at most max characters, over random strings', () => {
    const random = seededRandom(20240611);
    const pick = (): string => {
      const r = random();
      if (r < 0.4) return String.fromCharCode(Math.floor(random() * 128)); // ASCII, controls included
      if (r < 0.6) return String.fromCharCode(0x80 + Math.floor(random() * 0x780)); // Latin-1 and beyond
      if (r < 0.8) return String.fromCharCode(Math.floor(random() * 0x10000)); // any code unit, lone surrogates included
      return String.fromCodePoint(0x10000 + Math.floor(random() * 0x10000)); // astral
    };
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(random() * 400);
      let text = '';
      for (let j = 0; j < len; j++) text += pick();
      const max = 1 + Math.floor(random() * 300);
      const v = headerValue(text, max);
      expect(valid(v), JSON.stringify(text)).toBe(true);
      expect(v.length).toBeLessThanOrEqual(max);
      expect(/^[\x21-\x7e]*$/.test(v)).toBe(true);
    }
  });

  it('guards against texts Node refuses as they are', () => {
    for (const text of ['a\nb', '✓', '\0']) expect(valid(text)).toBe(false);
  });
});
