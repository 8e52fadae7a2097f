import { describe, expect, it } from 'vitest';
import { normalise, similarity, trigrams, TrigramTable } from './similarity.js';

/** The measure as documented, written the plain way: a Map of trigram strings per text. */
function reference(a: string, b: string): number {
  const ga = trigrams(normalise(a));
  const gb = trigrams(normalise(b));
  if (ga.size === 0 && gb.size === 0) return 1;
  if (ga.size === 0 || gb.size === 0) return 0;
  let dot = 0;
  for (const [g, n] of ga) dot += n * (gb.get(g) ?? 0);
  const norm = (m: Map<string, number>): number => Math.sqrt([...m.values()].reduce((s, n) => s + n * n, 0));
  return Math.min(1, dot / (norm(ga) * norm(gb)));
}

/** A seeded generator, so a failure names the text it failed on. */
function texts(seed: number, count: number): string[] {
  let x = seed;
  const next = (): number => {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    return x;
  };
  const alphabets = [
    'abc de',
    'The quick brown fox, jumps! ',
    '您的订单已于昨天发货，预计 ',
    'aé😀🙂 ',
    '\u{20000}\u{20001}x ', // above U+1FFFF: the packed table cannot hold it
    '\ud800\udc00\udbff z', // a lone high surrogate beside a pair
  ];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const chars = Array.from(alphabets[next() % alphabets.length]! + alphabets[next() % alphabets.length]!);
    const len = next() % 60;
    let t = '';
    for (let j = 0; j < len; j++) t += chars[next() % chars.length];
    out.push(t);
  }
  return out;
}

describe('similarity', () => {
  it('gives the reference Map implementation\'s value to the last bit, for Latin, CJK, emoji, astral, short and empty texts', () => {
    const all = texts(7, 400);
    for (let i = 0; i + 1 < all.length; i++) {
      const [a, b] = [all[i]!, all[i + 1]!];
      expect(similarity(a, b), JSON.stringify([a, b])).toBe(reference(a, b));
    }
    const answer = 'Your order #4471 shipped yesterday and should arrive within two business days.';
    expect(similarity(answer, answer.replace('yesterday', 'today'))).toBe(reference(answer, answer.replace('yesterday', 'today')));
    expect(similarity(answer.repeat(500), answer.repeat(300))).toBe(reference(answer.repeat(500), answer.repeat(300)));
  });

  it('counts each trigram once per occurrence in the packed table', () => {
    const t = TrigramTable.of('abcabc')!; // abc ×2, bca, cab
    expect(t.size).toBe(3);
    expect(t.sumOfSquares()).toBe(4 + 1 + 1);
    expect(t.dot(TrigramTable.of('xabcx')!)).toBe(2);
    expect(TrigramTable.of('ab')).toBeUndefined();
    expect(TrigramTable.of('a\u{20000}bc')).toBeUndefined();
  });
});
